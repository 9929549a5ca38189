#!/usr/bin/env bash
# Install Debian's Java 17 runtime for the Spark engine's tests, only when `java` is missing.
# pyspark (from PyPI, the `spark` extra) brings Spark itself; it needs a JVM of 17 or later.
set -euo pipefail
if command -v java >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "installing openjdk-17-jre-headless with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null

"""``--engine spark`` for ``tsunagari analyze`` and ``tsunagari timeline``.

The flags are added by :func:`add_engine_arguments`; ``analyze`` and ``timeline`` hand over
to :func:`run_analyze` / :func:`run_timeline` when ``--engine spark`` is given. The input is
the store or ``--dataset`` (exported to a temporary Parquet folder first, see
``tsunagari export --format parquet``) or, skipping that, ``--parquet DIR``: an export that
may live on HDFS / S3 (``hdfs://…``, ``s3a://…``) when run on a cluster.

The master: ``--spark-master``, else ``$SPARK_MASTER``, else the one ``spark-submit`` set,
else ``local[2]``. Spark's stages are shown on a progress bar when stderr is a terminal.

>>> import argparse
>>> p = argparse.ArgumentParser(); add_engine_arguments(p)
>>> a = p.parse_args(["--engine", "spark", "--spark-master", "local[1]"])
>>> a.engine, a.spark_master, a.parquet
('spark', 'local[1]', None)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, EXIT_OK, load_or_explain
from graph.io import write_csv_table

__all__ = ["add_engine_arguments", "spark_settings", "run_analyze", "run_timeline",
           "write_spark_analysis"]


def add_engine_arguments(parser) -> None:
    """Add ``--engine``, ``--spark-master``, ``--parquet`` and ``--spark-work-dir``."""
    parser.add_argument("--engine", choices=("local", "spark"), default="local",
                        help="local: this machine (default); spark: Apache Spark (docs/spark.md)")
    parser.add_argument("--spark-master", metavar="URL", default=None,
                        help="Spark master (local[2], yarn, spark://host:7077, k8s://…); "
                             "default $SPARK_MASTER, else local[2]")
    parser.add_argument("--parquet", metavar="DIR", default=None,
                        help="with --engine spark: read this Parquet export instead of the "
                             "store (a path or hdfs:// / s3a:// URL)")
    parser.add_argument("--spark-communities", choices=("auto", "leiden", "lpa"),
                        default="auto",
                        help="with --engine spark: leiden on the driver over the tie table, "
                             "lpa (the engine's label propagation), or auto (default: leiden "
                             "while the tie table fits the driver)")
    parser.add_argument("--spark-lpa-steps", type=int, default=10, metavar="N",
                        help="with --engine spark, analyze: label propagation supersteps "
                             "(default 10; 0 skips it, with --spark-communities leiden)")
    parser.add_argument("--spark-conf", metavar="KEY=VALUE", action="append", default=[],
                        help="with --engine spark: a Spark setting, e.g. "
                             "spark.driver.memory=7g (repeatable; set before the JVM starts)")
    parser.add_argument("--spark-work-dir", metavar="DIR", default=None,
                        help="with --engine spark: folder for intermediate files (a shared "
                             "file system on a cluster; default a local temporary folder)")


def write_spark_analysis(result, out: Path) -> list[Path]:
    """Write a :class:`graph.spark.analyze.SparkAnalysis` into ``out``; the files written.

    ``nodes.csv``, ``communities.csv``, ``isolated.csv``, ``gaps/ward_sector.csv`` and
    ``summary.json``, with the same escaping as the local engine's files.
    """
    out = Path(out)
    (out / "gaps").mkdir(parents=True, exist_ok=True)
    tables = {out / "nodes.csv": result.nodes.reset_index(),
              out / "communities.csv": result.communities.reset_index(),
              out / "isolated.csv": result.isolated.reset_index()}
    tables.update({out / "gaps" / f"{name}.csv": frame for name, frame in result.gaps.items()})
    written = []
    for path, frame in tables.items():
        write_csv_table(frame, path)
        written.append(path)
    summary = out / "summary.json"
    summary.write_text(json.dumps(result.summary, ensure_ascii=False, indent=2, default=str),
                       encoding="utf-8")
    return written + [summary]


def _parquet_input(args, scratch: Path):
    """``(folder, dataset-or-None, status)``: the Parquet export to read."""
    if args.parquet:
        return args.parquet, None, EXIT_OK
    from graph.spark.parquet import write_parquet

    dataset, status = load_or_explain(args)
    if dataset is None:
        return None, None, status
    folder = scratch / "records"
    write_parquet(dataset, folder)
    return str(folder), dataset, EXIT_OK


def spark_settings(pairs) -> dict[str, str]:
    """``--spark-conf`` values as a mapping; GraphError names a value without ``=``.

    >>> spark_settings(["spark.driver.memory=7g", "spark.sql.shuffle.partitions=8"])
    {'spark.driver.memory': '7g', 'spark.sql.shuffle.partitions': '8'}
    """
    from graph.errors import GraphError

    settings = {}
    for pair in pairs or []:
        key, sep, value = str(pair).partition("=")
        if not sep or not key.strip() or not value.strip():
            raise GraphError(f"--spark-conf: expected KEY=VALUE, got {pair!r}")
        settings[key.strip()] = value.strip()
    return settings


def _session(args):
    from graph.spark.session import spark_session

    return spark_session(args.spark_master, app_name=f"tsunagari {args.command}",
                         config=spark_settings(getattr(args, "spark_conf", [])))


def run_analyze(args, *, fiscal_year, wards) -> int:
    """``tsunagari analyze --engine spark``; returns the exit status."""
    from cli.analyze_cmd import _kinds_text
    from graph.errors import GraphError
    from graph.spark.analyze import analyze_spark
    from graph.spark.session import StageProgress

    with tempfile.TemporaryDirectory(prefix="tsunagari-spark-") as scratch:
        folder, dataset, status = _parquet_input(args, Path(scratch))
        if folder is None:
            return status
        if wards and dataset is not None:
            from cli.analyze_cmd import _resolve_wards

            wards = _resolve_wards(dataset, wards)
            if isinstance(wards, str):
                print(f"--ward: {wards}", file=sys.stderr)
                return EXIT_BAD_INPUT
        try:
            spark = _session(args)
            with StageProgress(spark, "spark analyze", enabled=sys.stderr.isatty()) as bar:
                result = analyze_spark(
                    spark, folder, as_of=args.as_of, fiscal_year=fiscal_year, wards=wards,
                    real_only=args.real_only, seed=args.seed, resolution=args.resolution,
                    inactive_years=args.inactive_years, community_method=args.spark_communities,
                    lpa_steps=args.spark_lpa_steps,
                    work_dir=args.spark_work_dir or str(Path(scratch) / "work"), progress=bar)
        except GraphError as exc:
            print(f"analyze: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    files = write_spark_analysis(result, Path(args.out))
    s = result.summary
    q = "n/a" if s["modularity"] is None else f"{s['modularity']:.3f}"
    print(f"{s['organisations']} organisations, {s['ties']} ties, {s['communities']} "
          f"communities ({s['community_method']['method']}, modularity {q}), "
          f"{s['components']} components, {s['needing_partner']} needing a partner "
          f"({_kinds_text(s['isolated_by_kind'])}); engine spark "
          f"({s['engine']['graph_library']}, {s['engine']['master']})")
    print(f"wrote {len(files)} files to {args.out}")
    return EXIT_OK


def run_timeline(args) -> int:
    """``tsunagari timeline --engine spark``: snapshots.csv and growth.json; exit status."""
    from graph.errors import GraphError
    from graph.spark.session import StageProgress
    from graph.spark.timeline import fiscal_year_snapshots

    if args.period != "fy":
        print("--engine spark: only --period fy (fiscal-year snapshots)", file=sys.stderr)
        return EXIT_BAD_INPUT
    with tempfile.TemporaryDirectory(prefix="tsunagari-spark-") as scratch:
        folder, _, status = _parquet_input(args, Path(scratch))
        if folder is None:
            return status
        try:
            spark = _session(args)
            with StageProgress(spark, "spark timeline", enabled=sys.stderr.isatty()) as bar:
                snapshots, info = fiscal_year_snapshots(
                    spark, folder, real_only=args.real_only,
                    work_dir=args.spark_work_dir or str(Path(scratch) / "work"), progress=bar)
        except GraphError as exc:
            print(f"timeline: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_csv_table(snapshots, out / "snapshots.csv")
    (out / "growth.json").write_text(json.dumps(info, ensure_ascii=False, indent=2,
                                                default=str), encoding="utf-8")
    print(f"{len(snapshots)} fiscal years; engine spark ({info['engine']['master']})")
    print(f"wrote 2 files to {args.out}")
    return EXIT_OK

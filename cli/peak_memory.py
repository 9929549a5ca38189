"""Peak resident memory of the running process, for benchmark child processes.

``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is not the process's own peak on Linux: a
child started with ``subprocess`` inherits its parent's resident size at the fork and keeps
it across ``exec``, so a child of a parent holding 300 MiB reports at least 300 MiB. The
kernel's ``VmHWM`` (``/proc/self/status``) belongs to the address space created by ``exec``
and so is the child's own high-water mark. Elsewhere ``ru_maxrss`` is the fallback.

No heavy imports here: a benchmark child imports this before timing anything.

>>> peak_rss_kib() > 1000
True
"""

from __future__ import annotations

import resource
import sys

__all__ = ["peak_rss_kib"]


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB (``VmHWM``, else ``ru_maxrss``).

    A child of a parent holding 256 MiB reports its own, much smaller peak:

    >>> import subprocess, sys
    >>> block = b"x" * (256 * 2 ** 20)
    >>> code = "from cli.peak_memory import peak_rss_kib; print(peak_rss_kib())"
    >>> child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
    ...                        cwd=__import__("pathlib").Path(__file__).parents[1])
    >>> 1000 < int(child.stdout) < 128 * 1024
    True
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes

"""A SparkSession for a master URL, the Java check, and Spark stages shown on the terminal.

The master is, in order: the ``master`` argument (``--spark-master``), the ``SPARK_MASTER``
environment variable, the master ``spark-submit`` or a notebook already set, else
``local[2]``. A cluster is a configuration, not a code change: ``yarn``,
``spark://host:7077``, ``k8s://https://host:443`` all go through the same call.

Examples
--------
>>> resolve_master("local[4]"), resolve_master(None, environ={"SPARK_MASTER": "yarn"})
('local[4]', 'yarn')
>>> resolve_master(None, environ={})
'local[2]'
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Mapping

from graph.errors import GraphError

__all__ = ["DEFAULT_MASTER", "resolve_master", "java_available", "spark_session",
           "StageProgress"]

DEFAULT_MASTER = "local[2]"


def resolve_master(master: str | None, *, environ: Mapping[str, str] | None = None) -> str:
    """The master URL to use: ``master``, else ``$SPARK_MASTER``, else ``local[2]``.

    A master set by ``spark-submit`` (``spark.master`` in the submitted configuration) is
    honoured by :func:`spark_session` when neither is given.

    >>> resolve_master(" local[1] ")
    'local[1]'
    """
    environ = os.environ if environ is None else environ
    for value in (master, environ.get("SPARK_MASTER")):
        if value and value.strip():
            return value.strip()
    return DEFAULT_MASTER


def java_available() -> bool:
    """Whether a Java runtime is reachable (``$JAVA_HOME/bin/java`` or ``java`` on the PATH).

    >>> isinstance(java_available(), bool)
    True
    """
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return True
    return shutil.which("java") is not None


def spark_session(master: str | None = None, *, app_name: str = "tsunagari",
                  config: Mapping[str, str] | None = None):
    """A SparkSession on ``master`` (see :func:`resolve_master`), created or reused.

    In local mode the web UI is off, the driver binds to 127.0.0.1 (no network needed) and
    shuffles use 2 partitions per core; Spark's own console bar is off (use
    :class:`StageProgress`). ``config`` entries are set last and win.

    Raises
    ------
    GraphError
        When pyspark is not installed or no Java runtime is found.
    """
    try:
        from pyspark import SparkConf
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise GraphError("the Spark engine needs pyspark: pip install 'tsunagari[spark]'") \
            from exc
    active = SparkSession.getActiveSession()
    if active is not None and master is None and not os.environ.get("SPARK_MASTER"):
        return active  # a notebook's or spark-submit's session
    if not java_available():
        raise GraphError("the Spark engine needs Java 17 or later: run scripts/ensure_java.sh "
                         "(apt install openjdk-17-jre-headless) or set JAVA_HOME")
    submitted = SparkConf().get("spark.master", None)
    url = resolve_master(master) if (master or os.environ.get("SPARK_MASTER")
                                     or not submitted) else submitted
    builder = SparkSession.builder.appName(app_name).master(url)
    settings = {"spark.ui.showConsoleProgress": "false",
                "spark.sql.session.timeZone": "UTC"}
    if url.startswith("local"):
        cores = url[url.find("[") + 1:url.find("]")] if "[" in url else "1"
        cores = (os.cpu_count() or 1) if cores == "*" else int(cores)
        settings.update({"spark.ui.enabled": "false",
                         "spark.driver.host": "127.0.0.1",
                         "spark.driver.bindAddress": "127.0.0.1",
                         "spark.sql.shuffle.partitions": str(2 * max(int(cores), 1)),
                         "spark.default.parallelism": str(2 * max(int(cores), 1))})
    settings.update(dict(config or {}))
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class StageProgress:
    """Spark's running stages on a tqdm bar (stderr), polled from ``sc.statusTracker()``.

    The bar counts tasks completed out of the tasks of the stages seen so far, and its text
    names the running stage; it is a no-op when ``enabled`` is false (not a terminal).

    Parameters
    ----------
    spark : SparkSession
    desc : str
        Bar title, e.g. ``"spark ties"``.
    enabled : bool
        Show the bar (the CLI passes ``sys.stderr.isatty()``).
    interval : float
        Seconds between polls.

    Examples
    --------
    >>> with StageProgress(None, "spark", enabled=False) as progress:
    ...     progress.set_stage("ties")
    >>> progress.stages_seen
    0
    """

    def __init__(self, spark, desc: str, *, enabled: bool, interval: float = 0.5):
        self.spark = spark
        self.desc = desc
        self.enabled = enabled and spark is not None
        self.interval = interval
        self.stages_seen = 0
        self._stage_name = ""
        self._stop = threading.Event()
        self._thread = None
        self._bar = None

    def set_stage(self, name: str) -> None:
        """Name the pipeline step now running (shown beside Spark's stage)."""
        self._stage_name = name

    def __enter__(self):
        if self.enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=0, desc=self.desc, unit="task", leave=False)
            self._thread = threading.Thread(target=self._poll, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._bar is not None:
            self._bar.close()
        return False

    def _poll(self) -> None:
        tracker = self.spark.sparkContext.statusTracker()
        totals: dict[int, tuple[int, int]] = {}
        while not self._stop.wait(self.interval):
            running = []
            active = set(tracker.getActiveStageIds())
            for stage_id, (total, _) in list(totals.items()):
                if stage_id not in active:
                    totals[stage_id] = (total, total)  # finished since the last poll
            for stage_id in sorted(active):
                info = tracker.getStageInfo(stage_id)
                if info is None:
                    continue
                totals[stage_id] = (info.numTasks, info.numCompletedTasks)
                running.append(f"stage {stage_id} {info.name.split(' at ')[0]}")
            self.stages_seen = len(totals)
            self._bar.total = sum(t for t, _ in totals.values())
            self._bar.n = sum(done for _, done in totals.values())
            self._bar.set_postfix_str(" · ".join([self._stage_name] + running[:1]))
            self._bar.refresh()

"""Graph algorithms from the engine: components, PageRank, label propagation; Leiden on the driver.

Nothing here re-implements a graph algorithm. :func:`engine_algorithms` runs

* GraphFrames (``org.graphframes.GraphFrame``) when its JAR is on the classpath, else
* Spark's own GraphX (it ships in the pyspark wheel), driven through py4j: the edges are
  written as a text edge list that ``GraphLoader.edgeListFile`` reads, and the results come
  back through ``saveAsTextFile`` (py4j cannot pass Scala closures, files can; on a cluster
  the work folder must be on a shared file system such as HDFS).

Both directions of every tie are written: GraphX and GraphFrames PageRank follow edge
direction, and an undirected tie is two directed edges. Their PageRank ignores edge weights,
so the engine's ``pagerank`` is the unweighted one (``graph.measures.pagerank(G,
weight=None)``). Organisations without ties are not in the engine's graph; their PageRank is
the closed form ``(1 − α) / (N − α I)`` (``I`` isolates among ``N``: each is a dangling node
whose mass is spread uniformly) and the rest is scaled to sum to ``1 − I s``, which is
exactly networkx's value.

:func:`leiden_on_driver` collects the tie table Spark aggregated (ties, not records: far
smaller) and runs igraph's Leiden for modularity, seeded.

Examples
--------
>>> isolate_pagerank(n=5, isolates=1)  # (1 − 0.85) / (5 − 0.85)
0.03614457831325302
"""

from __future__ import annotations

import random
import threading
import uuid

import numpy as np
import pandas as pd

__all__ = ["graphframes_available", "isolate_pagerank", "engine_algorithms",
           "leiden_on_driver", "ALPHA"]

#: PageRank damping (networkx's and graph.measures' default; GraphX's resetProb = 1 − α).
ALPHA = 0.85
_IGRAPH_LOCK = threading.Lock()


def isolate_pagerank(n: int, isolates: int, alpha: float = ALPHA) -> float:
    """PageRank of an organisation without ties among ``n`` with ``isolates`` such (networkx).

    >>> round(isolate_pagerank(n=3, isolates=3), 6)  # no ties at all: uniform
    0.333333
    """
    return (1.0 - alpha) / (n - alpha * isolates) if n else 0.0


def graphframes_available(spark) -> bool:
    """Whether GraphFrames' JAR is on the driver's classpath."""
    try:
        spark.sparkContext._jvm.java.lang.Class.forName("org.graphframes.GraphFrame")
        return True
    except Exception:  # py4j raises Py4JJavaError (ClassNotFoundException)
        return False


def _read_pairs(spark, path: str, value_type: str):
    """A ``saveAsTextFile`` of ``(vertex, value)`` tuples as a DataFrame ``vid, value``."""
    from pyspark.sql import functions as F

    text = spark.read.text(path)
    pattern = r"^\((-?\d+),(.*)\)$"
    return text.select(F.regexp_extract("value", pattern, 1).cast("long").alias("vid"),
                       F.regexp_extract("value", pattern, 2).cast(value_type).alias("value"))


def _graphx(spark, edges, *, work_dir: str, pagerank_iterations: int, lpa_steps: int,
            wanted: tuple, progress=None):
    sc = spark.sparkContext
    jvm = sc._jvm
    run = f"{work_dir.rstrip('/')}/graphx-{uuid.uuid4().hex[:8]}"
    from pyspark.sql import functions as F

    both = edges.select("src", "dst").unionByName(
        edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
    both.select(F.concat_ws(" ", "src", "dst").alias("value")).write.text(f"{run}/edges")
    level = jvm.org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()
    partitions = max(sc.defaultParallelism, 1)
    graph = jvm.org.apache.spark.graphx.GraphLoader.edgeListFile(
        sc._jsc.sc(), f"{run}/edges", False, partitions, level, level)
    results = {}
    steps = (("component", lambda: graph.ops().connectedComponents(), "long"),
             ("pagerank", lambda: graph.ops().staticPageRank(pagerank_iterations,
                                                             1.0 - ALPHA), "double"),
             ("lpa", lambda: jvm.org.apache.spark.graphx.lib.LabelPropagation.run(
                 graph, lpa_steps, jvm.scala.reflect.ClassTag.Int()), "long"))
    for name, compute, kind in steps:
        if name not in wanted:
            continue
        if progress is not None:
            progress.set_stage(f"GraphX {name}")
        compute().vertices().saveAsTextFile(f"{run}/{name}")
        results[name] = _read_pairs(spark, f"{run}/{name}", kind).withColumnRenamed(
            "value", name)
    graph.unpersist(False)
    return _join([results[name] for name in wanted])


def _join(frames):
    joined = frames[0]
    for frame in frames[1:]:
        joined = joined.join(frame, "vid")
    return joined


def _graphframes(spark, edges, *, work_dir: str, pagerank_iterations: int, lpa_steps: int,
                 wanted: tuple, progress=None):
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F

    jvm = spark.sparkContext._jvm
    spark.sparkContext.setCheckpointDir(f"{work_dir.rstrip('/')}/checkpoints")
    both = edges.select("src", "dst").unionByName(
        edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
    vertices = both.select(F.col("src").alias("id")).distinct()
    frame = jvm.org.graphframes.GraphFrame.apply(vertices._jdf, both._jdf)
    steps = {
        "component": lambda: DataFrame(frame.connectedComponents().run(), spark).select(
            F.col("id").alias("vid"), F.col("component").cast("long")),
        "pagerank": lambda: DataFrame(
            frame.pageRank().resetProbability(1.0 - ALPHA).maxIter(pagerank_iterations).run()
            .vertices(), spark).select(F.col("id").alias("vid"), "pagerank"),
        "lpa": lambda: DataFrame(frame.labelPropagation().maxIter(lpa_steps).run(),
                                 spark).select(F.col("id").alias("vid"),
                                               F.col("label").cast("long").alias("lpa")),
    }
    results = []
    for name in wanted:
        if progress is not None:
            progress.set_stage(f"GraphFrames {name}")
        results.append(steps[name]().cache())
    return _join(results)


def engine_algorithms(spark, vertices, edges, *, work_dir: str, pagerank_iterations: int = 100,
                      lpa_steps: int = 10, wanted: tuple = ("component", "pagerank", "lpa"),
                      progress=None):
    """Components, PageRank and label propagation of every organisation, from the engine.

    Parameters
    ----------
    spark : SparkSession
    vertices : DataFrame
        ``vid`` (long), one row per organisation in scope (isolates included).
    edges : DataFrame
        ``src, dst`` (long), one row per undirected tie.
    work_dir : str
        Folder (local, ``hdfs://``, ``s3a://``…) for the edge list and results.
    pagerank_iterations : int
        Power iterations (GraphX ``staticPageRank``): the error shrinks like
        0.85^iterations; 100 gives ~1e-7 of the total mass.
    lpa_steps : int
        Supersteps of label propagation.
    wanted : tuple of str
        Which of ``"component"``, ``"pagerank"``, ``"lpa"`` to run.

    Returns
    -------
    (DataFrame, str)
        ``vid`` and the ``wanted`` columns for every vertex (``component`` and ``lpa`` are
        vertex ids: the smallest of the component / the label adopted; an isolate has its
        own id), and the engine's name (``"graphframes"`` or ``"graphx"``).
    """
    from pyspark.sql import functions as F

    engine = "graphframes" if graphframes_available(spark) else "graphx"
    run = _graphframes if engine == "graphframes" else _graphx
    unknown = set(wanted) - {"component", "pagerank", "lpa"}
    if unknown or not wanted:
        raise ValueError(f"wanted: unknown or no algorithm {sorted(unknown)}")
    if edges.limit(1).count() == 0:  # no ties: each vertex is alone, PageRank uniform
        n = vertices.count()
        alone = {"component": F.col("vid"), "lpa": F.col("vid"),
                 "pagerank": F.lit(1.0 / max(n, 1))}
        return vertices.select("vid", *[alone[name].alias(name) for name in wanted]), engine
    found = run(spark, edges, work_dir=work_dir, pagerank_iterations=pagerank_iterations,
                lpa_steps=lpa_steps, wanted=tuple(wanted), progress=progress)
    columns = {name: F.coalesce(name, "vid").alias(name) for name in ("component", "lpa")}
    if "pagerank" in wanted:
        n = vertices.count()
        linked = found.agg(F.count(F.lit(1)).alias("n"),
                           F.sum("pagerank").alias("total")).first()
        isolates = n - int(linked["n"])
        s = isolate_pagerank(n, isolates)
        scale = (1.0 - isolates * s) / linked["total"]
        columns["pagerank"] = F.coalesce(F.col("pagerank") * F.lit(scale),
                                         F.lit(s)).alias("pagerank")
    joined = vertices.join(found, "vid", "left")
    return joined.select("vid", *[columns[name] for name in wanted]), engine


def leiden_on_driver(n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray, *,
                     resolution: float = 1.0, seed: int = 0) -> tuple[np.ndarray, float]:
    """Leiden (modularity objective, igraph) over a collected tie table.

    Parameters
    ----------
    n : int
        Vertices, numbered ``0 … n − 1``.
    u, v, weight : numpy arrays
        One row per undirected tie.
    resolution, seed : float, int

    Returns
    -------
    (numpy.ndarray, float)
        A community number per vertex (largest community first, 0-based) and the weighted
        modularity (NaN without ties).

    Examples
    --------
    >>> labels, q = leiden_on_driver(6, np.array([0, 1, 0, 3, 4, 3]), np.array([1, 2, 2, 4, 5, 5]),
    ...                              np.ones(6))
    >>> labels.tolist(), round(q, 3)
    ([0, 0, 0, 1, 1, 1], 0.5)
    """
    import igraph as ig

    graph = ig.Graph(n=n, edges=list(zip(np.asarray(u).tolist(), np.asarray(v).tolist())))
    weights = np.asarray(weight, dtype=float).tolist()
    with _IGRAPH_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            found = graph.community_leiden(objective_function="modularity", weights=weights,
                                           resolution=resolution, n_iterations=-1)
        finally:
            ig.set_random_number_generator(random)
    labels = np.asarray(found.membership, dtype=np.int64)
    quality = (float(graph.modularity(labels.tolist(), weights=weights,
                                      resolution=resolution))
               if len(weights) and sum(weights) > 0 else float("nan"))
    return renumber(labels), quality


def renumber(labels) -> np.ndarray:
    """Community labels renumbered 0, 1, … by size (largest first, then first member).

    >>> renumber(np.array([7, 3, 3, 9])).tolist()
    [1, 0, 0, 2]
    """
    labels = np.asarray(labels)
    if not len(labels):
        return labels.astype(np.int64)
    frame = pd.DataFrame({"label": labels, "pos": np.arange(len(labels))})
    stats = frame.groupby("label")["pos"].agg(["size", "min"])
    order = stats.sort_values(["size", "min"], ascending=[False, True]).index
    mapping = pd.Series(np.arange(len(order)), index=order)
    return mapping.reindex(labels).to_numpy(dtype=np.int64)

"""The Spark engine: the same network analyses on Apache Spark, for data past one machine.

Modules (each imports pyspark only inside its functions, so ``graph.spark`` loads without it):

``parquet``      the Parquet export of a dataset (the folder Spark reads) and its manifest
``session``      a SparkSession for a master URL (``local[2]``, ``yarn``, ``spark://…``,
                 ``k8s://…``), the Java check, and stage progress on the terminal
``ties``         the organisation tie table in Spark SQL (same scope and weighting as
                 ``graph.build.tie_graph``)
``algorithms``   components, PageRank and label propagation from the engine (GraphFrames
                 when its JAR is on the classpath, else GraphX over py4j), Leiden on the
                 driver over the tie table Spark aggregated
``analyze``      the pipeline behind ``tsunagari analyze --engine spark``
``timeline``     per-fiscal-year snapshot metrics behind ``tsunagari timeline --engine spark``

See docs/spark.md.
"""

"""`tsunagari export`: the network as a file for Gephi, Cytoscape, spreadsheets or code.

::

    tsunagari export --format gexf --out ties.gexf                 # the organisation tie graph
    tsunagari export --format graphml --view full --out all.graphml
    tsunagari export --format csv --real-only --out ties.csv       # ties-nodes.csv, ties-edges.csv
    tsunagari export --dataset data/osaka/real --format xlsx --out ties.xlsx
    tsunagari export --analysis --format gexf --out osaka.gexf     # measures, layout, spells
    tsunagari export --format parquet --out records/           # every table, for Spark

``--view ties`` (default) writes :func:`graph.build.tie_graph` (organisations, weighted ties
with their evidence and dates); ``--view full`` the typed ecosystem graph (organisations,
events, talents, resources, programmes, wards and every relation). ``--format`` defaults to
the suffix of ``--out``. Spreadsheet formats escape formula-like cells (see
:mod:`graph.io`). ``--format parquet`` writes the records themselves, one file per table,
into the folder ``--out`` (layout: :mod:`graph.spark.parquet`, docs/spark.md); from a store
it is streamed table by table out of DuckDB (:func:`graph.spark.parquet_store.write_parquet_from_store`),
never read into memory whole; from ``--dataset`` the dataset is read and converted.

``--analysis`` (ties view) runs ``graph.analysis.analyze`` first and writes what it found on
every organisation (community and its label, centralities, role, connector score, isolated
reasons: :mod:`graph.io.export_analysis`), a seeded layout (``--layout``; GEXF
``viz:position``, other formats ``x``/``y``) and, in GEXF, each tie's first–last dates as
its spell, so Gephi opens the file laid out, coloured by community and with a timeline,
without recomputing anything (docs/export.md).

Exit status: 0 success, 1 store unusable (missing, busy, damaged), 2 bad input.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="tsunagari"); sub = parser.add_subparsers()
>>> register(sub)
>>> args = parser.parse_args(["export", "--format", "gexf", "--out", "t.gexf"])
>>> args.view, args.real_only, args.store, args.analysis, args.layout
('ties', False, None, False, 'auto')
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["register", "cmd_export", "export_graph"]

from cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_STORE, add_input_arguments, load_or_explain

FORMATS = ("gexf", "graphml", "csv", "json", "xlsx", "parquet")


def register(sub) -> None:
    """Add the `export` subcommand."""
    p = sub.add_parser(
        "export", help="write the network as GEXF, GraphML, CSV, JSON or XLSX",
        description="Write the organisation tie graph (or the full typed graph) for Gephi, "
                    "Cytoscape, spreadsheets or code.")
    add_input_arguments(p)
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="file format (default: from the suffix of --out)")
    p.add_argument("--view", choices=("ties", "full"), default="ties",
                   help="ties: organisation tie graph (default); full: every record, typed")
    p.add_argument("--real-only", action="store_true", help="leave out synthetic records")
    p.add_argument("--out", required=True, metavar="FILE", help="file to write")
    p.add_argument("--analysis", action="store_true",
                   help="add communities, centralities, roles, a layout and (GEXF) tie spells")
    p.add_argument("--layout", choices=("auto", "organisations", "communities", "none"),
                   default="auto", help="layout written with --analysis (default: auto: "
                   "every organisation up to 200,000, else by community)")
    p.add_argument("--seed", type=int, default=0, help="seed of communities and layout")
    p.set_defaults(func=cmd_export)


def export_graph(dataset, out, *, view: str = "ties", format: str | None = None,
                 real_only: bool = False, analysis: bool = False, layout: str = "auto",
                 seed: int = 0) -> list[Path]:
    """Build the ``view`` of ``dataset`` and write it to ``out``; return the files written.

    With ``analysis`` (ties view only) the organisations carry the analysis' findings, the
    file a layout (``layout``, or ``"none"``) and, in GEXF, the ties their spells.

    >>> import tempfile
    >>> from graph.build import example_dataset
    >>> out = Path(tempfile.mkdtemp()) / "full.graphml"
    >>> [p.name for p in export_graph(example_dataset(), out, view="full")]
    ['full.graphml']
    >>> import networkx as nx
    >>> _ = export_graph(example_dataset(), out.with_name("t.gexf"), analysis=True)
    >>> nx.read_gexf(out.with_name("t.gexf")).nodes["A"]["role"]
    'R1'
    """
    from graph.build import ecosystem_graph, restrict, tie_graph
    from graph.errors import GraphError
    from graph.io import write_graph

    if format == "parquet":  # the records, one file per table (graph.spark.parquet)
        from graph.spark.parquet import write_parquet

        return write_parquet(restrict(dataset, real_only=real_only), out)
    if analysis:
        if view != "ties":
            raise GraphError("--analysis: the analysis is of the ties view (not --view full)")
        return _export_analysis(dataset, Path(out), format=format, real_only=real_only,
                                layout=layout, seed=seed)
    if view == "ties":
        G = tie_graph(dataset, real_only=real_only)
    elif view == "full":
        G = ecosystem_graph(restrict(dataset, real_only=real_only)).graph
    else:
        raise GraphError(f"view: unknown {view!r}; views are ties, full")
    return write_graph(G, out, format=format)


def _export_analysis(dataset, out: Path, *, format, real_only: bool, layout: str,
                     seed: int) -> list[Path]:
    from graph.analysis import analyze
    from graph.io import FORMATS, analysis_graph, layout_positions, write_graph

    result = analyze(dataset, real_only=real_only, seed=seed)
    G = analysis_graph(result.ties, result.measures)
    positions = None
    if layout != "none":
        positions = layout_positions(G, result.measures["community"].to_dict(), seed=seed,
                                     method=layout)
    gexf = format == "gexf" or (format is None and out.suffix.lower() == FORMATS["gexf"])
    return write_graph(G, out, format=format, positions=positions, spells=gexf)


def cmd_export(args) -> int:
    """Run `tsunagari export`; returns the exit status."""
    from graph.errors import GraphError

    out = Path(args.out)
    if not out.parent.exists():
        print(f"--out: folder {out.parent} does not exist", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "parquet" and not getattr(args, "dataset", None):
        return _export_store_parquet(args, out)
    dataset, status = load_or_explain(args, doing="exported")
    if dataset is None:
        return status
    try:
        files = export_graph(dataset, out, view=args.view, format=args.format,
                             real_only=args.real_only, analysis=args.analysis,
                             layout=args.layout, seed=args.seed)
    except GraphError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for path in files:
        print(f"wrote {path}")
    return EXIT_OK


def _export_store_parquet(args, out: Path) -> int:
    """``--format parquet`` from the store: streamed, no ``Dataset`` (same exit statuses)."""
    from graph.errors import GraphError
    from graph.spark.parquet_store import write_parquet_from_store
    from ingest.store import StoreError, default_store_path

    store = Path(args.store) if args.store else default_store_path()
    try:
        files = write_parquet_from_store(store, out, real_only=args.real_only,
                                         timeout=args.timeout)
    except GraphError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FileNotFoundError as exc:  # StoreNotFoundError, as load_or_explain words it
        print(f"not found: {exc} (load data first: `tsunagari bootstrap` or `tsunagari "
              "ingest PATH`, or pass --dataset PATH)", file=sys.stderr)
        return EXIT_STORE
    except StoreError as exc:
        print(f"store: {exc}", file=sys.stderr)
        return EXIT_STORE
    for path in files:
        print(f"wrote {path}")
    return EXIT_OK

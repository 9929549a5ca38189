"""The one entry point: :func:`write_graph` writes a graph in any of the :data:`FORMATS`.

It picks the writer from the format (or the file's suffix): GEXF (``graph.io.gexf``), GraphML
(``graph.io.graphml``), JSON (``graph.io.json_writer``), CSV and XLSX (``graph.io.tables``),
and puts a layout on the graph (``positions``): GEXF ``<viz:position>``, elsewhere the node
attributes ``x`` and ``y``.

Examples
--------
>>> import tempfile, pathlib
>>> from graph.build import example_dataset, tie_graph
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_graph(tie_graph(example_dataset()), folder / "ties.csv")]
['ties-nodes.csv', 'ties-edges.csv']
>>> _ = write_graph(tie_graph(example_dataset()), folder / "ties.gexf")
>>> nx.read_gexf(folder / "ties.gexf").edges["A", "B"]["evidence"]
'collaborations:C1;events:E1;events:E2;memberships:K'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from graph.errors import GraphError
from graph.io.gexf import write_gexf
from graph.io.graphml import write_graphml
from graph.io.json_writer import write_json
from graph.io.tables import (
    escaped_frame,
    graph_columns,
    graph_frames,
    write_csv_columns,
    write_xlsx,
)

__all__ = ["FORMATS", "write_graph"]


#: Formats :func:`write_graph` can write, keyed by name, with their file suffix.
FORMATS: dict[str, str] = {"gexf": ".gexf", "graphml": ".graphml", "csv": ".csv",
                           "json": ".json", "xlsx": ".xlsx"}


def _with_positions(G: nx.Graph, positions: Mapping) -> nx.Graph:
    """A copy of ``G`` with node attributes ``x`` and ``y`` from ``positions``."""
    H = G.copy()
    for n, xy in positions.items():
        if n in H:
            H.nodes[n]["x"], H.nodes[n]["y"] = float(xy[0]), float(xy[1])
    return H


def write_graph(G: nx.Graph, path, *, format: str | None = None,
                positions: Mapping | None = None, spells: bool = False) -> list[Path]:
    """Write ``G`` to ``path`` as GEXF, GraphML, CSV, JSON or XLSX.

    Parameters
    ----------
    G : networkx graph
        Typically :func:`graph.build.tie_graph` or ``ecosystem_graph(...).graph``; not
        modified.
    path : str or Path
        The file to write (its folder must exist). For CSV, the two files are written next
        to it as ``<stem>-nodes.csv`` and ``<stem>-edges.csv``.
    format : {"gexf", "graphml", "csv", "json", "xlsx"}, optional
        Default: from the suffix of ``path``.
    positions : mapping of node to (x, y), optional
        A layout (``graph.io.export_analysis.layout_positions``). GEXF writes it as each node's
        ``<viz:position>`` (Gephi opens the file laid out); the other formats as the node
        attributes ``x`` and ``y`` (what Gephi's and Cytoscape's own GraphML holds).
    spells : bool, default False
        GEXF only: each edge's ``first_date`` – ``last_date`` as its spell (``<spells>``,
        graph ``mode="dynamic"``, ``timeformat="date"``), so Gephi's timeline shows when
        each tie was active. The dates stay attributes as well.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    GraphError
        For an unknown format, or a suffix that names none when ``format`` is not given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("a", name="=cmd|'/c calc'!A1")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> nodes_csv, _ = write_graph(G, folder / "g.csv")
    >>> print(nodes_csv.read_text(encoding="utf-8-sig").splitlines()[1])
    "a","'=cmd|'/c calc'!A1"
    """
    path = Path(path)
    if format is None:
        format = next((name for name, suffix in FORMATS.items()
                       if path.suffix.lower() == suffix), None)
        if format is None:
            raise GraphError(f"cannot tell the format from {path.name!r}: name one of "
                             f"{', '.join(FORMATS)}")
    if format not in FORMATS:
        raise GraphError(f"format: unknown {format!r}; formats are {', '.join(FORMATS)}")

    if format == "gexf":
        write_gexf(G, path, positions, spells)
        return [path]
    if positions is not None:
        G = _with_positions(G, positions)
    if format == "graphml":
        write_graphml(G, path)
        return [path]
    if format == "json":
        write_json(G, path)
        return [path]
    if format == "csv":
        stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
        written = [stem.parent / f"{stem.name}-nodes.csv", stem.parent / f"{stem.name}-edges.csv"]
        nodes, edges = graph_columns(G)
        write_csv_columns({"id": []} if nodes is None else nodes, written[0])
        write_csv_columns(edges, written[1])
        return written
    nodes, edges = graph_frames(G)
    sheets = {"nodes": escaped_frame(nodes), "edges": escaped_frame(edges)}
    del nodes, edges  # write_xlsx lets each sheet go once its cells are in the workbook
    write_xlsx(sheets, path)
    return [path]

"""Records rendered from one template per attribute layout and streamed to a file in blocks.

The GraphML, GEXF and JSON writers make their files column by column: each attribute's texts
are computed once for all records (a :class:`graph.io.flatten.Table`), then the rows are
rendered from one %-format template per attribute layout (:func:`render_rows`) and written
:data:`BLOCK` records at a time (:func:`write_rows`), so no element tree, no flattened copy of
the graph and no whole document is held in memory.

Examples
--------
>>> import io, numpy as np
>>> from graph.io.flatten import Table
>>> table = Table(2, {}, {}, [("n",)], np.zeros(2, dtype=np.intp), [0])
>>> out = io.StringIO()
>>> write_rows(out, table, [["a", "b"]], {"n": ["1", "2"]},
...            lambda layout: ("<%s n=%s/>", layout), separator=";")
>>> out.getvalue()
'<a n=1/>;<b n=2/>'
"""

from __future__ import annotations

from operator import itemgetter

import numpy as np

from graph.io.flatten import Table

__all__ = ["BLOCK", "render_rows", "write_rows", "template_literal"]


BLOCK = 20_000  # records rendered and written at a time


def render_rows(table: Table, lead: list[list], fragments: dict, template, start: int,
                stop: int) -> list[str]:
    """Text of records ``start:stop``: ``template(layout) % (lead values, fragments)``, where
    ``template(j)`` returns ``(format, names)`` for layout ``j``."""
    layout_of = table.layout_of[start:stop]
    if len(table.layouts) == 1:
        runs: list[tuple[int, np.ndarray | None]] = [(0, None)]
    else:
        order = np.argsort(layout_of, kind="stable")
        bounds = np.flatnonzero(np.diff(layout_of[order])) + 1
        runs = [(int(layout_of[idx[0]]), idx) for idx in np.split(order, bounds)]
    out: list = [None] * (stop - start)
    for layout, idx in runs:
        text, names = template(layout)
        columns = lead + [fragments[name] for name in names]
        if idx is None:
            return list(map(text.__mod__, zip(*(c[start:stop] for c in columns))))
        rows = (idx + start).tolist()
        pick = itemgetter(*rows) if len(rows) > 1 else (lambda c, r=rows[0]: (c[r],))
        for i, row in zip(idx.tolist(), map(text.__mod__, zip(*map(pick, columns)))):
            out[i] = row
    return out


def write_rows(out, table: Table, lead: list[list], fragments: dict, template, *,
               separator: str = "") -> None:
    """Render the records block by block (see :func:`render_rows`) and write them to ``out``."""
    cache: dict[int, tuple] = {}

    def cached(layout: int) -> tuple:
        if layout not in cache:
            cache[layout] = template(table.layouts[layout])
        return cache[layout]

    for start in range(0, table.size, BLOCK):
        stop = min(start + BLOCK, table.size)
        if start:
            out.write(separator)
        out.write(separator.join(render_rows(table, lead, fragments, cached, start, stop)))


def template_literal(text: str) -> str:
    """Literal text inside a %-format template."""
    return text.replace("%", "%%")

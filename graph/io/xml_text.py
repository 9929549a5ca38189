"""XML text as ElementTree writes it, a column at a time: escaping, the declaration, the file.

The GraphML and GEXF writers (``graph.io.graphml``, ``graph.io.gexf``) write the text
networkx's ElementTree writers give, without building an element tree: :func:`xml_texts`
turns a column of flattened values into escaped text, :func:`escape_all` escapes a column of
text (one scan finds whether any needs it).

Examples
--------
>>> escape_attrib('a<"b">'), escape_cdata("x & y")
('a&lt;&quot;b&quot;&gt;', 'x &amp; y')
>>> xml_texts([True, None, False], attrib=True)
['True', None, 'False']
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.io.flatten import NONE_TYPE

__all__ = [
    "XML_DECLARATION",
    "escape_cdata",
    "escape_attrib",
    "escape_all",
    "xml_texts",
    "open_xml",
]


_ATTRIB_SPECIAL = re.compile(r'[&<>"\r\n\t]')
_CDATA_SPECIAL = re.compile(r"[&<>]")


def escape_cdata(text: str) -> str:
    """XML-escape element text (``&``, ``<``, ``>``), as ElementTree writes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attrib(text: str) -> str:
    """XML-escape an attribute value, as ElementTree writes it."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def escape_all(texts: list, *, attrib: bool) -> list:
    """XML-escape a column of text (``None`` stays ``None``), as ElementTree writes it."""
    special, escape = ((_ATTRIB_SPECIAL, escape_attrib) if attrib
                       else (_CDATA_SPECIAL, escape_cdata))
    if not special.search("".join(t for t in texts if t is not None)):
        return texts
    return [t if t is None or not special.search(t) else escape(t) for t in texts]


def _kind(values: list) -> type:
    """The one type of a flattened attribute column."""
    kinds = set(map(type, values))
    kinds.discard(NONE_TYPE)
    return kinds.pop() if kinds else str


def xml_texts(values: list, *, attrib: bool, booleans=str, infinities=False,
              kind: type | None = None) -> list:
    """``str`` of each value of a one-type column, XML-escaped; ``None`` stays ``None``."""
    kind = _kind(values) if kind is None else kind
    if kind is str:
        return escape_all(values, attrib=attrib)
    if kind is bool:
        return [None if v is None else booleans(v) for v in values]
    texts = [None if v is None else str(v) for v in values]
    if infinities and kind is float:
        names = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}
        texts = [None if t is None else names.get(t, t) for t in texts]
    return texts


def open_xml(path: Path):
    """The file ``path`` opened for writing XML text."""
    # what ElementTree.write(path, encoding="utf-8") opens
    return open(path, "w", encoding="utf-8", errors="xmlcharrefreplace", newline="\n")


#: The XML declaration ElementTree writes.
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"

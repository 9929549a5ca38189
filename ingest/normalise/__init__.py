"""Normalising text, dates, fiscal years, wards, NPO fields and organisation names.

Japanese records mix full- and half-width characters, era dates (平成30年9月, R元) and many
spellings of one organisation. Every function here takes one raw value and returns the
canonical one, or raises ``ValueError`` with a reason a person can act on.

What lives where:

* :mod:`ingest.normalise.text` — :func:`nfkc`;
* :mod:`ingest.normalise.dates` — :data:`ERAS`, :func:`parse_date`, :func:`to_era`,
  :func:`parse_fiscal_year`, :func:`fiscal_year_label` (:func:`fiscal_year` and
  :func:`fiscal_year_bounds` are ``ingest.fiscal``'s, re-exported here);
* :mod:`ingest.normalise.wards` — :data:`WARD_ROMAJI`, :func:`is_osaka`,
  :func:`normalise_ward`, :func:`ward_in_english`;
* :mod:`ingest.normalise.fields` — :func:`parse_fields`;
* :mod:`ingest.normalise.names` — :func:`name_key` (and ``LEGAL_FORMS``, ``HONORIFICS``,
  which ``ingest.resolve`` reads, not re-exported here).

Examples
--------
>>> parse_date("令和元年8月1日")
datetime.date(2019, 8, 1)
>>> fiscal_year(parse_date("2020/3/31"))
2019
>>> normalise_ward("浪速")
'浪速区'
>>> name_key("特定非営利活動法人 ReBORNさん") == name_key("ＲｅＢＯＲＮ")
True
"""

from ingest.fiscal import fiscal_year, fiscal_year_bounds  # the rule lives there
from ingest.normalise.dates import ERAS, fiscal_year_label, parse_date, parse_fiscal_year, to_era
from ingest.normalise.fields import parse_fields
from ingest.normalise.names import name_key
from ingest.normalise.text import nfkc
from ingest.normalise.wards import WARD_ROMAJI, is_osaka, normalise_ward, ward_in_english

__all__ = [
    "ERAS",
    "nfkc",
    "parse_date",
    "to_era",
    "fiscal_year",
    "fiscal_year_bounds",
    "parse_fiscal_year",
    "fiscal_year_label",
    "normalise_ward",
    "is_osaka",
    "WARD_ROMAJI",
    "ward_in_english",
    "parse_fields",
    "name_key",
]

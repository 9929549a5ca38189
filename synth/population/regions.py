"""`Region`: the wards generated together in memory (one chunk of the dataset)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.schemas import WARDS
from synth import calibration as cal

__all__ = ["Region"]


@dataclass(frozen=True)
class Region:
    """Wards generated together. ``full`` wards get everything; the others only a ``share``
    of their thematic groups and companies (visitors to the full wards' events).

    ``label`` prefixes ward names in the ``nation`` scale (one synthetic municipality);
    ``alloc_key`` seeds the council allocation so a ward looks the same at every scale;
    ``city_share`` scales the city-wide programmes (dispatches, grants, resource offers).
    """

    wards: tuple[str, ...]
    full: tuple[bool, ...]
    share: tuple[float, ...]
    label: str = ""
    alloc_key: int = 0
    city_share: float = 1.0

    @classmethod
    def osaka(cls) -> Region:
        """All 24 wards of Osaka City, full.

        >>> len(Region.osaka().wards)
        24
        """
        return cls(WARDS, (True,) * len(WARDS), (1.0,) * len(WARDS))

    @classmethod
    def ward(cls, focal: str = "西淀川区", neighbour_share: float = 0.5) -> Region:
        """One full ward plus a share of its neighbours' thematic groups and companies.

        >>> Region.ward("西淀川区").wards
        ('西淀川区', '福島区', '此花区', '淀川区')
        """
        nbrs = cal.neighbours(focal)
        return cls((focal,) + nbrs, (True,) + (False,) * len(nbrs),
                   (1.0,) + (neighbour_share,) * len(nbrs), city_share=1.0 / len(WARDS))

    @classmethod
    def municipality(cls, number: int) -> Region:
        """Synthetic municipality ``number`` of the nation scale: Osaka-shaped, own label.

        >>> Region.municipality(3).label
        '合成市004'
        """
        base = cls.osaka()
        return cls(base.wards, base.full, base.share, label=f"合成市{number + 1:03d}",
                   alloc_key=number + 1)

    def display(self, ward: str) -> str:
        """The ward name written to the records (prefixed by the label in the nation scale)."""
        return f"{self.label}{ward}"

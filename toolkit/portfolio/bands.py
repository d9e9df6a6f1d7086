"""Sector and size as bands: wide enough that a band and a start month never point at one client.

A client.yaml's ``sector:`` is free text ("Wholesale distribution", "Financial services (mutual)");
:func:`sector_band` reads it into one of :data:`SECTOR_BANDS` by the words it contains. When no
band's words appear, or words of two bands do, it stops and asks, giving the client.yaml line that
settles it (a band's own name is always read as that band).
"""

from __future__ import annotations

import re

from .store import PortfolioError

__all__ = ["SECTOR_BANDS", "SIZE_BANDS", "sector_band", "size_band"]

#: Band -> words that put a sector in it (matched as whole words, any case).
SECTOR_BANDS: dict[str, tuple[str, ...]] = {
    "Public sector": ("public sector", "government", "civil service", "council", "local authority", "ministry",
                      "department for", "police", "defence", "armed forces", "agency"),
    "Health and care": ("health", "healthcare", "nhs", "hospital", "care", "clinical", "medical", "pharmacy",
                        "pharmaceutical", "pharmaceuticals", "life sciences", "biotech"),
    "Education and research": ("education", "university", "school", "college", "academic", "research council"),
    "Financial services": ("financial", "finance", "bank", "banking", "building society", "insurance", "insurer",
                           "mutual", "investment", "asset management", "fintech", "pensions", "credit union"),
    "Technology": ("software", "technology", "tech", "start-up", "startup", "saas", "it services", "telecoms",
                   "telecommunications", "digital", "data", "research tools"),
    "Professional services": ("consulting", "consultancy", "law", "legal", "accounting", "accountancy", "audit",
                              "professional services", "architecture", "recruitment"),
    "Manufacturing and engineering": ("manufacturing", "engineering", "automotive", "aerospace", "chemicals",
                                      "construction", "industrial"),
    "Retail, wholesale and consumer": ("retail", "wholesale", "distribution", "consumer", "fashion", "food",
                                       "grocery", "e-commerce", "ecommerce"),
    "Energy, utilities and resources": ("energy", "utility", "utilities", "oil", "gas", "mining", "water",
                                        "renewables", "power"),
    "Transport and logistics": ("transport", "logistics", "shipping", "airline", "aviation", "rail", "freight"),
    "Charity and non-profit": ("charity", "non-profit", "nonprofit", "not-for-profit", "ngo", "foundation",
                               "social enterprise"),
    "Media, hospitality and leisure": ("media", "publishing", "hospitality", "hotel", "hotels", "leisure", "travel",
                                       "entertainment", "sport", "arts"),
}

#: Size bands by the people who signed up to the programme (lowest first).
SIZE_BANDS: tuple[tuple[int, str], ...] = ((50, "under 50"), (100, "50 to 99"), (250, "100 to 249"),
                                           (500, "250 to 499"), (10**12, "500 or more"))


def _words(band: str) -> re.Pattern:
    terms = sorted(SECTOR_BANDS[band], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(term) for term in terms) + r")(?![\w-])", re.IGNORECASE)


_PATTERNS = {band: _words(band) for band in SECTOR_BANDS}


def sector_band(sector: str | None, *, source: str | None = None) -> str:
    """The band a client's ``sector:`` reads as.

    Raises
    ------
    PortfolioError
        When the sector is missing, matches no band, or matches two (the fix is the client.yaml line).
    """
    text = str(sector or "").strip()
    bands = ", ".join(SECTOR_BANDS)
    if not text:
        raise PortfolioError("The client's sector is not stated, so the programme cannot be placed in a sector "
                             "band.", fix=f"add a line to client.yaml such as  sector: Financial services  (one of: "
                                          f"{bands})", path=source, column="sector")
    for band in SECTOR_BANDS:
        if text.casefold() == band.casefold():
            return band
    found = _bands_in(text)
    if len(found) > 1:
        # A qualifier in brackets does not choose the band: "Healthcare (technology)" is health and care.
        outside = _bands_in(re.sub(r"\([^)]*\)", " ", text))
        if len(outside) == 1:
            return outside[0]
        raise PortfolioError(f'The sector "{text}" reads as more than one band ({" and ".join(found)}).',
                             fix=f"write the band in client.yaml instead, e.g.  sector: {found[0]}  (one of: {bands})",
                             path=source, column="sector", value=text)
    if not found:
        raise PortfolioError(f'The sector "{text}" matches no sector band.',
                             fix=f"write the nearest band in client.yaml, e.g.  sector: Professional services  (one "
                                 f"of: {bands})", path=source, column="sector", value=text)
    return found[0]


def _bands_in(text: str) -> list[str]:
    return [band for band, pattern in _PATTERNS.items() if pattern.search(text)]


def size_band(people: int) -> str:
    """The band of a programme with ``people`` signed up."""
    for limit, band in SIZE_BANDS:
        if people < limit:
            return band
    return SIZE_BANDS[-1][1]

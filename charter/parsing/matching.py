"""Finding the partner a heading names in another form (« l'UNPI Paris » ↔ « UNPI 75 »)."""

from __future__ import annotations

import re

from charter.parsing.cleanup import fold
from charter.parsing.sections import strip_article
from charter.parsing.types import DocumentPartner

INITIALS_SKIP = frozenset({"de", "du", "des", "la", "le", "les", "et", "sur", "pour", "a", "au"})


def acronyms(text: str) -> set[str]:
    """The all-caps words of a name (« UNPI », « CAF »), two letters or more."""
    return {
        token
        for token in re.findall(r"[A-Za-zÀ-ÖØ-öø-ÿ]+", text)
        if len(token) >= 2 and token.isupper() and fold(token) not in INITIALS_SKIP
    }


def initials(name: str) -> str:
    """The initials of a name's significant words (« Caisse d'allocations familiales » → CAF)."""
    letters = ""
    for word in re.split(r"[\s'’-]+", name):
        if word and fold(word) not in INITIALS_SKIP and word[0].isalpha():
            letters += word[0].upper()
    return letters


def match_partner(raw: str, partners: list[DocumentPartner]) -> tuple[int, str] | None:
    """The partner a text names, and how it was recognised (French), else None.

    In order: the name, the short name, an acronym they share (« UNPI »), the initials of the
    name (« CAF » for « Caisse d'allocations familiales »), the name without its territory
    (« Union des propriétaires » for « Union des propriétaires de Testville »).
    """
    name = re.sub(r"\s*:\s*$", "", raw.strip())
    name = strip_article(name[:1].upper() + name[1:])
    key = fold(name)
    for index, partner in enumerate(partners):
        if key in (fold(partner.name), fold(strip_article(partner.raw_name))):
            return index, "nom"
    for index, partner in enumerate(partners):
        if key == fold(partner.short_name):
            return index, "sigle"
    wanted = acronyms(name)
    for index, partner in enumerate(partners):
        shared = wanted & acronyms(f"{partner.short_name} {partner.name} {partner.raw_name}")
        if shared:
            return index, f"sigle « {sorted(shared)[0]} »"
    for index, partner in enumerate(partners):
        if len(initials(partner.name)) >= 2 and initials(partner.name) in wanted:
            return index, f"initiales « {initials(partner.name)} »"
    for index, partner in enumerate(partners):
        if _same_but_territory(key, fold(partner.name)):
            return index, "nom sans territoire"
    return None


def _same_but_territory(first: str, second: str) -> bool:
    """« union des proprietaires » and « union des proprietaires de testville »: one name is the
    other followed by a territory (at most three words)."""
    short, long = sorted((first, second), key=len)
    if not short or short == long or not long.startswith(short + " "):
        return False
    return len(long[len(short) :].split()) <= 3

"""What a charter's headings announce: a stage of the procedure, shared commitments, an annex,
the signatories page, the platform's own furniture. Pure patterns, no state."""

from __future__ import annotations

import re

from charter.parsing.cleanup import fold

# Chapters by stage of the procedure, used as orientations (« Du jugement au concours de la
# force publique »).
STAGE_RE = re.compile(
    r"^(?:(?:la|une)\s+)?pr[ée]vention\s+(?:en\s+amont|pr[ée]coce|des\s+impay[ée]s)"
    r"|^(?:avant|d[èe]s)\s+(?:l'impay[ée]|le\s+premier\s+impay[ée]|l'assignation|le\s+commandement)"
    r"|^de\s+l'impay[ée]|^du\s+commandement\s+de\s+payer|^de\s+l'assignation|^du\s+jugement"
    r"|^apr[èe]s\s+(?:l'expulsion|le\s+jugement|la\s+d[ée]cision)"
    r"|^(?:la\s+)?phase\s+(?:pr[ée]contentieuse|contentieuse|amiable|judiciaire)",
    re.IGNORECASE,
)
SHARED_HEADING_RE = re.compile(
    r"^(?:les\s+)?engagements?\s+(?:partag[ée]s|communs?|collectifs?"
    r"|de\s+(?:tous\s+les|l'ensemble\s+des)\s+(?:signataires|partenaires)"
    r"|des\s+signataires)\s*:?\s*$",
    re.IGNORECASE,
)
# Who commits in « Les signataires s'engagent à » (every signatory, together).
ALL_SIGNATORIES_RE = re.compile(
    r"^(?:tous\s+les|l'ensemble\s+des|les|chacun\s+des)\s+(?:signataires|partenaires)"
    r"(?:\s+de\s+la\s+(?:pr[ée]sente\s+)?charte)?$",
    re.IGNORECASE,
)
# Chapter headings that only announce what follows.
STRUCTURE_RE = re.compile(
    r"^(?:les\s+)?(?:engagements\s+(?:des\s+partenaires|de\s+chacun|par\s+axe|par\s+partenaire"
    r"|sp[ée]cifiques|individuels)|orientations(?:\s+et\s+actions)?|axes\s+d'intervention)\b",
    re.IGNORECASE,
)
ANNEX_TITLE_RE = re.compile(
    r"^annexe(?:\s+(?:n\s*[°º]\s*)?[\dIVX]+)?\s*[-–—:.]\s*(?P<title>\S.*)$", re.IGNORECASE
)
ENGAGEMENTS_ANNEX_RE = re.compile(r"^(?:les\s+)?engagements\b", re.IGNORECASE)
INDICATORS_RE = re.compile(r"\bindicateurs?\b", re.IGNORECASE)
PREAMBLE_RE = re.compile(r"^pr[ée]ambule\s*:?\s*$", re.IGNORECASE)
# The charter's general provisions (dates, objectives, follow-up): fields of the charter, not its
# préambule (the platform's export writes them under these headings).
GENERAL_RE = re.compile(
    r"^(?:dispositions\s+g[ée]n[ée]rales|objectifs\s+quantitatifs|objectifs\s+qualitatifs"
    r"|suivi,\s+[ée]valuation\s+et\s+r[ée]vision\s+de\s+la\s+charte)\s*:?\s*$",
    re.IGNORECASE,
)
SIGNATURES_RE = re.compile(
    r"^(?:signatures?|(?:les\s+|liste\s+des\s+)?signataires(?:\s+de\s+la\s+charte)?)\s*:?\s*$",
    re.IGNORECASE,
)
DECLARATIONS_RE = re.compile(r"^d[ée]clarations\s+des\s+(?:signataires|partenaires)\b", re.I)
DECLARATION_NAME_RE = re.compile(
    r"^d[ée]claration\s+(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')(?P<name>\S.*?)\s*:?\s*$",
    re.IGNORECASE,
)
# The platform's own export: its authentication page and signature blocks are furniture.
FURNITURE_SECTION_RE = re.compile(r"^authentification du document$", re.IGNORECASE)
SIGNATURE_FURNITURE_RE = re.compile(
    r"^(?:signature(?:\s+et\s+cachet)?|cachet|fait\s+à\b.*|lu\s+et\s+approuv[ée].*|—|-|\.{3,})$",
    re.IGNORECASE,
)
COPILOT_RE = re.compile(r"^co-?pilotes?\s+de\s+la\s+charte$", re.IGNORECASE)
SIGNATORY_FOR_RE = re.compile(r"^pour\s+(?P<name>\S.*?)\s*:?\s*$", re.IGNORECASE)
ORGANISATION_WITH_ACRONYM_RE = re.compile(r"^(?P<name>\S.*\S)\s*\((?P<short>[^()]{2,40})\)$")
DATES_RE = re.compile(r"^(?:entr[ée]e en vigueur|dur[ée]e|fin)\s*:", re.IGNORECASE)


def heading_like(text: str) -> bool:
    """A short line that ends without a sentence's punctuation."""
    return len(text.split()) <= 16 and not text.endswith((".", ";", ",", "?", "!"))


def is_stage_heading(text: str) -> bool:
    """Tell whether a line is a chapter named after a stage of the eviction procedure."""
    return heading_like(text) and bool(STAGE_RE.match(text))


def annex_title(text: str) -> str | None:
    """The title of an « Annexe 4 : Liste des sigles » heading, else None."""
    match = ANNEX_TITLE_RE.match(text)
    return match.group("title").strip() if match and heading_like(text) else None


def joint_names(name: str) -> list[str]:
    """« La CAF et le Département » → ["La CAF", "le Département"]; one name → [name]."""
    parts = re.split(r"\s*,\s*|\s+et\s+(?=(?:la|le|les|l')\b|[A-ZÀ-Ý])", name)
    parts = [part.strip() for part in parts if part.strip()]
    if 2 <= len(parts) <= 4 and all(len(part.split()) <= 10 for part in parts):
        return parts
    return [name]


def all_signatories(name: str) -> bool:
    """Tell whether « X s'engagent » names every signatory together."""
    return bool(ALL_SIGNATORIES_RE.match(fold(name).replace("’", "'")))

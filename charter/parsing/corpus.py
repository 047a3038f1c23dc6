"""Classify and parse every text document of a seed directory."""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass
from typing import Literal

from charter.parsing.cleanup import repair_characters
from charter.parsing.document import ACTION_RE, ORIENTATION_RE, parse_document
from charter.parsing.fiches import ACTION_MARKER_RE, HEADING_RE, parse_fiche
from charter.parsing.plan import ACTIONS_RE, STAKES_RE, parse_plan_orientation
from charter.parsing.plan import ORIENTATION_RE as PLAN_ORIENTATION_RE
from charter.parsing.types import ParsedDocument, ParsedFiche, ParsedPlanOrientation

DocumentKind = Literal["charter", "fiche", "plan_orientation"]
MIN_FICHE_HEADINGS = 3


@dataclass(frozen=True)
class ParsedCorpus:
    """Every document of a seed directory, parsed by kind."""

    charter: ParsedDocument | None
    plan_orientations: tuple[ParsedPlanOrientation, ...]
    fiches: tuple[ParsedFiche, ...]
    skipped: tuple[str, ...]


def _has_line(pattern: re.Pattern[str], lines: list[str]) -> bool:
    """Tell whether any stripped line matches ``pattern``."""
    return any(pattern.match(line.strip()) for line in lines)


def detect_document_kind(text: str) -> DocumentKind | None:
    """Recognise a document by its content: a charter, a fiche action or a plan orientation."""
    repaired = repair_characters(text)
    lines = repaired.replace("\t", "\n").split("\n")
    # The plan's kinds first: their headings are specific, while a fiche or a plan orientation
    # also has lines that the charter reader's broad headings accept ("Action 3-1 : …").
    headings = {match.lastgroup for match in HEADING_RE.finditer(repaired)}
    if _has_line(ACTION_MARKER_RE, lines) and len(headings) >= MIN_FICHE_HEADINGS:
        return "fiche"
    if all(_has_line(pattern, lines) for pattern in (PLAN_ORIENTATION_RE, STAKES_RE, ACTIONS_RE)):
        return "plan_orientation"
    if _has_line(ORIENTATION_RE, lines) and _has_line(ACTION_RE, lines):
        return "charter"
    return None


def _code_key(fiche: ParsedFiche) -> tuple[int, ...]:
    """Sort key for codes such as ``3-10`` (numeric, not lexical)."""
    return tuple(int(part) for part in fiche.code.split("-"))


def parse_corpus(directory: pathlib.Path) -> ParsedCorpus:
    """Parse every ``*.txt`` file; unknown documents (or a second charter) go to ``skipped``."""
    charter: ParsedDocument | None = None
    plans: list[ParsedPlanOrientation] = []
    fiches: list[ParsedFiche] = []
    skipped: list[str] = []
    for path in sorted(pathlib.Path(directory).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        kind = detect_document_kind(text)
        if kind == "charter" and charter is None:
            charter = parse_document(text)
        elif kind == "fiche":
            fiches.append(parse_fiche(text))
        elif kind == "plan_orientation":
            plans.append(parse_plan_orientation(text))
        else:
            skipped.append(path.name)
    return ParsedCorpus(
        charter=charter,
        plan_orientations=tuple(sorted(plans, key=lambda plan: plan.number)),
        fiches=tuple(sorted(fiches, key=_code_key)),
        skipped=tuple(skipped),
    )

"""The RGAA 4.1 self-audit: the grid kept in the repository (`pages/rgaa/grille.csv`, one line
per criterion, C / NC / NA with a justification, a correction and a date for each NC) and its
sample of pages (`pages/rgaa/echantillon.csv`). The compliance rate, the status shown in the
footer and the accessibility statement's generated sections all come from `rgaa_audit()`.

RGAA method: a criterion is conformant (C) when it is met on every page of the sample, not
conformant (NC) when it fails on one of them, not applicable (NA) when no page has the content
it checks; the rate is C / (C + NC)."""

import csv
import datetime
import functools
import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .models import AccessibilityStatus

GRID_DIR = Path(__file__).resolve().parent / "rgaa"
GRID_FILE = GRID_DIR / "grille.csv"
SAMPLE_FILE = GRID_DIR / "echantillon.csv"
# The 13 topics of RGAA 4.1 and their number of criteria (106 in all).
CRITERIA_PER_TOPIC = {
    1: 9,
    2: 2,
    3: 3,
    4: 13,
    5: 8,
    6: 2,
    7: 5,
    8: 10,
    9: 4,
    10: 14,
    11: 13,
    12: 11,
    13: 12,
}
STATUSES = {"C", "NC", "NA"}
# The accessibility statement page (linked from every footer) and the sections of its text that
# the audit generates: an editor's version of them is replaced by the generated one.
STATEMENT_SLUG = "accessibilite"
GENERATED_SECTIONS = ("état de conformité", "résultats des tests")


@dataclass(frozen=True)
class Criterion:
    number: str
    topic: str
    title: str
    status: str
    justification: str
    correction: str
    due_date: datetime.date | None


@dataclass(frozen=True)
class SamplePage:
    title: str
    kind: str
    path: str
    audited_on: datetime.date | None


@dataclass(frozen=True)
class Audit:
    criteria: tuple[Criterion, ...]
    sample: tuple[SamplePage, ...]

    def _with(self, status: str) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.status == status]

    @property
    def compliant(self) -> list[Criterion]:
        return self._with("C")

    @property
    def non_compliant(self) -> list[Criterion]:
        return self._with("NC")

    @property
    def not_applicable(self) -> list[Criterion]:
        return self._with("NA")

    @property
    def rate(self) -> int:
        """Conformant criteria / applicable criteria, in per cent, rounded down (never more than
        the grid shows)."""
        applicable = len(self.compliant) + len(self.non_compliant)
        return math.floor(100 * len(self.compliant) / applicable) if applicable else 100

    @property
    def status(self) -> AccessibilityStatus:
        """The RGAA wording: total at 100 %, partial from 50 %, non-compliant below."""
        if not self.non_compliant:
            return AccessibilityStatus.FULL
        if self.rate >= 50:
            return AccessibilityStatus.PARTIAL
        return AccessibilityStatus.NON_COMPLIANT

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def plan(self) -> list[Criterion]:
        """The corrections of the non-conformant criteria, earliest first."""
        return sorted(
            self.non_compliant,
            key=lambda criterion: (
                criterion.due_date,
                [int(n) for n in criterion.number.split(".")],
            ),
        )

    @property
    def audited_pages(self) -> list[SamplePage]:
        return [page for page in self.sample if page.audited_on]

    @property
    def pending_pages(self) -> list[SamplePage]:
        return [page for page in self.sample if not page.audited_on]

    @property
    def audit_date(self) -> datetime.date | None:
        return max((page.audited_on for page in self.audited_pages), default=None)


def _date(value: str, where: str) -> datetime.date | None:
    if not value.strip():
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"{where} : date « {value} » invalide (AAAA-MM-JJ).") from error


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_audit(grid: Path = GRID_FILE, sample: Path = SAMPLE_FILE) -> Audit:
    """Read and check the grid: the 106 criteria once each, a known status and a justification
    on every line, a correction and a date on every NC line."""
    criteria = []
    for line, row in enumerate(_rows(grid), start=2):
        where = f"{grid.name}, ligne {line}"
        status = (row.get("statut") or "").strip()
        if status not in STATUSES:
            raise ImproperlyConfigured(f"{where} : statut « {status} » (attendu : C, NC ou NA).")
        if not (row.get("justification") or "").strip():
            raise ImproperlyConfigured(f"{where} : justification manquante.")
        due_date = _date(row.get("echeance") or "", where)
        correction = (row.get("correction") or "").strip()
        if status == "NC" and not (correction and due_date):
            raise ImproperlyConfigured(f"{where} : un critère NC a une correction et une échéance.")
        criteria.append(
            Criterion(
                number=row["critere"].strip(),
                topic=row["thematique"].strip(),
                title=row["intitule"].strip(),
                status=status,
                justification=row["justification"].strip(),
                correction=correction,
                due_date=due_date,
            )
        )
    expected = [
        f"{topic}.{n}" for topic, count in CRITERIA_PER_TOPIC.items() for n in range(1, count + 1)
    ]
    numbers = [criterion.number for criterion in criteria]
    if numbers != expected:
        missing = [number for number in expected if number not in numbers]
        extra = [n for i, n in enumerate(numbers) if n not in expected or n in numbers[:i]]
        raise ImproperlyConfigured(
            f"{grid.name} : les 106 critères du RGAA 4.1 sont attendus une fois chacun, dans "
            f"l'ordre (manquants : {', '.join(missing) or 'aucun'} ; en trop ou répétés : "
            f"{', '.join(extra) or 'aucun'})."
        )
    pages = tuple(
        SamplePage(
            title=row["page"].strip(),
            kind=row["type"].strip(),
            path=row["adresse"].strip(),
            audited_on=_date(row.get("audit") or "", f"{sample.name}, ligne {line}"),
        )
        for line, row in enumerate(_rows(sample), start=2)
    )
    return Audit(criteria=tuple(criteria), sample=pages)


@functools.cache
def rgaa_audit() -> Audit:
    """The audit of the repository's grid (read once per process)."""
    return load_audit()


_HEADING = re.compile(r"^## +(.+?) *$", re.MULTILINE)


def split_statement(body: str) -> tuple[str, str]:
    """The editor's text before and after the place of the generated sections: the generated
    sections replace any « État de conformité » / « Résultats des tests » section of the text,
    at its place (at the top when the text has none)."""
    sections = []  # (heading or None, text)
    starts = [match.start() for match in _HEADING.finditer(body)]
    bounds = [0, *starts, len(body)]
    for start, end in itertools.pairwise(bounds):
        chunk = body[start:end]
        match = _HEADING.match(chunk)
        sections.append((match.group(1).strip().lower() if match else None, chunk))
    generated = [i for i, (heading, _) in enumerate(sections) if heading in GENERATED_SECTIONS]
    if not generated:
        return "", body
    before = "".join(chunk for i, (_, chunk) in enumerate(sections) if i < generated[0])
    after = "".join(
        chunk for i, (_, chunk) in enumerate(sections) if i > generated[0] and i not in generated
    )
    return before, after

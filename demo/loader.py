"""Loads the parsed seed documents (the Paris 2017 charter and the plan's Orientation 3).

The seeds are read by `charter.parsing` (the same reader as the charter importer) and written by
the importer's page-tree writer (`imports.tree`), published. Idempotent: every record is matched
on a natural key and written only when it differs, so a second run creates no page revision, no
history row and no log entry.
"""

import datetime
from pathlib import Path

from django.db import transaction

from assistance.demo import load_help_contacts
from charter.choices import CharterStatus, DocumentType
from charter.models import ActionPage
from charter.parsing import ParsedCorpus, ParsedFiche, parse_corpus
from charter.selectors import charters_home
from imports.tree import TreeOptions, TreeReport, charter_tree_write, plan_tree_write
from monitoring.choices import IndicatorKind
from monitoring.models import Indicator

DEMO_SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
LOAD_REASON = "Chargement de la charte de démonstration"

# Facts about the demo documents that their text does not carry.
PARIS_CHARTER = {
    "territory": "Paris",
    "start_date": datetime.date(2017, 12, 14),
    "lifecycle_status": CharterStatus.PUBLISHED,
    "in_force": True,
    "document_type": DocumentType.CHARTER,
}
PARIS_SLUG = "charte-paris-2017"
PLAN = {
    "title": (
        "Plan départemental d'action pour le logement et l'hébergement "
        "des personnes défavorisées (PDALHPD)"
    ),
    "territory": "Département",
    "lifecycle_status": CharterStatus.PUBLISHED,
    "in_force": True,
    "document_type": DocumentType.PLAN,
}
PLAN_SLUG = "pdalhpd"
# Published; every signatory signed on the charter's date (14 December 2017, DOMAIN.md): the
# document names only the declarations' signers; the first State and local-authority partners
# co-pilot; a new parse updates the partners' short names and kinds.
DEMO_OPTIONS = TreeOptions(
    reason=LOAD_REASON,
    publish=True,
    signed_on=PARIS_CHARTER["start_date"],
    copilots=True,
    update_partners=True,
)


def load_demo(*, directory: Path = DEMO_SEEDS_DIR) -> TreeReport:
    """Parse the seed documents and load them, all or nothing."""
    corpus = parse_corpus(directory)
    if corpus.skipped:
        raise ValueError(f"Documents non reconnus : {', '.join(corpus.skipped)}")
    with transaction.atomic():
        return load_corpus(corpus)


def load_corpus(corpus: ParsedCorpus) -> TreeReport:
    """Write a parsed corpus into the database (to be called inside a transaction)."""
    report = TreeReport()
    home = charters_home()
    if home is None:
        raise ValueError("Le site n'a pas de page d'accueil où ranger la charte.")
    if corpus.charter is not None:
        charter_tree_write(
            home=home,
            document=corpus.charter,
            slug=PARIS_SLUG,
            values={**PARIS_CHARTER, "title": corpus.charter.title},
            options=DEMO_OPTIONS,
            report=report,
        )
    if corpus.plan_orientations or corpus.fiches:
        _plan, pages, _report = plan_tree_write(
            home=home,
            orientations=corpus.plan_orientations,
            fiches=corpus.fiches,
            slug=PLAN_SLUG,
            values=PLAN,
            options=DEMO_OPTIONS,
            report=report,
        )
        for fiche in corpus.fiches:
            _load_indicators(pages[fiche.code], fiche, report)
    load_help_contacts(report=report)
    return report


def _load_indicators(page: ActionPage, fiche: ParsedFiche, report: TreeReport) -> None:
    """One indicator per line of the fiche's "indicateurs d'évaluation", linked to its action."""
    for line in dict(fiche.fields).get("evaluation_indicators", "").splitlines():
        name = line.strip().lstrip("-").strip()
        if not name:
            continue
        name = name[0].upper() + name[1:]
        lowered = name.lower()
        quantitative = lowered.startswith(("nombre", "ménages", "taux", "part "))
        values = {
            "kind": IndicatorKind.QUANTITATIVE if quantitative else IndicatorKind.QUALITATIVE,
            "unit": "ménages" if "ménages" in lowered and quantitative else "",
        }
        indicator = Indicator.objects.filter(name=name).first()
        if indicator is None:
            indicator = Indicator(name=name, **values)
            outcome = "created"
        elif any(getattr(indicator, key) != value for key, value in values.items()):
            outcome = "updated"
        else:
            outcome = "unchanged"
        if outcome != "unchanged":
            for key, value in values.items():
                setattr(indicator, key, value)
            indicator.full_clean()
            indicator.save()
        report.count("indicateurs", outcome)
        if not indicator.actions.filter(pk=page.pk).exists():
            indicator.actions.add(page)

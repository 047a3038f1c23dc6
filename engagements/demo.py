"""Loads the parsed seed documents (the Paris 2017 charter and the plan's Orientation 3).

Idempotent: every record is matched on a natural key and written only when it differs, so a second
run creates no page revision, no history row and no log entry.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page

from charter.choices import (
    CharterStatus,
    DocumentType,
    PartnerKind,
    SignatoryRole,
    SignatureStatus,
)
from charter.models import ActionPage, CharterPage, OrientationPage, Partner
from charter.parsing import (
    ParsedAnnexes,
    ParsedCorpus,
    ParsedFiche,
    ParsedPlanOrientation,
    parse_corpus,
)
from charter.selectors import charters_home, signatures_by_partner
from charter.services import signature_record
from glossary.models import LexiconEntry

from .choices import IndicatorKind
from .documents import partner_documents_sync
from .models import Commitment, Indicator

DEMO_SEEDS_DIR = Path(__file__).resolve().parent.parent / "charter" / "demo_seeds"
LOAD_REASON = "Chargement de la charte de démonstration"

# Facts about the demo documents that their text does not carry.
PARIS_CHARTER = {
    "slug": "charte-paris-2017",
    "territory": "Paris",
    "start_date": datetime.date(2017, 12, 14),
    "lifecycle_status": CharterStatus.PUBLISHED,
    "in_force": True,
    "document_type": DocumentType.CHARTER,
}
PLAN = {
    "slug": "pdalhpd",
    "title": (
        "Plan départemental d'action pour le logement et l'hébergement "
        "des personnes défavorisées (PDALHPD)"
    ),
    "territory": "Département",
    "lifecycle_status": CharterStatus.PUBLISHED,
    "in_force": True,
    "document_type": DocumentType.PLAN,
}


@dataclass
class LoadReport:
    """What a load created, updated or left unchanged, per kind of record."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def count(self, kind: str, outcome: str) -> None:
        getattr(self, outcome)[kind] += 1

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{kind} : {self.created[kind]} créé(s), {self.updated[kind]} modifié(s), "
            f"{self.unchanged[kind]} inchangé(s)"
            for kind in kinds
        ]


def load_demo(*, directory: Path = DEMO_SEEDS_DIR) -> LoadReport:
    """Parse the seed documents and load them, all or nothing."""
    corpus = parse_corpus(directory)
    if corpus.skipped:
        raise ValueError(f"Documents non reconnus : {', '.join(corpus.skipped)}")
    with transaction.atomic():
        return load_corpus(corpus)


def load_corpus(corpus: ParsedCorpus) -> LoadReport:
    """Write a parsed corpus into the database (to be called inside a transaction)."""
    report = LoadReport()
    home = charters_home()
    if home is None:
        raise ValueError("Le site n'a pas de page d'accueil où ranger la charte.")
    if corpus.annexes is not None:
        _load_charter(home, corpus.annexes, report)
    if corpus.plan_orientations or corpus.fiches:
        _load_plan(home, corpus.plan_orientations, corpus.fiches, report)
    return report


def _publish(page: Page, report: LoadReport, kind: str, created: bool) -> None:
    page.save_revision(log_action=True, clean=False).publish(skip_permission_checks=True)
    report.count(kind, "created" if created else "updated")


def _upsert_page(parent: Page, model, slug: str, values: dict, report: LoadReport, kind: str):
    """Create or update a child page of `parent`; publish a revision only when something changed."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **values)
        parent.add_child(instance=page)
        _publish(page, report, kind, created=True)
        return page
    changed = {name: value for name, value in values.items() if getattr(page, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(page, name, value)
        _publish(page, report, kind, created=False)
    else:
        report.count(kind, "unchanged")
    return page


def _upsert(model, lookup: dict, values: dict, report: LoadReport, kind: str, **save_kwargs):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        _save(obj, save_kwargs)
        report.count(kind, "created")
    elif any(getattr(obj, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(obj, name, value)
        _save(obj, save_kwargs)
        report.count(kind, "updated")
    else:
        report.count(kind, "unchanged")
    return obj


def _save(obj, save_kwargs: dict) -> None:
    if "change_reason" in save_kwargs:
        obj._change_reason = save_kwargs["change_reason"]
    obj.full_clean()
    obj.save()


def _load_charter(home: Page, annexes: ParsedAnnexes, report: LoadReport) -> None:
    partners = {
        parsed.name: _upsert(
            Partner,
            {"name": parsed.name},
            {
                "short_name": parsed.short_name,
                "slug": slugify(parsed.short_name)[:100] or slugify(parsed.name)[:100],
                "kind": parsed.kind,
            },
            report,
            "partenaires",
        )
        for parsed in annexes.partners
    }
    for partner in partners.values():
        # Each partner's evidence collection and group (issue #12: evidence is private to it).
        partner_documents_sync(partner=partner)
    values = {**PARIS_CHARTER, "title": annexes.title}
    slug = values.pop("slug")
    charter = _upsert_page(home, CharterPage, slug, values, report, "chartes")
    _sync_signatures(charter, annexes, partners, report)

    actions: dict[int, ActionPage] = {}
    for orientation in annexes.orientations:
        orientation_page = _upsert_page(
            charter,
            OrientationPage,
            f"orientation-{orientation.number}",
            {"title": orientation.title, "number": orientation.number},
            report,
            "orientations",
        )
        for action in orientation.actions:
            actions[action.number] = _upsert_page(
                orientation_page,
                ActionPage,
                f"action-{action.number}",
                {"title": action.title, "number": action.number, "code": str(action.number)},
                report,
                "actions",
            )

    for parsed in annexes.partners:
        for block in parsed.blocks:
            for position, text in enumerate(block.commitments, start=1):
                _upsert(
                    Commitment,
                    {
                        "partner": partners[parsed.name],
                        "action": actions[block.action_number],
                        "position": position,
                    },
                    # Commitments of the signed text: their public history starts at signature.
                    {"text": text, "in_signed_text": True},
                    report,
                    "engagements",
                    change_reason=LOAD_REASON,
                )

    spellings = {_compact(partner.short_name): partner.short_name for partner in partners.values()}
    for entry in annexes.lexicon:
        term = lexicon_spelling(entry.term, spellings)
        if term != entry.term:  # an entry loaded before with the document's spelling: renamed
            LexiconEntry.objects.filter(charter=charter, term=entry.term).update(term=term)
        _upsert(
            LexiconEntry,
            {"charter": charter, "term": term},
            {"definition": entry.definition},
            report,
            "lexique",
        )


def _compact(term: str) -> str:
    return "".join(term.split()).casefold()


def lexicon_spelling(term: str, spellings: dict[str, str]) -> str:
    """The lexicon's spelling of a term: a partner's short name when they differ by spaces only.

    The charter's lexicon writes « ADIL75 » where its text and its list of partners write
    « ADIL 75 »: the lexicon follows the partners' spelling (`spellings`: compacted → spelled).
    """
    return spellings.get(_compact(term), term)


def _sync_signatures(charter: CharterPage, annexes: ParsedAnnexes, partners, report) -> None:
    """Signatories in document order (co-pilots: the first State and local-authority partners)."""
    copilots: set[str] = set()
    for kind in (PartnerKind.STATE, PartnerKind.LOCAL_AUTHORITY):
        first = next((p for p in annexes.partners if p.kind == kind), None)
        if first is not None:
            copilots.add(first.name)
    wanted_signatories = [
        {
            "partner_id": partners[p.name].pk,
            "role": SignatoryRole.COPILOT if p.name in copilots else SignatoryRole.PARTNER,
        }
        for p in annexes.partners
    ]
    by_short_name = {p.short_name: p for p in partners.values()}
    wanted_declarations = []
    signers: dict[int, tuple[str, str]] = {}
    for declaration in annexes.declarations:
        key = declaration.partner_short_name_or_name
        partner = by_short_name.get(key) or partners.get(key)
        wanted_declarations.append(
            {
                "partner_id": partner.pk,
                "title": declaration.title,
                "text": declaration.text,
                "place": declaration.place,
                "signed_on": declaration.date,
            }
        )
        signers[partner.pk] = (declaration.signer_name, declaration.signer_role)
    current_signatories = [
        {name: getattr(s, name) for name in wanted_signatories[0]}
        for s in charter.signatories.order_by("sort_order")
    ]
    current_declarations = (
        [
            {name: getattr(d, name) for name in wanted_declarations[0]}
            for d in charter.declarations.order_by("sort_order")
        ]
        if wanted_declarations
        else []
    )
    if current_signatories == wanted_signatories and current_declarations == wanted_declarations:
        report.unchanged["signataires"] += 1
    else:
        charter.signatories = [
            charter.signatories.model(sort_order=i, **values)
            for i, values in enumerate(wanted_signatories)
        ]
        charter.declarations = [
            charter.declarations.model(sort_order=i, **values)
            for i, values in enumerate(wanted_declarations)
        ]
        _publish(charter, report, "signataires", created=not current_signatories)
    _sync_signature_records(charter, [partners[p.name] for p in annexes.partners], signers, report)


def _sync_signature_records(charter: CharterPage, partners, signers: dict, report) -> None:
    """Every signatory signed on the charter's date (14 December 2017, DOMAIN.md).

    The document names only the declarations' signers; the others are recorded without a name.
    """
    existing = signatures_by_partner(charter=charter)
    for partner in partners:
        name, title = signers.get(partner.pk, ("", ""))
        wanted = (SignatureStatus.SIGNED, name, title, charter.start_date)
        record = existing.get(partner.pk)
        current = record and (
            record.status,
            record.signer_name,
            record.signer_title,
            record.signed_on,
        )
        if current == wanted:
            report.count("signatures", "unchanged")
            continue
        signature_record(
            charter=charter,
            partner=partner,
            user=None,
            status=SignatureStatus.SIGNED,
            signer_name=name,
            signer_title=title,
            signed_on=charter.start_date,
            signer_known=False,
        )
        report.count("signatures", "updated" if record else "created")


def _load_plan(home, orientations: tuple[ParsedPlanOrientation, ...], fiches, report) -> None:
    values = dict(PLAN)
    slug = values.pop("slug")
    plan = _upsert_page(home, CharterPage, slug, values, report, "chartes")
    fiches_by_code: dict[str, ParsedFiche] = {fiche.code: fiche for fiche in fiches}
    pages_by_code: dict[str, ActionPage] = {}
    for orientation in orientations:
        orientation_page = _upsert_page(
            plan,
            OrientationPage,
            f"orientation-{orientation.number}",
            {
                "title": orientation.title,
                "number": orientation.number,
                "introduction": orientation.introduction,
                "stakes": "\n".join(f"- {stake}" for stake in orientation.stakes),
            },
            report,
            "orientations",
        )
        for action in orientation.actions:
            number = int(action.code.split("-")[-1])
            action_values = {"title": action.title, "number": number, "code": action.code}
            fiche = fiches_by_code.get(action.code)
            if fiche is not None:
                action_values.update(title=fiche.title, tagline=fiche.tagline, **dict(fiche.fields))
            pages_by_code[action.code] = _upsert_page(
                orientation_page,
                ActionPage,
                f"action-{action.code}",
                action_values,
                report,
                "actions",
            )
    for code, fiche in fiches_by_code.items():
        page = pages_by_code[code]
        _link_actions(
            page, [pages_by_code[c] for c in fiche.linked_codes if c in pages_by_code], report
        )
        _load_indicators(page, fiche, report)


def _link_actions(page: ActionPage, targets: list[ActionPage], report: LoadReport) -> None:
    if list(page.related_actions.order_by("pk")) == sorted(targets, key=lambda p: p.pk):
        report.count("liens entre fiches", "unchanged")
        return
    page.related_actions = targets
    _publish(page, report, "liens entre fiches", created=False)


def _load_indicators(page: ActionPage, fiche: ParsedFiche, report: LoadReport) -> None:
    """One indicator per line of the fiche's "indicateurs d'évaluation", linked to its action."""
    for line in dict(fiche.fields).get("evaluation_indicators", "").splitlines():
        name = line.strip().lstrip("-").strip()
        if not name:
            continue
        name = name[0].upper() + name[1:]
        lowered = name.lower()
        quantitative = lowered.startswith(("nombre", "ménages", "taux", "part "))
        indicator = _upsert(
            Indicator,
            {"name": name},
            {
                "kind": IndicatorKind.QUANTITATIVE if quantitative else IndicatorKind.QUALITATIVE,
                "unit": "ménages" if "ménages" in lowered and quantitative else "",
            },
            report,
            "indicateurs",
        )
        if not indicator.actions.filter(pk=page.pk).exists():
            indicator.actions.add(page)

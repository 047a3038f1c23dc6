"""The one page-tree writer: a parsed charter (or plan) becomes Wagtail pages and their records.

Used by the charter importer (`imports.services.charter_import_save`: a new unpublished draft)
and by the demo loader (`demo.loader.load_demo`: published, idempotent). Every record is matched
on a natural key and written only when it differs, so writing the same document twice creates
no page revision, no history row and no log entry. Call it inside a transaction.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.text import slugify
from wagtail.models import Page

from charter.choices import (
    COLLECTIVE_PARTNER_SLUG,
    PartnerKind,
    SignatoryRole,
    SignatureStatus,
)
from charter.models import ActionPage, CharterPage, OrientationPage, Partner
from charter.parsing import ParsedDocument, ParsedFiche, ParsedPlanOrientation
from charter.parsing.cleanup import fold
from charter.selectors import signatures_by_partner
from charter.services import signature_record
from engagements.documents import partner_documents_sync
from engagements.models import Commitment
from glossary.models import LexiconEntry

DECLARATION_FIELDS = ("partner_id", "title", "text", "place", "signed_on")


@dataclass(frozen=True)
class TreeOptions:
    """How a tree is written: the demo publishes and records past signatures, an import drafts.

    - `publish`: publish every page written (else save a draft revision of it);
    - `signed_on`: every signatory signed on this date (a charter signed before the platform);
      without it, only a declaration's signer gets a pending signature naming them;
    - `copilots`: the first State and the first local-authority partners co-pilot;
    - `update_partners`: an existing partner takes the document's short name and kind.
    """

    user: AbstractBaseUser | None = None
    reason: str = ""
    publish: bool = False
    signed_on: datetime.date | None = None
    copilots: bool = False
    update_partners: bool = False


@dataclass
class TreeReport:
    """What a write created, updated or left unchanged, per kind of record (French labels)."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        """Whether anything was created or updated."""
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def count(self, kind: str, outcome: str) -> None:
        """Count one record of `kind` as "created", "updated" or "unchanged"."""
        getattr(self, outcome)[kind] += 1

    def lines(self) -> list[str]:
        """One French line per kind of record."""
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{kind} : {self.created[kind]} créé(s), {self.updated[kind]} modifié(s), "
            f"{self.unchanged[kind]} inchangé(s)"
            for kind in kinds
        ]


@dataclass
class _Writer:
    """One write: its options, its report and the page slugs it has used under each parent."""

    options: TreeOptions
    report: TreeReport = field(default_factory=TreeReport)
    used_slugs: set[tuple[int, str]] = field(default_factory=set)

    def save_page(self, page: Page, kind: str, *, created: bool) -> None:
        """Save a revision of the page (published or draft) and count it."""
        revision = page.save_revision(user=self.options.user, log_action=True, clean=False)
        if self.options.publish:
            revision.publish(user=self.options.user, skip_permission_checks=True)
        self.report.count(kind, "created" if created else "updated")

    def page(self, parent: Page, model, slug: str, values: dict, kind: str):
        """Create or update a child page of `parent` by slug; a revision only when it changed.

        A slug already written under this parent by this write is made unique (`-2`, `-3`…).
        """
        base, suffix = slug, 2
        while (parent.pk, slug) in self.used_slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        self.used_slugs.add((parent.pk, slug))
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = model(slug=slug, live=self.options.publish, **values)
            parent.add_child(instance=page)
            self.save_page(page, kind, created=True)
            return page
        changed = {name: value for name, value in values.items() if getattr(page, name) != value}
        if not changed:
            self.report.count(kind, "unchanged")
            return page
        for name, value in changed.items():
            setattr(page, name, value)
        self.save_page(page, kind, created=False)
        return page

    def record(self, model, lookup: dict, values: dict, kind: str) -> models.Model:
        """Create or update a row by its natural key, validated by `full_clean()`."""
        obj = model.objects.filter(**lookup).first()
        if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
            self.report.count(kind, "unchanged")
            return obj
        outcome = "created" if obj is None else "updated"
        obj = obj or model(**lookup)
        for name, value in values.items():
            setattr(obj, name, value)
        if hasattr(model, "history"):
            # django-simple-history: who changed the row and why.
            obj._change_reason = self.options.reason or None
            obj._history_user = self.options.user
        obj.full_clean()
        obj.save()
        self.report.count(kind, outcome)
        return obj


def unique_slug(parent: Page, base: str) -> str:
    """A free slug for a new child page of `parent`."""
    base = slugify(base)[:60] or "charte-importee"
    slug, suffix = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def existing_partners() -> dict[str, Partner]:
    """Every partner by its folded name and folded short name (the first one wins)."""
    existing: dict[str, Partner] = {}
    for partner in Partner.objects.order_by("pk"):
        existing.setdefault(fold(partner.name), partner)
        existing.setdefault(fold(partner.short_name), partner)
    return existing


def _partner(writer: _Writer, parsed, existing: dict[str, Partner]) -> Partner:
    """The existing partner of this name or short name, else a new one."""
    kind = parsed.kind if parsed.kind in PartnerKind.values else PartnerKind.OTHER
    values = {"short_name": parsed.short_name[:80], "kind": kind}
    for key in (fold(parsed.name), fold(parsed.short_name)):
        if key in existing:
            partner = existing[key]
            if writer.options.update_partners:
                return writer.record(Partner, {"pk": partner.pk}, values, "partenaires")
            writer.report.count("partenaires", "unchanged")
            return partner
    slug = slugify(parsed.short_name)[:90] or slugify(parsed.name)[:90] or "partenaire"
    base, suffix = slug, 2
    while Partner.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    partner = writer.record(
        Partner, {"name": parsed.name[:255]}, {**values, "slug": slug}, "partenaires"
    )
    for key in (fold(partner.name), fold(partner.short_name)):
        existing.setdefault(key, partner)
    return partner


def _signatories(writer: _Writer, document: ParsedDocument, partners: list[Partner]) -> list:
    """The signatories wanted, in document order, each partner once."""
    copilots: set[int] = set()
    if writer.options.copilots:
        for kind in (PartnerKind.STATE, PartnerKind.LOCAL_AUTHORITY):
            index = next((i for i, p in enumerate(document.partners) if p.kind == kind), None)
            if index is not None:
                copilots.add(partners[index].pk)
    wanted: dict[int, dict] = {}
    if document.signatories:
        # The document's signatories page: who signs, in its order, and who co-pilots.
        for signatory in document.signatories:
            partner = partners[signatory.partner]
            copilot = signatory.copilot or partner.pk in copilots
            role = SignatoryRole.COPILOT if copilot else SignatoryRole.PARTNER
            wanted.setdefault(partner.pk, {"partner_id": partner.pk, "role": role})
        return list(wanted.values())
    for partner in partners:
        role = SignatoryRole.COPILOT if partner.pk in copilots else SignatoryRole.PARTNER
        wanted.setdefault(partner.pk, {"partner_id": partner.pk, "role": role})
    return list(wanted.values())


def _declarations(document: ParsedDocument, partners: list[Partner]) -> list[tuple]:
    """(partner, declaration) pairs for every declaration whose partner the document names."""
    by_key: dict[str, Partner] = {}
    for index, parsed in enumerate(document.partners):
        by_key.setdefault(parsed.short_name, partners[index])
        by_key.setdefault(parsed.name, partners[index])
    return [
        (by_key[d.partner_short_name_or_name], d)
        for d in document.declarations
        if d.partner_short_name_or_name in by_key
    ]


def _charter(writer, home, slug, values, signatories, declarations) -> CharterPage:
    """Create or update the charter page with its signatories and declarations, in one revision."""
    wanted_declarations = [
        {
            "partner_id": partner.pk,
            "title": d.title[:255],
            "text": d.text,
            "place": d.place[:120],
            "signed_on": d.date,
        }
        for partner, d in declarations
    ]
    charter = CharterPage.objects.child_of(home).filter(slug=slug).first()
    created = charter is None
    if created:
        charter = CharterPage(slug=slug, live=writer.options.publish, **values)
        current_signatories, current_declarations = [], []
    else:
        current_signatories = [
            {"partner_id": s.partner_id, "role": s.role}
            for s in charter.signatories.order_by("sort_order")
        ]
        current_declarations = [
            {name: getattr(d, name) for name in DECLARATION_FIELDS}
            for d in charter.declarations.order_by("sort_order")
        ]
    changed = {name: value for name, value in values.items() if getattr(charter, name) != value}
    for name, value in changed.items():
        setattr(charter, name, value)
    signed = (current_signatories, current_declarations) != (signatories, wanted_declarations)
    if signed:
        model = charter.signatories.model
        charter.signatories = [model(sort_order=i, **v) for i, v in enumerate(signatories)]
        model = charter.declarations.model
        charter.declarations = [model(sort_order=i, **v) for i, v in enumerate(wanted_declarations)]
    writer.report.count("chartes", "created" if created else "updated" if changed else "unchanged")
    writer.report.count(
        "signataires", "created" if created else "updated" if signed else "unchanged"
    )
    if created:
        home.add_child(instance=charter)
    if created or changed or signed:
        revision = charter.save_revision(user=writer.options.user, log_action=True, clean=False)
        if writer.options.publish:
            revision.publish(user=writer.options.user, skip_permission_checks=True)
    return charter


def _signatures(writer: _Writer, charter: CharterPage, signatories, declarations) -> None:
    """Past signatures on `signed_on` for every signatory, else pending ones naming a signer."""
    signers = {
        partner.pk: (d.signer_name[:160], d.signer_role[:160])
        for partner, d in declarations
        if d.signer_name or d.signer_role
    }
    existing = signatures_by_partner(charter=charter)
    partners = {
        p.pk: p for p in Partner.objects.filter(pk__in=[s["partner_id"] for s in signatories])
    }
    for signatory in signatories:
        partner = partners[signatory["partner_id"]]
        name, title = signers.get(partner.pk, ("", ""))
        signed_on = writer.options.signed_on
        if signed_on is None and partner.pk not in signers:
            continue
        status = SignatureStatus.SIGNED if signed_on else SignatureStatus.PENDING
        record = existing.get(partner.pk)
        wanted = (status, name, title, signed_on)
        if (
            record
            and (record.status, record.signer_name, record.signer_title, record.signed_on) == wanted
        ):
            writer.report.count("signatures", "unchanged")
            continue
        signature_record(
            charter=charter,
            partner=partner,
            user=writer.options.user,
            status=status,
            signer_name=name,
            signer_title=title,
            signed_on=signed_on,
            signer_known=signed_on is None,
        )
        writer.report.count("signatures", "updated" if record else "created")


def charter_tree_write(
    *,
    home: Page,
    document: ParsedDocument,
    slug: str,
    values: dict,
    options: TreeOptions,
    report: TreeReport | None = None,
) -> tuple[CharterPage, TreeReport]:
    """Write a parsed charter under `home`: partners, charter, signatories, pages, commitments.

    A shared commitment of an action is written once: under its first partner with the others as
    co-partners, or under the collective partner « Ensemble des signataires »; one without an
    action stays among the reader's unplaced lines.
    """
    writer = _Writer(options, report or TreeReport())
    existing = existing_partners()
    partners = [_partner(writer, parsed, existing) for parsed in document.partners]
    for partner in {p.pk: p for p in partners}.values():
        # Each partner's evidence collection and group (issue #12: evidence is private to it).
        partner_documents_sync(partner=partner)
    signatories = _signatories(writer, document, partners)
    declarations = _declarations(document, partners)
    charter = _charter(writer, home, slug, values, signatories, declarations)
    _signatures(writer, charter, signatories, declarations)
    action_pages: dict[str, ActionPage] = {}
    for orientation in document.orientations:
        orientation_page = writer.page(
            charter,
            OrientationPage,
            f"orientation-{orientation.number}",
            {"title": orientation.title[:255], "number": orientation.number},
            "orientations",
        )
        for action in orientation.actions:
            action_pages[action.key] = writer.page(
                orientation_page,
                ActionPage,
                f"action-{slugify(action.code)}",
                {"title": action.title[:255], "number": action.number, "code": action.code[:16]},
                "actions",
            )
    positions: Counter = Counter()
    for found in document.commitments:
        partner, action = partners[found.partner], action_pages[found.action_key]
        positions[(partner.pk, action.pk)] += 1
        lookup = {
            "partner": partner,
            "action": action,
            "position": positions[partner.pk, action.pk],
        }
        # Commitments of a signed text: their public history starts at the signature.
        values = {"text": found.markdown, "in_signed_text": options.signed_on is not None}
        commitment = writer.record(Commitment, lookup, values, "engagements")
        if len(found.partners) > 1:  # « (avec X, Y) »: shared with the other partners named
            names = [partners[index].short_name for index in found.partners[1:]]
            commitment_co_partners_write(
                writer, commitment=commitment, names=names, partners=partners
            )
    for found in document.shared_commitments:
        action = action_pages.get(found.action_key)
        if action is None:  # no action: the reader keeps it « À placer »
            continue
        owners = [partners[index] for index in found.partners]
        porteur = owners[0] if owners and not found.all_signatories else collective_porteur()
        positions[(porteur.pk, action.pk)] += 1
        lookup = {
            "partner": porteur,
            "action": action,
            "position": positions[porteur.pk, action.pk],
        }
        values = {"text": found.markdown, "in_signed_text": options.signed_on is not None}
        commitment = writer.record(Commitment, lookup, values, "engagements")
        names = [partner.short_name for partner in owners if partner.pk != porteur.pk]
        commitment_co_partners_write(writer, commitment=commitment, names=names, partners=partners)
    spellings = {_compact(partner.short_name): partner.short_name for partner in partners}
    for entry in document.lexicon:
        term = lexicon_spelling(entry.term[:120], spellings)
        if term != entry.term[:120]:  # loaded before with the document's spelling: renamed
            LexiconEntry.objects.filter(charter=charter, term=entry.term[:120]).update(term=term)
        lookup = {"charter": charter, "term": term}
        writer.record(LexiconEntry, lookup, {"definition": entry.definition}, "lexique")
    return charter, writer.report


def collective_porteur() -> Partner:
    """The porteur of a commitment « les signataires s'engagent à » (« Engagements partagés »):
    the collective partner « Ensemble des signataires » (engagements 0014_shared_co_partners)."""
    return Partner.objects.get(kind=PartnerKind.COLLECTIVE, slug=COLLECTIVE_PARTNER_SLUG)


def commitment_co_partners_write(
    writer: _Writer, *, commitment: Commitment, names: list[str], partners: list[Partner]
) -> list[str]:
    """Store the partners a commitment is shared with (« (avec X, Y) »), found by short name or
    name among `partners` (the charter's), only when they change: writing the same document
    twice adds no history row. Returns the names found nowhere (for the report).

    A commitment of all the signatories gets `collective_porteur()` as partner instead.
    """
    by_name: dict[str, Partner] = {}
    for partner in partners:
        by_name.setdefault(fold(partner.short_name), partner)
        by_name.setdefault(fold(partner.name), partner)
    found = {}
    missing = []
    for name in names:
        partner = by_name.get(fold(name))
        if partner is None:
            missing.append(name)
        elif partner.pk != commitment.partner_id:
            found[partner.pk] = partner
    if set(commitment.co_partners.values_list("pk", flat=True)) != set(found):
        commitment._change_reason = writer.options.reason or None
        commitment._history_user = writer.options.user
        commitment.co_partners.set(list(found.values()))
        writer.report.count("engagements partagés", "updated")
    return missing


def _compact(term: str) -> str:
    return "".join(term.split()).casefold()


def lexicon_spelling(term: str, spellings: dict[str, str]) -> str:
    """The lexicon's spelling of a term: a partner's short name when they differ by spaces only.

    The Paris charter's lexicon writes « ADIL75 » where its text and its list of partners write
    « ADIL 75 »: the lexicon follows the partners' spelling (`spellings`: compacted → spelled).
    """
    return spellings.get(_compact(term), term)


def plan_tree_write(
    *,
    home: Page,
    orientations: tuple[ParsedPlanOrientation, ...],
    fiches: tuple[ParsedFiche, ...],
    slug: str,
    values: dict,
    options: TreeOptions,
    report: TreeReport | None = None,
) -> tuple[CharterPage, dict[str, ActionPage], TreeReport]:
    """Write a departmental plan: its orientations, its actions with their fiches, their links."""
    writer = _Writer(options, report or TreeReport())
    plan = writer.page(home, CharterPage, slug, values, "chartes")
    fiches_by_code = {fiche.code: fiche for fiche in fiches}
    pages: dict[str, ActionPage] = {}
    for orientation in orientations:
        orientation_values = {
            "title": orientation.title,
            "number": orientation.number,
            "introduction": orientation.introduction,
            "stakes": "\n".join(f"- {stake}" for stake in orientation.stakes),
        }
        orientation_page = writer.page(
            plan,
            OrientationPage,
            f"orientation-{orientation.number}",
            orientation_values,
            "orientations",
        )
        for action in orientation.actions:
            action_values = {
                "title": action.title,
                "number": int(action.code.split("-")[-1]),
                "code": action.code,
            }
            fiche = fiches_by_code.get(action.code)
            if fiche is not None:
                action_values.update(title=fiche.title, tagline=fiche.tagline, **dict(fiche.fields))
            pages[action.code] = writer.page(
                orientation_page, ActionPage, f"action-{action.code}", action_values, "actions"
            )
    for code, fiche in fiches_by_code.items():
        targets = [pages[c] for c in fiche.linked_codes if c in pages]
        page = pages[code]
        if list(page.related_actions.order_by("pk")) == sorted(targets, key=lambda p: p.pk):
            writer.report.count("liens entre fiches", "unchanged")
            continue
        page.related_actions = targets
        writer.save_page(page, "liens entre fiches", created=False)
    return plan, pages, writer.report

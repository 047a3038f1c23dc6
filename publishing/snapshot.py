"""Freezes a charter's whole content into plain JSON, and fingerprints it (SHA-256)."""

import datetime
import hashlib
import json

from wagtail.models import Page

from charter.choices import FICHE_FIELDS, SignatoryRole
from charter.models import ActionPage, CharterPage, OrientationPage, Partner
from charter.selectors import latest_content, signatures_by_partner, unpublished_content
from engagements.models import Commitment
from glossary.models import LexiconEntry

SNAPSHOT_SCHEMA = 1


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _latest(pages: list[Page]) -> list:
    """Each page as last edited: its latest revision when it has unpublished changes."""
    return [
        latest_content(charter=page) if page.has_unpublished_changes else page for page in pages
    ]


def _shared_owners(commitment: Commitment) -> dict:
    """A shared commitment's other owners: its co-partners' short names, or « all signatories ».

    Absent for the others, so that the snapshots of versions frozen before stay identical.
    """
    if commitment.is_collective:
        return {"all_signatories": True}
    names = sorted(partner.short_name for partner in commitment.co_partners.all())
    return {"co_partners": names} if names else {}


def build_snapshot(
    *, charter: CharterPage, name: str, date: datetime.date, published_only: bool = False
) -> dict:
    """The whole content of a charter, in the order of the web page.

    `published_only`: what the public sees (live pages whose parents are live, their published
    text); otherwise the latest edits, drafts included, listed under "drafts".
    """
    orientation_pages = OrientationPage.objects.child_of(charter)
    action_pages = ActionPage.objects.descendant_of(charter).prefetch_related("related_actions")
    if published_only:
        content = charter
        orientations = sorted(orientation_pages.live(), key=lambda o: o.number)
        live_paths = tuple(o.path for o in orientations)
        actions = [a for a in action_pages.live() if a.path[: -Page.steplen] in live_paths]
        drafts: list[str] = []
    else:
        content = latest_content(charter=charter)
        orientations = sorted(_latest(list(orientation_pages)), key=lambda o: o.number)
        actions = _latest(list(action_pages))
        drafts = unpublished_content(charter=charter)
    related = {
        a.pk: a.related_actions.all() if hasattr(a.related_actions, "all") else [] for a in actions
    }
    code_by_pk = {a.pk: a.code for a in actions}
    by_parent: dict[str, list] = {}
    for action in actions:
        by_parent.setdefault(action.path[: -Page.steplen], []).append(action)

    orientation_list = []
    for orientation in orientations:
        orientation_list.append(
            {
                "number": orientation.number,
                "title": orientation.title,
                "introduction": orientation.introduction,
                "stakes": orientation.stakes,
                "actions": [
                    {
                        "code": action.code,
                        "number": action.number,
                        "title": action.title,
                        "tagline": action.tagline,
                        "fiche": {name: getattr(action, name) for name, _l in FICHE_FIELDS},
                        "related": sorted(
                            code_by_pk.get(other.pk, other.code) for other in related[action.pk]
                        ),
                    }
                    for action in sorted(
                        by_parent.get(orientation.path, []), key=lambda a: a.number
                    )
                ],
            }
        )

    signatories = sorted(
        content.signatories.all(),
        key=lambda s: (s.role != SignatoryRole.COPILOT, s.sort_order or 0),
    )
    declarations = list(content.declarations.all())
    signatures = signatures_by_partner(charter=charter)

    def signer(partner_id: int, field: str) -> str:
        record = signatures.get(partner_id)
        return getattr(record, field) if record is not None else ""

    partners = Partner.objects.in_bulk(
        {s.partner_id for s in signatories} | {d.partner_id for d in declarations}
    )
    commitments = (
        Commitment.objects.filter(action__in=[a.pk for a in actions])
        .select_related("partner", "action")
        .prefetch_related("co_partners")
        .order_by("partner__name", "action__number", "position")
    )
    action_orientation = {
        a.pk: next((o.number for o in orientations if a.path.startswith(o.path)), None)
        for a in actions
    }
    snapshot = {
        "schema": SNAPSHOT_SCHEMA,
        "version": {"name": name, "date": _date(date)},
        "charter": {
            "title": content.title,
            "document_type": content.document_type,
            "territory": content.territory,
            "start_date": _date(content.start_date),
            "end_date": _date(content.end_date),
            "duration_years": content.duration_years,
            "introduction": content.introduction,
            "quantitative_objectives": content.quantitative_objectives,
            "qualitative_objectives": content.qualitative_objectives,
            "governance": content.governance,
            "signing_place": content.signing_place,
            "signing_date": _date(content.signing_date),
            "original_copies": content.original_copies,
        },
        "orientations": orientation_list,
        "signatories": [
            {
                "partner": partners[s.partner_id].name,
                "short_name": partners[s.partner_id].short_name,
                "role": s.role,
                "authority_title": s.authority_title,
                "signer_name": signer(s.partner_id, "signer_name"),
                "signer_title": signer(s.partner_id, "signer_title"),
                "signed_on": _date(signer(s.partner_id, "signed_on") or None),
            }
            for s in signatories
        ],
        "commitments": [
            {
                "partner": c.partner.name,
                "orientation": action_orientation.get(c.action_id),
                "action": c.action.code,
                "position": c.position,
                "text": c.text,
                **_shared_owners(c),
            }
            for c in commitments
        ],
        "declarations": [
            {
                "partner": partners[d.partner_id].name,
                "title": d.title,
                "text": d.text,
                "place": d.place,
                "signed_on": _date(d.signed_on),
                "signer_name": signer(d.partner_id, "signer_name"),
                "signer_title": signer(d.partner_id, "signer_title"),
            }
            for d in declarations
        ],
        "lexicon": [
            {"term": e.term, "definition": e.definition}
            for e in LexiconEntry.objects.filter(charter=charter)
        ],
        "mayors": [
            {
                "commune": m.commune,
                "mayor_name": m.mayor_name,
                "requested_on": _date(m.requested_on),
            }
            for m in content.mayor_invitation_requests.all()
        ],
        "no_mayor_request": content.no_mayor_request,
    }
    if drafts:
        # Only a snapshot that holds unpublished content says so (and may never be public).
        snapshot["drafts"] = drafts
    return snapshot


def fingerprint(snapshot: dict) -> str:
    """SHA-256 of the canonical JSON of a snapshot (its name and date included)."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

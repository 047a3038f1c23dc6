"""Public pages of the commitments (anonymous, server-rendered, no JavaScript).

Published content only (see selectors.public_commitments); nothing about owners, reasons or
internal comments is ever read here. Every page runs a fixed number of SQL queries whatever the
number of commitments: the selectors fetch them in one query and the grids are built in Python.
"""

from html import unescape

import nh3
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from charter.models import CharterPage, OrientationPage, Partner
from core import params
from core.cache_scopes import depends_on
from core.params import BadParameter, bad_request
from glossary.selectors import lexicon_for_charter

from . import selectors
from .choices import CommitmentStatus
from .models import Commitment, is_overdue_on

SUMMARY_WORDS = 14


def _summary(text: str) -> str:
    """The commitment's text as plain words, cut after SUMMARY_WORDS words (for the grid).

    No Markdown rendering here (228 of them per page): nh3 drops every tag (and the content of
    script/style), the Markdown markers are removed, and the template escapes the result.
    """
    plain = unescape(nh3.clean(text or "", tags=set()))
    words = [word.strip("*_`#") for word in plain.split()]
    words = [word for word in words if word and word not in {"-", "+", ">"}]
    if len(words) <= SUMMARY_WORDS:
        return " ".join(words)
    return " ".join(words[:SUMMARY_WORDS]) + "…"


# The public filters of the matrix and the partner pages (GET form, no JavaScript needed).
STATUS_PARAM, OVERDUE_PARAM, OVERDUE_YES = "statut", "en_retard", "oui"


class CommitmentFilter:
    """The visitor's filters: one status and/or « en retard » only (strict: 400 otherwise)."""

    def __init__(self, query):
        params.only(query, [STATUS_PARAM, OVERDUE_PARAM])
        self.status = params.choice(query, STATUS_PARAM, CommitmentStatus.values)
        self.overdue = params.choice(query, OVERDUE_PARAM, [OVERDUE_YES]) == OVERDUE_YES
        self.today = timezone.localdate()

    @property
    def active(self) -> bool:
        return bool(self.status or self.overdue)

    def matches(self, commitment: Commitment) -> bool:
        """Whether a commitment passes (« en retard »: `is_overdue_on`, the rule's Python twin)."""
        if self.status and commitment.status != self.status:
            return False
        return not self.overdue or is_overdue_on(
            due_date=commitment.due_date, status=commitment.status, today=self.today
        )

    def context(self, shown: int) -> dict:
        """What the filter form and its result line need."""
        words = []
        if self.status:
            words.append(f"statut « {CommitmentStatus(self.status).label} »")
        if self.overdue:
            words.append("en retard")
        return {
            "filter": self,
            "filter_statuses": CommitmentStatus.choices,
            "filter_shown": shown,
            "filter_words": " et ".join(words),
        }


def _partner_url(partner: Partner) -> str:
    return reverse("engagements_public:partner", kwargs={"slug": partner.slug})


class _Cell(list):
    """A matrix cell: the commitments a partner carries, and `shared` those it co-owns."""

    def __init__(self, commitments, *, shared):
        super().__init__(commitments)
        self.shared = shared


def matrix(request, charter_slug: str):
    """The partners × actions grid of a published charter, and its list view for phones."""
    charter = selectors.public_charter(slug=charter_slug)
    if charter is None:
        raise Http404("Aucune charte publiée à cette adresse.")
    try:
        visitor_filter = CommitmentFilter(request.GET)
    except BadParameter as error:
        return bad_request(request, error)
    depends_on(request, charter_paths=[charter.path])  # the page cache forgets it on a change
    orientations = selectors.public_charter_structure(charter=charter)
    actions = [action for orientation in orientations for action in orientation.action_list]
    action_ids = {action.pk for action in actions}
    commitments = [
        commitment
        for commitment in selectors.public_commitments_for_charter(charter=charter)
        if commitment.action_id in action_ids
    ]
    # The signatories with their partner: one query for both (the figures cost one).
    signatories = list(charter.signatories.select_related("partner"))
    signing = {signatory.partner_id: signatory for signatory in signatories}
    partners: dict[int, Partner] = {}
    for commitment in commitments:
        partners.setdefault(commitment.partner_id, commitment.partner)
        for co_partner in commitment.co_partners.all():
            partners.setdefault(co_partner.pk, co_partner)
    for signatory in signatories:
        partners.setdefault(signatory.partner_id, signatory.partner)
    partner_list = sorted(partners.values(), key=lambda partner: partner.name.casefold())

    cells: dict[tuple[int, int], list[Commitment]] = {}
    shared_cells: dict[tuple[int, int], list[Commitment]] = {}
    by_partner: dict[int, list[Commitment]] = {partner.pk: [] for partner in partner_list}
    shown_by_partner: dict[int, list[Commitment]] = {partner.pk: [] for partner in partner_list}
    shown = 0
    for commitment in commitments:
        by_partner[commitment.partner_id].append(commitment)  # the figures: every commitment
        if not visitor_filter.matches(commitment):
            continue
        shown += 1
        commitment.summary = _summary(commitment.text)
        commitment.public_url = f"{_partner_url(commitment.partner)}#engagement-{commitment.pk}"
        commitment.history_url = reverse(
            "engagements_public:commitment_history", kwargs={"pk": commitment.pk}
        )
        cells.setdefault((commitment.action_id, commitment.partner_id), []).append(commitment)
        shown_by_partner[commitment.partner_id].append(commitment)
        # A shared commitment: in its porteur's cell, and a « partagé » mark in each co-owner's.
        for co_partner in commitment.co_partners.all():
            shared_cells.setdefault((commitment.action_id, co_partner.pk), []).append(commitment)

    # Filtered: only the partners, actions and orientations that keep a commitment.
    column_partners = partner_list
    if visitor_filter.active:
        column_partners = [partner for partner in partner_list if shown_by_partner[partner.pk]]
    # The wide table: one row per action (grouped by orientation), one column per partner.
    for orientation in orientations:
        for action in orientation.action_list:
            action.cells = [
                _Cell(
                    cells.get((action.pk, partner.pk), []),
                    shared=shared_cells.get((action.pk, partner.pk), []),
                )
                for partner in column_partners
            ]
            action.public_url = action.get_url(request)
            action.shown = not visitor_filter.active or any(action.cells)
        orientation.public_url = orientation.get_url(request)
        orientation.shown = any(action.shown for action in orientation.action_list)

    # Per partner: its figures, and its commitments by orientation → action (the list view).
    status_rows = [
        {"status": status.value, "label": status.label, "counts": []} for status in CommitmentStatus
    ]
    overdue_row, total_row = [], []
    for partner in partner_list:
        own = by_partner[partner.pk]
        partner.public_url = _partner_url(partner)
        partner.figures = selectors.group_figures(own[0] if own else None, "partner")
        partner.signatory = signing.get(partner.pk)
        own_by_action: dict[int, list[Commitment]] = {}
        for commitment in shown_by_partner[partner.pk]:
            own_by_action.setdefault(commitment.action_id, []).append(commitment)
        partner.orientations = []
        for orientation in orientations:
            groups = [
                {"action": action, "commitments": own_by_action[action.pk]}
                for action in orientation.action_list
                if action.pk in own_by_action
            ]
            if groups:
                partner.orientations.append({"orientation": orientation, "actions": groups})

    for partner in column_partners:  # the footer: each shown column's figures
        for row, item in zip(status_rows, partner.figures.status_counts, strict=True):
            row["counts"].append(item["count"])
        overdue_row.append(partner.figures.overdue)
        total_row.append(partner.figures.total)

    context = {
        "charter": charter,
        "charter_url": charter.get_url(request),
        "orientations": orientations,
        "partners": partner_list,
        "column_partners": column_partners,
        **visitor_filter.context(shown),
        "n_actions": len(actions),
        "n_commitments": len(commitments),
        "status_rows": status_rows,
        "overdue_row": overdue_row,
        "total_row": total_row,
        "figures": selectors.group_figures(commitments[0] if commitments else None, "all"),
        "breadcrumbs": [
            {"title": charter.title, "url": charter.get_url(request)},
            {"title": "Engagements des partenaires", "url": ""},
        ],
        # No `abbreviations` here: the grid shows plain summaries inside links (no nested links).
    }
    return render(request, "engagements/public/matrix.html", context)


def partner_list(request):
    """Every partner that signs a published charter or has a published commitment."""
    partners = selectors.public_partners()
    figures = selectors.commitment_figures_by(selectors.public_commitments(), "partner_id")
    roles: dict[int, list] = {}
    for signatory in selectors.public_signatories():
        roles.setdefault(signatory.partner_id, []).append(signatory)
    for partner in partners:
        partner.public_url = _partner_url(partner)
        partner.signatories = roles.get(partner.pk, [])
        partner.figures = figures.get(partner.pk, selectors.Figures())
    context = {
        "partners": partners,
        "statuses": list(CommitmentStatus),
        "breadcrumbs": [{"title": "Partenaires", "url": ""}],
    }
    return render(request, "engagements/public/partner_list.html", context)


def partner_detail(request, slug: str):
    """One partner: signature, declarations, figures, commitments by charter → action."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise Http404("Partenaire inconnu.")
    try:
        visitor_filter = CommitmentFilter(request.GET)
    except BadParameter as error:
        return bad_request(request, error)
    commitments = selectors.public_commitments_for_partner(partner=partner)
    selectors.public_progress_note_dates(commitments=commitments)
    for commitment in commitments:
        commitment.public_evidence = selectors.public_evidence(commitment)
    signatories = list(selectors.public_signatories(partner=partner))
    declarations = list(selectors.public_declarations(partner=partner))
    shared = selectors.public_shared_commitments_for_partner(
        partner=partner, signatories=signatories
    )
    for commitment in shared:
        commitment.public_url = f"{_partner_url(commitment.partner)}#engagement-{commitment.pk}"
    if not (commitments or signatories or declarations or shared):
        raise Http404("Ce partenaire ne figure dans aucune charte publiée.")
    records = selectors.public_signature_records(partner=partner)
    for signatory in signatories:
        signatory.record = records.get(signatory.charter_id)
        signatory.charter_url = signatory.charter.get_url(request)
    for declaration in declarations:
        declaration.signature = records.get(declaration.charter_id)

    # Orientations and charters of the commitments: one query each, by the actions' paths.
    steplen = Page.steplen
    orientation_paths = {commitment.action.path[:-steplen] for commitment in commitments}
    charter_paths = {path[:-steplen] for path in orientation_paths}
    depends_on(request, charter_paths=charter_paths, partner_ids=[partner.pk])
    orientations = {
        page.path: page for page in OrientationPage.objects.filter(path__in=orientation_paths)
    }
    charters = {page.path: page for page in CharterPage.objects.filter(path__in=charter_paths)}
    grouped: dict[str, dict] = {}
    shown = 0
    for commitment in commitments:
        action = commitment.action
        orientation = orientations[action.path[:-steplen]]
        charter = charters[orientation.path[:-steplen]]
        charter_group = grouped.setdefault(
            charter.path, {"charter": charter, "orientations": {}, "commitments": []}
        )
        orientation_group = charter_group["orientations"].setdefault(
            orientation.path, {"orientation": orientation, "actions": {}}
        )
        charter_group["commitments"].append(commitment)  # the figures: every commitment
        if not visitor_filter.matches(commitment):
            continue
        shown += 1
        action_group = orientation_group["actions"].setdefault(
            action.path, {"action": action, "commitments": []}
        )
        action_group["commitments"].append(commitment)
    charter_groups = []
    for index, charter_path in enumerate(sorted(grouped)):
        group = grouped[charter_path]
        charter = group["charter"]
        charter_groups.append(
            {
                "charter": charter,
                "charter_url": charter.get_url(request),
                # Anchors stay `action-<code>` for the first charter, prefixed for the others.
                "anchor_prefix": "" if index == 0 else f"{charter.slug}-",
                "figures": selectors.group_figures(group["commitments"][0], "charter"),
                "lexicon": lexicon_for_charter(charter=charter),
                "orientations": [
                    {
                        "orientation": item["orientation"],
                        "actions": [
                            {**action_item, "url": action_item["action"].get_url(request)}
                            for _path, action_item in sorted(item["actions"].items())
                        ],
                    }
                    for _path, item in sorted(group["orientations"].items())
                    if item["actions"]
                ],
            }
        )
    context = {
        "partner": partner,
        "signatories": signatories,
        "declarations": declarations,
        "charter_groups": charter_groups,
        "shared_commitments": shared,
        **visitor_filter.context(shown),
        "filter_anchor": "engagements",
        "figures": selectors.group_figures(commitments[0] if commitments else None, "all"),
        "breadcrumbs": [
            {"title": "Partenaires", "url": reverse("engagements_public:partner_list")},
            {"title": partner.name, "url": ""},
        ],
    }
    return render(request, "engagements/public/partner_detail.html", context)


def commitment_history(request, pk: int):
    """The public timeline of one commitment's status: dates, statuses, progress only."""
    commitment = selectors.public_commitment(pk=pk)
    if commitment is None:
        raise Http404("Engagement inconnu ou non publié.")
    partner_url = _partner_url(commitment.partner)
    title = f"Historique de l'engagement n° {commitment.pk}"
    charter = _charter_of(commitment)
    signed_on = selectors.signature_date(commitment=commitment, charter=charter)
    context = {
        "commitment": commitment,
        "evidence": selectors.public_evidence(commitment),
        "entries": selectors.public_status_timeline(commitment=commitment, signed_on=signed_on),
        "partner_url": partner_url,
        "commitment_url": f"{partner_url}#engagement-{commitment.pk}",
        "action_url": commitment.action.get_url(request),
        **_lexicon_context(charter),
        "page_title": title,
        "breadcrumbs": [
            {"title": "Partenaires", "url": reverse("engagements_public:partner_list")},
            {"title": commitment.partner.name, "url": partner_url},
            {"title": title, "url": ""},
        ],
    }
    return render(request, "engagements/public/commitment_history.html", context)


def _charter_of(commitment: Commitment) -> CharterPage | None:
    """The charter of a commitment (its action's grand-parent page)."""
    return CharterPage.objects.filter(path=commitment.action.path[: -2 * Page.steplen]).first()


def _lexicon_context(charter: CharterPage | None) -> dict:
    """The charter's lexicon for the `abbreviations` filter (one query)."""
    return {"lexicon": lexicon_for_charter(charter=charter)}

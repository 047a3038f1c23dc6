"""The public progress page of a charter, « Où en est la charte ? » (anonymous visitors).

Its figures are the committee dashboard's (`selectors.dashboard`), restricted to the published
commitments (`Filters(public_only=True)`, the rule of `Commitment.objects.public()`): the page
and the dashboard cannot disagree. Only the public columns are shown (counts by status, « en
retard », share achieved, last update); the committee's own columns (not updated since the last
meeting, review completeness) never reach the page. A fixed number of queries whatever the data.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from charter.models import Partner
from charter.selectors import current_charter
from engagements.choices import CommitmentStatus
from engagements.selectors import public_charter

from . import charts, selectors

# Colours of the chart, with a 3:1 contrast at least against white (RGAA 3.3, non-text).
LEGEND = [
    {"status": status, "label": label, "colour": selectors.STATUS_COLOURS[status]}
    for status, label in CommitmentStatus.choices
]


def public_figures(*, charter) -> selectors.Dashboard:
    """The committee's figures of a charter, published commitments only (one rule)."""
    return selectors.dashboard(charter=charter, filters=selectors.Filters(public_only=True))


def headline(totals) -> str:
    """One sentence on the whole charter: how many achieved, in progress, late, abandoned."""
    if not totals.total:
        return "Aucun engagement publié pour cette charte."
    by_status = totals.by_status
    return (
        f"Sur {totals.total} engagement{'s' if totals.total > 1 else ''} publié"
        f"{'s' if totals.total > 1 else ''}, {totals.achieved} "
        f"réalisé{'s' if totals.achieved > 1 else ''} ({totals.achieved_share} %), "
        f"{by_status[CommitmentStatus.IN_PROGRESS]} en cours, "
        f"{by_status[CommitmentStatus.NOT_STARTED]} non démarré"
        f"{'s' if by_status[CommitmentStatus.NOT_STARTED] > 1 else ''}, "
        f"{by_status[CommitmentStatus.BLOCKED]} bloqué"
        f"{'s' if by_status[CommitmentStatus.BLOCKED] > 1 else ''} et "
        f"{by_status[CommitmentStatus.ABANDONED]} abandonné"
        f"{'s' if by_status[CommitmentStatus.ABANDONED] > 1 else ''} ; "
        + (
            "aucun n'est en retard sur son échéance."
            if not totals.overdue
            else "1 est en retard sur son échéance."
            if totals.overdue == 1
            else f"{totals.overdue} sont en retard sur leur échéance."
        )
    )


def group_summary(rows, what: str, *, empty: str = "Aucun engagement publié.") -> str:
    """One sentence on a table: the group furthest ahead and the one with most late commitments.

    The public progress page and the committee's dashboard read their tables with it.
    """
    if not rows:
        return empty
    best = max(rows, key=lambda row: (row.achieved_share, row.total))
    late = max(rows, key=lambda row: row.overdue)
    if best.achieved:
        text = (
            f"{len(rows)} {what} ; la part d'engagements réalisés la plus élevée est celle de "
            f"« {best.label} » ({best.achieved_share} %)"
        )
    else:
        text = f"{len(rows)} {what} ; aucun engagement n'est encore réalisé"
    if late.overdue:
        text += f" ; le plus d'engagements en retard : « {late.label} » ({late.overdue})"
    else:
        text += " ; aucun engagement en retard"
    return text + "."


def progress(request, charter_slug: str):
    """« Où en est la charte ? »: achieved, in progress, late… by orientation and by partner."""
    charter = public_charter(slug=charter_slug)
    if charter is None:
        raise Http404("Aucune charte publiée à cette adresse.")
    result = public_figures(charter=charter)
    for row in result.by_orientation:  # labelled « Orientation n : title »
        row.heading = row.label
        row.chart = charts.status_stack(row=row, label=row.heading)
    slugs = dict(
        Partner.objects.filter(pk__in=[row.key for row in result.by_partner]).values_list(
            "pk", "slug"
        )
    )
    for row in result.by_partner:
        row.heading = row.label
        row.url = reverse("engagements_public:partner", kwargs={"slug": slugs[row.key]})
        row.chart = charts.status_stack(row=row, label=row.label)
    result.totals.chart = charts.status_stack(row=result.totals, label="Ensemble de la charte")
    sections = [
        {
            "slug": "orientations",
            "title": "Par orientation",
            "heading": "Orientation",
            "rows": result.by_orientation,
            "summary": group_summary(result.by_orientation, "orientations"),
        },
        {
            "slug": "partenaires",
            "title": "Par partenaire",
            "heading": "Partenaire",
            "rows": result.by_partner,
            "summary": group_summary(result.by_partner, "partenaires"),
        },
    ]
    context = {
        "charter": charter,
        "charter_url": charter.get_url(request),
        "matrix_url": reverse("engagements_public:matrix", kwargs={"charter_slug": charter.slug}),
        "dashboard": result,
        "totals": result.totals,
        "headline": headline(result.totals),
        "sections": sections,
        "legend": LEGEND,
        "statuses": CommitmentStatus.choices,
        "page_title": f"Où en est la charte ? — {charter.title}",
        "breadcrumbs": [
            {"title": charter.title, "url": charter.get_url(request)},
            {"title": "Où en est la charte ?", "url": ""},
        ],
    }
    return render(request, "monitoring/public/progress.html", context)


def progress_current(request):
    """/avancement/: the progress page of the charter in force (menu and site map)."""
    charter = current_charter()
    if charter is None:
        raise Http404("Aucune charte publiée.")
    return redirect("monitoring_public:progress", charter_slug=charter.slug)

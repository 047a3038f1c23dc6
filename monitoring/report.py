"""The annual report ("bilan annuel") of a review campaign: Markdown with PNG charts → DOCX.

Same pipeline as the charter export: pandoc (pypandoc-binary) with the publishing app's A4
reference document. Charts are drawn as PNG with Pillow (a Wagtail dependency): pandoc embeds
SVG in DOCX without the PNG fallback that LibreOffice and older Word versions need. They are
given to pandoc inside the Markdown, as data: URIs: the sandboxed pandoc reads no file, and
only data: images are embedded (publishing/docx/no_server_images.lua).
"""

import base64
import datetime
import io
from decimal import Decimal
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from docx import Document
from PIL import Image, ImageDraw, ImageFont

from charter.choices import SignatoryRole
from core.text import french_date
from engagements.choices import CommitmentStatus
from publishing.docx.export import (
    Presentation,
    add_cover,
    fill_toc,
    fit_columns,
    pandoc_docx,
    presentation,
    stamp_pages,
)
from publishing.docx.markdown import block, yaml_string

from .charts import format_number
from .models import Decision, MeetingRecord, ReviewCampaign
from .selectors import (
    STATUS_COLOURS,
    Figures,
    IndicatorSeries,
    changes_since_last_review,
    dashboard,
    indicator_series,
    last_closed_campaign,
)

PANDOC_FORMAT = "markdown-raw_html-raw_tex-raw_attribute-implicit_figures"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _cell(text) -> str:
    """A table cell: one line, pipes and Markdown markers escaped."""
    text = " ".join(str(text if text is not None else "—").split())
    for char in "\\|*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text or "—"


def _table(headers: list[str], rows: list[list], caption: str) -> str:
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + f"\n\n: {_cell(caption)}\n"


FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
)


def _font(size: int):
    """A system font with accented letters; Pillow's built-in font lacks them."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)  # pragma: no cover - no system font


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _chart(alt: str, png: bytes, width: str) -> str:
    """A chart image for pandoc, its PNG inside the Markdown (data: URI)."""
    data = base64.b64encode(png).decode("ascii")
    return f"![{alt}](data:image/png;base64,{data}){{width={width}}}"


def status_bars_png(rows: list[Figures]) -> bytes:
    """Horizontal bars split by status (the PNG twin of charts.status_bars)."""
    label_w, bar_w, row_h, top = 420, 760, 40, 60
    image = Image.new("RGB", (label_w + bar_w + 110, top + row_h * max(len(rows), 1) + 20), "white")
    draw = ImageDraw.Draw(image)
    font = _font(20)
    x = 0
    for status, label in CommitmentStatus.choices:
        draw.rectangle([x, 12, x + 20, 32], fill=_hex(STATUS_COLOURS[status]))
        draw.text((x + 26, 10), label, fill="black", font=font)
        x += 50 + int(draw.textlength(label, font=font))
    for index, row in enumerate(rows):
        y = top + index * row_h
        label = row.label if len(row.label) <= 36 else row.label[:35] + "…"
        draw.text((0, y + 8), label, fill="black", font=font)
        offset = float(label_w)
        for _status, _label, count, colour in row.segments:
            if count and row.total:
                width = bar_w * count / row.total
                draw.rectangle([offset, y + 4, offset + width, y + row_h - 6], fill=_hex(colour))
                offset += width
        draw.text((label_w + bar_w + 10, y + 8), f"{row.achieved_share} %", fill="black", font=font)
    return _png(image)


def year_bars_png(series: IndicatorSeries) -> bytes:
    """Yearly values as bars, targets as red marks (the PNG twin of charts.year_chart)."""
    points = [p for p in series.points if p.value is not None or p.target is not None]
    width, height, left, bottom, top = 1000, 380, 110, 50, 30
    plot_h = height - bottom - top
    numbers = [p.value for p in points if p.value is not None]
    numbers += [p.target for p in points if p.target is not None]
    maximum = max(numbers, default=Decimal(1)) or Decimal(1)
    slot = (width - left - 20) / max(len(points), 1)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(20)
    draw.line([left, top + plot_h, width - 20, top + plot_h], fill=(100, 100, 100), width=2)
    draw.text((0, top - 10), format_number(maximum).replace("\u202f", " "), fill="black", font=font)
    draw.rectangle([width - 300, 0, width - 280, 20], fill=_hex("#2f6fbf"))
    draw.text((width - 274, -2), "Valeur", fill="black", font=font)
    draw.line([width - 180, 10, width - 150, 10], fill=_hex("#b3261e"), width=5)
    draw.text((width - 144, -2), "Cible", fill="black", font=font)
    for index, point in enumerate(points):
        x = left + index * slot
        if point.value is not None:
            h = float(plot_h * point.value / maximum)
            box = [x + slot * 0.2, top + plot_h - h, x + slot * 0.8, top + plot_h]
            draw.rectangle(box, fill=_hex("#2f6fbf"))
        if point.target is not None:
            ty = top + plot_h - float(plot_h * point.target / maximum)
            draw.line([x + slot * 0.1, ty, x + slot * 0.9, ty], fill=_hex("#b3261e"), width=5)
        draw.text(
            (x + slot / 2 - 22, height - bottom + 12), str(point.year), fill="black", font=font
        )
    return _png(image)


def _decisions(campaign: ReviewCampaign):
    return (
        Decision.objects.filter(
            Q(meeting__record__campaign=campaign)
            | Q(meeting__record__charter=campaign.charter, meeting__date__year=campaign.year)
        )
        .select_related("meeting")
        .prefetch_related("actions", "commitments__partner", "commitments__action")
        .distinct()
        .order_by("meeting__date", "pk")
    )


def committee_date(campaign: ReviewCampaign) -> datetime.date | None:
    """The date of the (last) steering-committee meeting that reviews this campaign."""
    record = (
        MeetingRecord.objects.filter(campaign=campaign)
        .select_related("meeting")
        .order_by("-meeting__date")
        .first()
    )
    return record.meeting.date if record else None


def copilots(campaign: ReviewCampaign) -> list[str]:
    """The co-pilots' names (State, Département), in the charter's order."""
    return [
        s.partner.name
        for s in campaign.charter.signatories.filter(role=SignatoryRole.COPILOT)
        .select_related("partner")
        .order_by("sort_order")
    ]


def _changes(campaign: ReviewCampaign, reference: ReviewCampaign | None) -> list[str]:
    """What changed since the previous review, as sentences a committee can adopt."""
    if reference is None:
        return ["Aucun bilan antérieur clôturé : pas de comparaison possible.", ""]
    comparison = changes_since_last_review(charter=campaign.charter, reference=reference)
    added = sum(1 for change in comparison.changes if change.status_before is None)
    changed = len(comparison.changes) - added

    def many(count: int, singular: str, plural: str) -> str:
        return f"{count} {singular if count == 1 else plural}"

    facts = [
        many(changed, "engagement a changé", "engagements ont changé")
        + " de statut ou d'avancement"
        if changed
        else "aucun engagement n'a changé de statut ni d'avancement",
    ]
    if added:
        facts.append(many(added, "engagement a été ajouté", "engagements ont été ajoutés"))
    if comparison.removed:
        facts.append(
            many(comparison.removed, "engagement a été retiré", "engagements ont été retirés")
        )
    parts = [f"Depuis le bilan {reference.year}, " + ", ".join(facts) + ".", ""]
    moves = [
        f"{label.lower()} : {now} (contre {before} au bilan {reference.year})"
        for label, before, now, _difference in comparison.status_rows
        if before != now
    ]
    if moves:
        parts += ["Répartition par statut : " + " ; ".join(moves) + ".", ""]
    for change in comparison.changes:
        commitment = change.commitment
        subject = (
            f"**{_cell(commitment.partner.name)}**, action {_cell(commitment.action.code)} — "
            f"« {_cell(_shorten(commitment.text, 160))} »"
        )
        now = commitment.get_status_display().lower()
        if change.status_before is None:
            parts += [f"{subject} : nouvel engagement, {now}.", ""]
        elif change.status_before != commitment.status:
            before = change.status_before_label.lower()
            parts += [f"{subject} : passé de « {before} » à « {now} ».", ""]
        else:
            parts += [
                f"{subject} : avancement de {change.progress_before} % à "
                f"{commitment.progress} % ({now}).",
                "",
            ]
    return parts


def _shorten(text: str, length: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def _indicators(campaign: ReviewCampaign) -> list[str]:
    """The year's values against their targets, with their source (or says none were entered)."""
    year = campaign.year
    rows, notes, charts = [], [], []
    for series in indicator_series():
        point = next((p for p in series.points if p.year == year), None)
        if point is None or (point.value is None and point.target is None):
            continue
        unit = f" ({series.indicator.unit})" if series.indicator.unit else ""
        gap = (
            format_number(point.value - point.target)
            if point.value is not None and point.target is not None
            else "—"
        )
        rows.append(
            [
                series.indicator.name + unit,
                format_number(point.value),
                format_number(point.target),
                gap,
                point.source or "non précisée",
            ]
        )
        if point.narrative.strip():
            notes += [f"**{_cell(series.indicator.name)}** : {block(point.narrative)}", ""]
        if len([p for p in series.points if p.value is not None]) >= 2:
            charts.append(series)
    if not rows:
        return [f"Aucune valeur d'indicateur n'a été saisie pour {year}.", ""]
    parts = [
        _table(
            ["Indicateur", f"Valeur {year}", f"Cible {year}", "Écart", "Source"],
            rows,
            f"Indicateurs {year} : valeurs, cibles et sources",
        ),
        *notes,
    ]
    for series in charts:
        name = _cell(series.indicator.name)
        parts += [_chart(f"{name} : valeurs et cibles par année", year_bars_png(series), "13cm")]
        parts += ["", f"*{name} : valeurs (barres) et cibles (traits) par année.*", ""]
    return parts


def _decision_paragraphs(campaign: ReviewCampaign) -> list[str]:
    decisions = list(_decisions(campaign))
    if not decisions:
        return ["Aucune décision enregistrée.", ""]
    parts: list[str] = []
    current = None
    for decision in decisions:
        if decision.meeting_id != current:
            current = decision.meeting_id
            parts += [
                f"## {_cell(decision.meeting.title)} du {french_date(decision.meeting.date)}",
                "",
            ]
        concerned = [f"action {a.code}" for a in decision.actions.all()]
        concerned += [
            f"l'engagement de {c.partner.name} (action {c.action.code})"
            for c in decision.commitments.all()
        ]
        parts += [block(decision.text), ""]
        if concerned:
            parts += [f"*Cette décision concerne : {_cell(', '.join(concerned))}.*", ""]
    return parts


def build_markdown(campaign: ReviewCampaign) -> str:
    """The report as pandoc Markdown, its charts inside (data: URIs)."""
    charter = campaign.charter
    today = timezone.localdate()
    as_of = timezone.localdate(campaign.closed_at) if campaign.closed_at else today
    figures = dashboard(charter=charter, as_of=as_of if as_of < today else None)
    reference = last_closed_campaign(charter=charter, before=campaign)
    state = "clôturée" if campaign.closed_at else "en cours"
    totals = figures.totals
    blocked = totals.by_status.get(CommitmentStatus.BLOCKED, 0)
    parts = [
        "# Synthèse",
        "",
        f"État au {as_of:%d/%m/%Y}, campagne de mise à jour {state}. "
        f"{totals.total} engagements : {totals.achieved} réalisés "
        f"({totals.achieved_share} %), {totals.overdue} en retard, {blocked} bloqués. "
        f"Date limite de mise à jour par les partenaires : {campaign.deadline:%d/%m/%Y}.",
        "",
        "# Avancement par orientation",
        "",
    ]
    headers = ["Orientation", "Total", *CommitmentStatus.labels, "Part réalisée", "En retard"]

    def figure_rows(rows):
        return [
            [
                row.label,
                row.total,
                *(count for _s, _l, count, _c in row.segments),
                f"{row.achieved_share} %",
                row.overdue,
            ]
            for row in rows
        ]

    chart = status_bars_png(figures.by_orientation)
    parts += [_chart("Avancement par orientation, par statut", chart, "16cm"), ""]
    parts.append(_table(headers, figure_rows(figures.by_orientation), "Avancement par orientation"))
    parts += ["# Avancement par partenaire", ""]
    chart = status_bars_png(figures.by_partner)
    parts += [_chart("Avancement par partenaire, par statut", chart, "16cm"), ""]
    headers[0] = "Partenaire"
    parts.append(_table(headers, figure_rows(figures.by_partner), "Avancement par partenaire"))
    parts += ["# Ce qui a changé depuis le bilan précédent", "", *_changes(campaign, reference)]
    parts += ["# Indicateurs", "", *_indicators(campaign)]
    parts += ["# Décisions du comité de suivi", "", *_decision_paragraphs(campaign)]
    return "\n".join(parts)


def _title_date(campaign: ReviewCampaign) -> datetime.date:
    return timezone.localdate(campaign.closed_at) if campaign.closed_at else timezone.localdate()


REPORT_UNAVAILABLE = (
    "Le bilan annuel n'a pas pu être produit : le convertisseur pandoc est introuvable ou a "
    "échoué. Réessayez plus tard ; si le problème persiste, prévenez l'équipe technique."
)
# Text width of the A4 reference document (210 mm − 2 × 22 mm), in twips.
TEXT_WIDTH_TWIPS = int((210 - 44) / 25.4 * 1440)


def render_report_docx(campaign: ReviewCampaign, *, look: Presentation | None = None) -> bytes:
    """The annual report of a campaign as DOCX bytes (DocxExportError if pandoc fails)."""
    charter = campaign.charter
    meeting = committee_date(campaign)
    metadata = [
        "---",
        f"title: {yaml_string(f'Bilan annuel {campaign.year}')}",
        f"subtitle: {yaml_string(charter.title)}",
        "date: "
        + yaml_string(
            f"Comité de suivi du {french_date(meeting)}"
            if meeting
            else f"État au {french_date(_title_date(campaign))}"
        ),
        "lang: fr-FR",
        "toc-title: Sommaire",
        "---",
        "",
    ]
    # The same pipeline and A4 reference document as the charter (publishing app).
    raw = pandoc_docx(
        "\n".join(metadata) + build_markdown(campaign),
        source_format=PANDOC_FORMAT,
        extra_args=["--toc", "--toc-depth=1"],
        error=REPORT_UNAVAILABLE,
    )
    document = Document(io.BytesIO(raw))
    fill_toc(document, depth=1)
    names = copilots(campaign)
    add_cover(
        document,
        lines=[
            f"Département : {charter.territory}",
            ("Co-pilotes : " + ", ".join(names)) if names else "",
        ],
        presentation=look if look is not None else presentation(),
    )
    # Sections flow: only the first one starts a page (after the table of contents).
    document.styles["Heading 1"].paragraph_format.page_break_before = False
    first = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    first.paragraph_format.page_break_before = True
    for table in document.tables:
        fit_columns(table, width_twips=TEXT_WIDTH_TWIPS, font_size=8)
    document.core_properties.title = f"Bilan annuel {campaign.year} — {charter.title}"
    document.core_properties.language = "fr-FR"
    stamp_pages(
        document,
        header=f"Bilan annuel {campaign.year} — {charter.title}",
        footer=f"Édité le {french_date(timezone.localdate())}",
    )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def report_filename(campaign: ReviewCampaign, extension: str = "docx") -> str:
    return f"bilan-annuel-{campaign.year}-{_title_date(campaign):%Y-%m-%d}.{extension}"

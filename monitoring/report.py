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
from PIL import Image, ImageDraw, ImageFont

from engagements.choices import CommitmentStatus
from publishing.docx.export import pandoc_docx

from .charts import format_number
from .models import Decision, ReviewCampaign
from .selectors import (
    STATUS_COLOURS,
    Figures,
    IndicatorSeries,
    changes_since_last_review,
    dashboard,
    indicator_series,
    last_closed_campaign,
)

PANDOC_FORMAT = "markdown-raw_html-raw_tex-raw_attribute"
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


def build_markdown(campaign: ReviewCampaign) -> str:
    """The report as pandoc Markdown, its charts inside (data: URIs)."""
    charter = campaign.charter
    today = timezone.localdate()
    as_of = timezone.localdate(campaign.closed_at) if campaign.closed_at else today
    figures = dashboard(charter=charter, as_of=as_of if as_of < today else None)
    reference = last_closed_campaign(charter=charter, before=campaign)
    state = "clôturée" if campaign.closed_at else "en cours"
    parts = [
        f"*État au {as_of:%d/%m/%Y} — campagne {state}.*",
        "",
        "# Synthèse",
        "",
        f"{figures.totals.total} engagements : {figures.totals.achieved} réalisés "
        f"({figures.totals.achieved_share} %), {figures.totals.overdue} en retard, "
        f"{figures.totals.by_status.get(CommitmentStatus.BLOCKED, 0)} bloqués. "
        f"Date limite de mise à jour par les partenaires : {campaign.deadline:%d/%m/%Y}.",
        "",
        "# Avancement par orientation",
        "",
    ]
    chart = status_bars_png(figures.by_orientation)
    parts += [_chart("Avancement par orientation, par statut", chart, "16cm"), ""]
    headers = ["Orientation", "Engagements", *CommitmentStatus.labels, "Part réalisée", "En retard"]

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

    parts.append(_table(headers, figure_rows(figures.by_orientation), "Avancement par orientation"))
    parts += ["# Avancement par partenaire", ""]
    chart = status_bars_png(figures.by_partner)
    parts += [_chart("Avancement par partenaire, par statut", chart, "16cm"), ""]
    headers[0] = "Partenaire"
    parts.append(_table(headers, figure_rows(figures.by_partner), "Avancement par partenaire"))

    parts += ["# Ce qui a changé depuis le bilan précédent", ""]
    if reference is None:
        parts += ["Aucun bilan antérieur clôturé : pas de comparaison possible.", ""]
    else:
        comparison = changes_since_last_review(charter=charter, reference=reference)
        parts += [
            f"Par rapport au bilan {reference.year} : {len(comparison.changes)} engagement(s) "
            f"modifié(s) ou nouveau(x), {comparison.removed} retiré(s).",
            "",
            _table(
                ["Statut", f"Bilan {reference.year}", "Aujourd'hui", "Écart"],
                [list(row) for row in comparison.status_rows],
                "Engagements par statut",
            ),
        ]
        if comparison.changes:
            parts.append(
                _table(
                    ["Partenaire", "Action", "Engagement", "Avant", "Maintenant"],
                    [
                        [
                            change.commitment.partner,
                            change.commitment.action.code,
                            change.commitment.text[:200],
                            change.status_before_label,
                            change.commitment.get_status_display(),
                        ]
                        for change in comparison.changes
                    ],
                    "Engagements modifiés",
                )
            )

    parts += ["# Indicateurs", ""]
    for series in indicator_series():
        if not series.points:
            continue
        parts += [f"## {_cell(series.indicator.name)}", ""]
        if any(p.value is not None for p in series.points):
            parts += [_chart(_cell(series.indicator.name), year_bars_png(series), "15cm"), ""]
        parts.append(
            _table(
                ["Année", "Valeur", "Cible", "Source"],
                [
                    [p.year, format_number(p.value), format_number(p.target), p.source]
                    for p in series.points
                ],
                f"{series.indicator.name} : valeurs et cibles",
            )
        )

    parts += ["# Décisions du comité de suivi", ""]
    decisions = list(_decisions(campaign))
    if not decisions:
        parts += ["Aucune décision enregistrée.", ""]
    for decision in decisions:
        concerned = [f"action {a.code}" for a in decision.actions.all()]
        concerned += [f"{c.partner} (action {c.action.code})" for c in decision.commitments.all()]
        line = f"- {decision.meeting.date:%d/%m/%Y} — {_cell(decision.text)}"
        if concerned:
            line += f" *(concerne : {_cell(', '.join(concerned))})*"
        parts.append(line)
    parts.append("")
    return "\n".join(parts)


def _title_date(campaign: ReviewCampaign) -> datetime.date:
    return timezone.localdate(campaign.closed_at) if campaign.closed_at else timezone.localdate()


REPORT_UNAVAILABLE = (
    "Le bilan annuel n'a pas pu être produit : le convertisseur pandoc est introuvable ou a "
    "échoué. Réessayez plus tard ; si le problème persiste, prévenez l'équipe technique."
)


def render_report_docx(campaign: ReviewCampaign) -> bytes:
    """The annual report of a campaign as DOCX bytes (DocxExportError if pandoc fails)."""
    title = f"Bilan annuel {campaign.year} — {campaign.charter.title}"
    # The same pipeline and A4 reference document as the charter (publishing app).
    return pandoc_docx(
        build_markdown(campaign),
        source_format=PANDOC_FORMAT,
        extra_args=[
            "--toc",
            "--toc-depth=1",
            f"--metadata=title:{title}",
            "--metadata=lang:fr-FR",
        ],
        error=REPORT_UNAVAILABLE,
    )


def report_filename(campaign: ReviewCampaign) -> str:
    return f"bilan-annuel-{campaign.year}-{_title_date(campaign):%Y-%m-%d}.docx"

"""Server-rendered SVG charts; each is paired with an accessible table in the templates."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from engagements.choices import CommitmentStatus

from .selectors import STATUS_COLOURS, Figures, IndicatorSeries

FONT = "font-family='Marianne, Arial, sans-serif' font-size='12'"


def format_number(value) -> str:
    """A figure the French way: thin space for thousands, comma for decimals."""
    if value is None:
        return "—"
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",")


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def status_bars(*, rows: Sequence[Figures], chart_id: str, title: str) -> SafeString:
    """One horizontal bar per row, split by status, with a legend."""
    label_width, bar_width, row_height, top = 250, 430, 24, 34
    width = label_width + bar_width + 60
    height = top + row_height * max(len(rows), 1) + 10
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='100%' role='img' aria-labelledby='{chart_id}-title' class='monitoring-chart'>",
        f"<title id='{chart_id}-title'>{escape(title)}</title>",
    ]
    x = 0
    for status, label in CommitmentStatus.choices:
        parts.append(
            f"<rect x='{x}' y='4' width='12' height='12' fill='{STATUS_COLOURS[status]}'/>"
            f"<text x='{x + 16}' y='15' {FONT}>{escape(label)}</text>"
        )
        x += 24 + 7 * len(label)
    for index, row in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f"<text x='0' y='{y + 15}' {FONT}><title>{escape(row.label)}</title>"
            f"{escape(_truncate(row.label, 38))}</text>"
        )
        offset = label_width
        for _status, label, count, colour in row.segments:
            if not count or not row.total:
                continue
            w = bar_width * count / row.total
            parts.append(
                f"<rect x='{offset:.1f}' y='{y + 3}' width='{w:.1f}' height='{row_height - 8}' "
                f"fill='{colour}'><title>{escape(label)} : {count}</title></rect>"
            )
            offset += w
        parts.append(
            f"<text x='{label_width + bar_width + 6}' y='{y + 15}' {FONT}>"
            f"{row.achieved_share} %</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every label is escaped above)


def year_chart(*, series: IndicatorSeries, chart_id: str) -> SafeString:
    """Yearly values as bars and targets as marks, for one indicator."""
    points = [p for p in series.points if p.value is not None or p.target is not None]
    width, height, left, bottom, top = 640, 240, 70, 30, 20
    plot_h = height - bottom - top
    numbers = [p.value for p in points if p.value is not None] + [
        p.target for p in points if p.target is not None
    ]
    maximum = max(numbers, default=Decimal(1)) or Decimal(1)
    slot = (width - left - 10) / max(len(points), 1)
    title = f"{series.indicator.name} : valeurs annuelles et cibles"
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%' "
        f"role='img' aria-labelledby='{chart_id}-title' class='monitoring-chart'>",
        f"<title id='{chart_id}-title'>{escape(title)}</title>",
        f"<line x1='{left}' y1='{top + plot_h}' x2='{width - 10}' y2='{top + plot_h}' "
        "stroke='#666'/>",
        f"<text x='{left - 6}' y='{top + 4}' text-anchor='end' {FONT}>"
        f"{format_number(maximum)}</text>",
        f"<text x='{left - 6}' y='{top + plot_h}' text-anchor='end' {FONT}>0</text>",
    ]
    for index, point in enumerate(points):
        x = left + index * slot
        if point.value is not None:
            h = float(plot_h * point.value / maximum)
            parts.append(
                f"<rect x='{x + slot * 0.2:.1f}' y='{top + plot_h - h:.1f}' "
                f"width='{slot * 0.6:.1f}' height='{h:.1f}' fill='#2f6fbf'>"
                f"<title>{point.year} : {format_number(point.value)}</title></rect>"
            )
        if point.target is not None:
            ty = top + plot_h - float(plot_h * point.target / maximum)
            parts.append(
                f"<line x1='{x + slot * 0.1:.1f}' y1='{ty:.1f}' x2='{x + slot * 0.9:.1f}' "
                f"y2='{ty:.1f}' stroke='#b3261e' stroke-width='3' stroke-dasharray='6 3'>"
                f"<title>Cible {point.year} : {format_number(point.target)}</title></line>"
            )
        parts.append(
            f"<text x='{x + slot / 2:.1f}' y='{height - 10}' text-anchor='middle' {FONT}>"
            f"{point.year}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every label is escaped above)


def status_stack(*, row: Figures, label: str) -> SafeString:
    """One bar split by status, for a public page: the words are in its label and its table.

    A plain SVG (no script, no inline style): each segment's width is its share of the row's
    commitments; `aria-label` reads the counts. The bar scales to its box, text stays HTML.
    """
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 10' preserveAspectRatio='none'"
        f" width='100%' height='20' role='img' focusable='false' class='status-stack'"
        f" aria-label='{escape(status_stack_text(row=row, label=label))}'>"
    ]
    offset = 0.0
    for _status, segment_label, count, colour in row.segments:
        if not count or not row.total:
            continue
        width = 100 * count / row.total
        parts.append(
            f"<rect x='{offset:.3f}' y='0' width='{width:.3f}' height='10' fill='{colour}'>"
            f"<title>{escape(segment_label)} : {count}</title></rect>"
        )
        offset += width
    if not row.total:
        parts.append("<rect x='0' y='0' width='100' height='10' fill='#eeeeee'/>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every label is escaped above)


def status_stack_text(*, row: Figures, label: str) -> str:
    """The words of a status bar: « Label : 12 engagements, réalisé 3, en cours 5… »."""
    counts = ", ".join(
        f"{segment_label.lower()} {count}" for _status, segment_label, count, _c in row.segments
    )
    return f"{label} : {row.total} engagement{'s' if row.total > 1 else ''} ({counts})"

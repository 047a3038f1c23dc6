"""Markdown to safe HTML: every user-entered text goes through here before it is shown."""

import threading

import markdown
import nh3

# The help text of every Markdown field of the admin (one wording everywhere).
MARKDOWN_HELP = "Texte au format Markdown : « - » en début de ligne pour une liste."

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "li", "ol",
    "p", "pre", "strong", "sup", "sub", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def sanitize_html(html: str) -> str:
    """Strip every tag, attribute and URL scheme that is not explicitly allowed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter: building one costs more than converting a short text."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
        _local.converter = converter
    return converter


def markdown_to_html(text: str) -> str:
    """Render Markdown (lists, tables) to sanitised HTML."""
    if not text:
        return ""
    html = _converter().reset().convert(text)
    return sanitize_html(html)


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """« 0 engagement », « 1 engagement », « 3 engagements »: French counts (0 and 1 singular)."""
    word = singular if abs(count) < 2 else (plural or f"{singular}s")
    return f"{count} {word}"


FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(value) -> str:
    """« 1er décembre 2026 », « 14 décembre 2017 »: a date as French prose writes it."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {FRENCH_MONTHS[value.month - 1]} {value.year}"

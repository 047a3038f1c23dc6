"""Markdown to safe HTML: every user-entered text goes through here before it is shown."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

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


class RenderCache:
    """A bounded, thread-safe LRU of rendered text, keyed by the text itself (content-addressed).

    A key holds everything the result depends on (the text, and e.g. the lexicon's version), so
    an entry is never stale: an edited text or lexicon is a new key, and the old entry ages out.
    The cache lives in the process (one per gunicorn worker): a hit costs a dict lookup, where
    Django's cache (Redis in production) would cost a network round trip per fragment.
    Bounded by the characters held (keys and values), not by the number of entries.
    """

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self._entries: OrderedDict[Hashable, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @staticmethod
    def _size(key: Hashable, value: str) -> int:
        text = key if isinstance(key, str) else "".join(k for k in key if isinstance(k, str))
        return len(text) + len(value)

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        """The cached rendering of `key`, or `render()` stored under it."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return value
            self.misses += 1
        value = render()
        size = self._size(key, value)
        if size > self.max_chars:
            return value
        with self._lock:
            if key not in self._entries:
                self._entries[key] = value
                self._chars += size
                while self._chars > self.max_chars:
                    old_key, old_value = self._entries.popitem(last=False)
                    self._chars -= self._size(old_key, old_value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


# Markdown → sanitised HTML of every text shown (issue 19: the charter page rendered the same
# texts on every request). About 8 M characters: the 10,000 commitments of the bench's `large`.
markdown_cache = RenderCache(max_chars=8_000_000)


def _render_markdown(text: str) -> str:
    return sanitize_html(_converter().reset().convert(text))


def markdown_to_html(text: str) -> str:
    """Render Markdown (lists, tables) to sanitised HTML (rendered once per text and process)."""
    if not text:
        return ""
    return markdown_cache.get_or_render(text, lambda: _render_markdown(text))


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

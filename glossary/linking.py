"""The acronym linker: mark up lexicon terms in sanitised HTML (pure Python, no Django models).

`link_terms(html, lexicon)` wraps the first occurrence of each lexicon term of a *section* in
``<a href="/lexique/#<anchor>" rel="noopener noreferrer">``
``<abbr title="<definition>">TERM</abbr></a>``.

* A section is one call: one rendered text field (``{{ value|markdown|abbreviations:lexicon }}``).
  Each field of a page therefore links its own first occurrence of « CAF ».
* Never inside ``<a>``, ``<abbr>``, headings (h1–h6), ``<code>``, ``<pre>`` (nor script/style).
* Whole words only; upper-case acronyms (« CAF », « ADIL 75 ») match case-sensitively, other
  terms (« Exploc ») case-insensitively; the longest term wins (« ADIL 75 » before « ADIL »);
  « ADIL75 » and « ADIL 75 » match each other (an optional space between letters and digits).
  « l'ADIL » and « l’ADIL » match « ADIL »: an apostrophe is a word boundary, and an apostrophe
  inside a term matches both the straight and the typographic one.
* The HTML is read with :mod:`html.parser`; only text nodes are changed, tags are copied as they
  are. Text is re-serialised the way the nh3 sanitiser (html5ever) writes it, so running
  ``core.text.sanitize_html`` again over the output returns it unchanged. ``rel`` is the value the
  sanitiser puts on every link.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from itertools import pairwise

from core.text import RenderCache, markdown_to_html

# Elements whose text is never linked.
SKIP_TAGS = frozenset(
    {"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "textarea"}
)
# Elements whose content html.parser hands over raw (no character references decoded).
RAW_TEXT_TAGS = frozenset({"script", "style"})
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
LINK_REL = "noopener noreferrer"  # what core.text.sanitize_html adds to every <a>
DEFAULT_LEXICON_URL = "/lexique/"


def is_acronym_term(term: str) -> bool:
    """True for upper-case sigles (same rule as LexiconEntry.is_acronym)."""
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _slug(term: str) -> str:
    ascii_term = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_term.lower()).strip("-")


# Ids used elsewhere on the lexicon page (the site frame, the letter groups "lettre-a").
RESERVED_ANCHORS = frozenset({"contenu", "navigation", "recherche-entete", "pied-de-page"})


def make_anchors(terms: Iterable[str]) -> list[str]:
    """A unique, stable anchor (slug of the term) for each term, in the given order."""
    anchors: list[str] = []
    seen: set[str] = set()
    for term in terms:
        base = _slug(term) or "terme"
        if base in RESERVED_ANCHORS or base.startswith("lettre-"):
            base = f"terme-{base}"
        anchor, n = base, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        anchors.append(anchor)
    return anchors


@dataclass(frozen=True)
class LexiconTerm:
    term: str
    definition: str
    anchor: str
    is_acronym: bool


@dataclass(frozen=True)
class Lexicon:
    """The terms of one charter's lexicon, ordered as on the lexicon page."""

    entries: tuple[LexiconTerm, ...] = ()
    url: str = DEFAULT_LEXICON_URL
    charter_id: int | None = None

    @classmethod
    def from_terms(
        cls,
        items: Iterable[tuple[str, str]],
        *,
        url: str = DEFAULT_LEXICON_URL,
        charter_id: int | None = None,
    ) -> Lexicon:
        """Build a lexicon from (term, definition) pairs, computing anchors and acronym flags."""
        items = [(t, d) for t, d in items if t and t.strip()]
        anchors = make_anchors(t for t, _d in items)
        entries = tuple(
            LexiconTerm(term=t, definition=d, anchor=a, is_acronym=is_acronym_term(t))
            for (t, d), a in zip(items, anchors, strict=True)
        )
        return cls(entries=entries, url=url, charter_id=charter_id)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def href(self, entry: LexiconTerm) -> str:
        return f"{self.url}#{entry.anchor}"

    @cached_property
    def version(self) -> str:
        """A digest of everything the linked HTML depends on: any lexicon edit changes it."""
        parts = [self.url, *(f"{e.term}\x1f{e.definition}\x1f{e.anchor}" for e in self.entries)]
        return hashlib.blake2b("\x1e".join(parts).encode(), digest_size=16).hexdigest()

    @cached_property
    def pattern(self) -> re.Pattern | None:
        """One regex over text (never over HTML): the terms, longest first, as named groups."""
        if not self.entries:
            return None
        order = sorted(range(len(self.entries)), key=lambda i: -len(self.entries[i].term))
        alternatives = []
        for i in order:
            entry = self.entries[i]
            body = _term_regex(entry.term)
            if not entry.is_acronym:
                body = f"(?i:{body})"
            alternatives.append(f"(?P<t{i}>{body})")
        return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

    def link(self, html: str) -> str:
        return link_terms(html, self)


def _word_regex(word: str) -> str:
    out = []
    for i, c in enumerate(word):
        if i and _letter_digit_step(word[i - 1], c):
            out.append(r"\s?")  # « ADIL75 » also matches « ADIL 75 »
        out.append("['’]" if c in "'’" else re.escape(c))
    return "".join(out)


def _letter_digit_step(a: str, b: str) -> bool:
    return (a.isalpha() and b.isdigit()) or (a.isdigit() and b.isalpha())


def _term_regex(term: str) -> str:
    words = term.split()
    regex = _word_regex(words[0])
    for previous, word in pairwise(words):
        # « ADIL 75 » also matches « ADIL75 »; other spaces match any run of white space.
        sep = r"\s*" if _letter_digit_step(previous[-1], word[0]) else r"\s+"
        regex += sep + _word_regex(word)
    return regex


def escape_text(text: str) -> str:
    """Escape a text node as html5ever (nh3) serialises it."""
    return (
        text.replace("&", "&amp;")
        .replace("\u00a0", "&nbsp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def escape_attribute(value: str) -> str:
    """Escape an attribute value as html5ever (nh3) serialises it."""
    return (
        value.replace("&", "&amp;")
        .replace("\u00a0", "&nbsp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


class _Linker(HTMLParser):
    def __init__(self, lexicon: Lexicon):
        super().__init__(convert_charrefs=True)
        self.lexicon = lexicon
        self.out: list[str] = []
        self.text: list[str] = []
        self.open_skips: list[str] = []  # the skip elements we are inside, innermost last
        self.linked: set[int] = set()

    # Text is buffered so that one text node is matched as a whole.
    def handle_data(self, data):
        self.text.append(data)

    def flush(self):
        if not self.text:
            return
        text = "".join(self.text)
        self.text = []
        if self.open_skips and self.open_skips[-1] in RAW_TEXT_TAGS:
            self.out.append(text)  # raw text, handed over undecoded
        elif self.open_skips or len(self.linked) == len(self.lexicon.entries):
            self.out.append(escape_text(text))
        else:
            self.out.append(self._link_text(text))

    def _link_text(self, text: str) -> str:
        pieces, last = [], 0
        for match in self.lexicon.pattern.finditer(text):
            index = int(match.lastgroup[1:])
            if index in self.linked:
                continue
            self.linked.add(index)
            entry = self.lexicon.entries[index]
            pieces.append(escape_text(text[last : match.start()]))
            pieces.append(
                f'<a href="{escape_attribute(self.lexicon.href(entry))}" rel="{LINK_REL}">'
                f'<abbr title="{escape_attribute(entry.definition)}">'
                f"{escape_text(match.group())}</abbr></a>"
            )
            last = match.end()
        pieces.append(escape_text(text[last:]))
        return "".join(pieces)

    def handle_starttag(self, tag, attrs):
        self.flush()
        self.out.append(self.get_starttag_text())
        if tag in SKIP_TAGS:
            self.open_skips.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.flush()
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.flush()
        self.out.append(f"</{tag}>")
        if tag in self.open_skips:
            # Close the innermost open element of that name (and anything left open inside it).
            while self.open_skips and self.open_skips.pop() != tag:
                pass

    def handle_comment(self, data):
        self.flush()
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.flush()
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.flush()
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.flush()
        self.out.append(f"<![{data}]>")

    def result(self) -> str:
        self.close()
        self.flush()
        return "".join(self.out)


# Linked HTML by (lexicon version, HTML): a lexicon edit changes the key, never a stale link.
linked_cache = RenderCache(max_chars=8_000_000)


def _link(html: str, lexicon: Lexicon) -> str:
    linker = _Linker(lexicon)
    linker.feed(html)
    return linker.result()


def link_terms(html: str, lexicon: Lexicon | None) -> str:
    """Link the first occurrence of each lexicon term in this HTML section (see module doc)."""
    if not html or not lexicon:
        return html
    return linked_cache.get_or_render((lexicon.version, str(html)), lambda: _link(html, lexicon))


def linked_markdown(text: str | None, lexicon: Lexicon | None) -> str:
    """`{{ text|markdown|abbreviations:lexicon }}` in Python: the field's HTML, terms linked."""
    return link_terms(markdown_to_html(text or ""), lexicon)

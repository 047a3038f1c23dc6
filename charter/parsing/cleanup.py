"""General OCR/PDF-extraction repair rules for French administrative text.

Each rule is a small pure function ``str -> str`` that must be safe on any French
document (none is tuned to a particular file). ``repair_text`` applies them in the
order below; parsers that need the line structure intact apply
``repair_characters`` first and the layout rules later, on one section at a time.

Character rules (``CHARACTER_RULES``), in order:

1. ``normalize_whitespace``: CRLF, non-breaking spaces, trailing blanks.
2. ``normalize_apostrophes``: typographic apostrophes become ``'``.
3. ``strip_html``: tags removed, their text kept (block tags become line breaks).
4. ``strip_emphasis``: ``**bold**`` / ``*italic*`` markers removed; a span
   wrapped over several lines becomes one line.
5. ``fix_decoration_glyphs``: ``¢ … +`` (OCR'd diamonds) around a tagline become ``♦ … ♦``.
6. ``fix_capital_i_elision``: ``I'`` before a lowercase letter becomes ``l'``.
7. ``fix_ligature_losses``: ``ceuvre`` → ``œuvre``, ``cceur`` → ``cœur``…
8. ``fix_cedilla_losses``: ``recu(s)`` → ``reçu(s)``, ``facon`` → ``façon``…
9. ``fix_grave_accent_losses``: ``matiére`` → ``matière``, ``relévent`` → ``relèvent``,
   ``aprés`` → ``après``…
10. ``fix_preposition_a``: a lone ``a`` that can only be the preposition becomes ``à``.
11. ``drop_stray_bullet_glyphs``: ``- ▶ text`` / ``- . text`` become ``- text``.
12. ``collapse_spaces``: runs of spaces inside a line become one space.

Layout rules (``LAYOUT_RULES``), in order:

13. ``join_hyphenated_words``: ``inter- réservataires`` → ``interréservataires``.
14. ``join_continuation_lines``: a line starting with a lowercase letter continues
    the previous non-blank line, even across blank lines.
15. ``join_wrapped_lines``: hard-wrapped lines of one paragraph become one line.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable

LOWER = "a-zàâäçéèêëîïôöùûüÿœæ"
LETTER = r"[^\W\d_]"

_BLOCK_TAGS = "p|div|ul|ol|br|table|tr|td|th|h[1-6]|blockquote"
_LIST_MARKER = re.compile(r"^\s*(?:[-*•▶►]\s|\d+[.)]\s)")
_YEAR_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*$")


def normalize_whitespace(text: str) -> str:
    """Unify line endings, turn exotic spaces into spaces and strip line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u202f\u2007\u2009\u200a]", " ", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


def normalize_apostrophes(text: str) -> str:
    """Replace typographic apostrophes with the ASCII apostrophe."""
    return re.sub("[\u2019\u02bc\u2018]", "'", text)


def strip_html(text: str) -> str:
    """Remove HTML tags but keep their text; block-level tags become line breaks."""
    text = re.sub(r"<(https?://[^\s<>]+)>", r"\1", text)
    text = re.sub(r"<li\b[^<>]*>", "\n- ", text, flags=re.IGNORECASE)
    text = re.sub(rf"</?(?:{_BLOCK_TAGS}|li)\b[^<>]*>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>", "", text)
    return html.unescape(text)


def _unwrap(match: re.Match[str]) -> str:
    """Return the emphasised text of a match on a single line."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", match.group(1))


def strip_emphasis(text: str) -> str:
    """Remove Markdown ``**bold**`` and ``*italic*`` markers, unwrapping multi-line spans."""
    no_blank = r"(?:(?!\n[ \t]*\n)[^*])"
    text = re.sub(rf"\*\*(?=[^\s*])({no_blank}+?)(?<=[^\s*])\*\*", _unwrap, text)
    return re.sub(rf"(?<![\w*])\*(?=[^\s*])({no_blank}+?)(?<=[^\s*])\*(?![\w*])", _unwrap, text)


def fix_decoration_glyphs(text: str) -> str:
    """Normalize a tagline framed by diamond-like glyphs (``¢ … +``) to ``♦ … ♦``."""
    pattern = re.compile(
        r"(?m)^[ \t]*[¢♦◆❖][ \t]*(\S(?:(?!\n[ \t]*\n)[^¢♦◆❖+])*?)[ \t]*[+¢♦◆❖][ \t]*$"
    )
    return pattern.sub(lambda m: "♦ " + " ".join(m.group(1).split()) + " ♦", text)


def fix_capital_i_elision(text: str) -> str:
    """Turn ``I'`` into ``l'`` before a lowercase letter (French has no word ``I'``)."""
    return re.sub(rf"(?<!{LETTER})I'(?=[{LOWER}])", "l'", text)


_LIGATURES = {"ceuvr": "œuvr", "Ceuvr": "Œuvr", "cceur": "cœur", "sceur": "sœur", "vceu": "vœu"}


def fix_ligature_losses(text: str) -> str:
    """Restore ``œ`` read as ``ce`` by OCR (``mise en ceuvre`` → ``mise en œuvre``)."""
    pattern = re.compile("|".join(_LIGATURES))
    return pattern.sub(lambda m: _LIGATURES[m.group(0)], text)


def fix_cedilla_losses(text: str) -> str:
    """Restore a lost cedilla in common words (``recus`` → ``reçus``, ``facon`` → ``façon``)."""
    text = re.sub(r"\b([Rr]e|[Aa]per|[Cc]on|[Pp]er)cu(e?s?)\b", r"\1çu\2", text)
    text = re.sub(r"\b([Rr]e|[Aa]per|[Cc]on|[Pp]er)co(i[st]|ivent|ive|ivez)\b", r"\1ço\2", text)
    return re.sub(r"\b([Ff]a|[Ll]e|[Gg]ar)con(s?)\b", r"\1çon\2", text)


# Verb stems whose third-person plural takes a grave accent: "relévent" -> "relèvent".
# Adjectives such as "différent" or "cohérent" are deliberately absent.
_GRAVE_VERB_STEMS_TEXT = (
    "relév enlév soulév prélév achév lév élév gér considér espér préfér suggér tolér "
    "accélér récupér opér coopér réitér modér génér exagér digér"
)
_GRAVE_VERB_STEMS = frozenset(_GRAVE_VERB_STEMS_TEXT.split())
_GRAVE_WORDS = {
    "aprés": "après",
    "auprés": "auprès",
    "trés": "très",
    "accés": "accès",
    "succés": "succès",
    "procés": "procès",
    "progrés": "progrès",
    "excés": "excès",
    "décés": "décès",
}


def _grave_verb(match: re.Match[str]) -> str:
    """Put a grave accent on a listed verb stem followed by ``ent``."""
    stem = match.group(1) + "é" + match.group(2)
    if stem.lower() in _GRAVE_VERB_STEMS:
        return match.group(1) + "è" + match.group(2) + "ent"
    return match.group(0)


def fix_grave_accent_losses(text: str) -> str:
    """Replace ``é`` by ``è`` where French spelling requires it (``matiére``, ``relévent``)."""
    consonant = "(?:[bcdfglmnprstvz]|tr|vr|br|gl|bl|cl|pl|gn|ch)"
    text = re.sub(rf"é({consonant})(es?)\b", r"è\1\2", text)
    text = re.sub(r"érement\b", "èrement", text)
    text = re.sub(rf"\b({LETTER}*?)é([vr])ent\b", _grave_verb, text)
    pattern = re.compile(r"\b(" + "|".join(_GRAVE_WORDS) + r")\b", re.IGNORECASE)
    return pattern.sub(lambda m: _match_case(m.group(0), _GRAVE_WORDS[m.group(0).lower()]), text)


def _match_case(original: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation of ``original``."""
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


_A_NEXT_WORDS = frozenset({"la", "tous", "toutes", "partir", "travers"})
_A_PREVIOUS_WORDS = frozenset({"relatif", "relative", "relatifs", "relatives", "quant"})
_SUBJECT_WORDS_TEXT = "il elle on qui ce cela ça chacun chacune tout personne nul y celui celle"
_SUBJECT_WORDS = frozenset(_SUBJECT_WORDS_TEXT.split())


def _is_preposition_a(before: str, after: str) -> bool:
    """Decide from the neighbouring words whether a lone ``a`` means ``à``."""
    previous = re.search(r"(\S+)\s*$", before)
    following = re.match(r"\s*(\S+)", after)
    raw_previous = previous.group(1).strip(",;:()") if previous else ""
    previous_word = raw_previous.split("'")[-1].lower()
    next_word = following.group(1).lower().rstrip(",;:.!?)") if following else ""
    if previous_word in _SUBJECT_WORDS or (len(raw_previous) > 1 and raw_previous.isupper()):
        return False
    if previous_word in _A_PREVIOUS_WORDS:
        return True
    return next_word in _A_NEXT_WORDS or next_word.startswith("l'")


def fix_preposition_a(text: str) -> str:
    """Turn a lone ``a`` into ``à`` when only the preposition fits (``relatif a la``)."""

    def replace(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 80) : match.start()]
        after = text[match.end() : match.end() + 80]
        return "à" if _is_preposition_a(before, after) else match.group(0)

    return re.sub(rf"(?<![\w'-])a(?=[ \t\n]+{LETTER})", replace, text)


def drop_stray_bullet_glyphs(text: str) -> str:
    """Drop a second bullet glyph after a list marker (``- ▶ text`` → ``- text``)."""
    return re.sub(r"(?m)^([ \t]*[-*•][ \t]+)[.·•▪▶►][ \t]+", r"\1", text)


def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces inside lines, keeping the leading indentation."""
    lines = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip(" "))]
        body = re.sub(r" {2,}", " ", line[len(indent) :]).rstrip()
        lines.append(indent + body if body else "")
    return "\n".join(lines)


def join_hyphenated_words(text: str) -> str:
    """Rejoin a word split by a line-break hyphen (``inter- réservataires``)."""
    return re.sub(rf"(?<={LETTER})-(?:[ \t]+|[ \t]*\n[ \t]*)(?=[{LOWER}])", "", text)


def _starts_lowercase(line: str) -> bool:
    """Tell whether a line's first character is a lowercase letter."""
    stripped = line.lstrip()
    return bool(stripped) and stripped[0].isalpha() and stripped[0].islower()


def join_continuation_lines(text: str) -> str:
    """Append a line starting with a lowercase letter to the previous non-blank line."""
    result: list[str] = []
    for line in text.split("\n"):
        if _starts_lowercase(line):
            while result and not result[-1].strip():
                result.pop()
            if result and not result[-1].lstrip().startswith("#"):
                result[-1] = result[-1].rstrip() + " " + line.strip()
                continue
        result.append(line)
    return "\n".join(result)


def _is_paragraph_break(previous: str, line: str) -> bool:
    """Tell whether ``line`` must not be joined to the non-blank ``previous`` line."""
    if not previous.strip() or not line.strip() or "\t" in previous or "\t" in line:
        return True
    if previous.lstrip().startswith("#") or line.lstrip().startswith("#"):
        return True
    return bool(_LIST_MARKER.match(line) or _YEAR_LINE.match(line) or _YEAR_LINE.match(previous))


def join_wrapped_lines(text: str) -> str:
    """Join the hard-wrapped lines of each paragraph or list item into one line."""
    result: list[str] = []
    for line in text.split("\n"):
        if result and not _is_paragraph_break(result[-1], line):
            result[-1] = result[-1].rstrip() + " " + line.strip()
        else:
            result.append(line)
    return "\n".join(result)


Rule = Callable[[str], str]

CHARACTER_RULES: tuple[Rule, ...] = (
    normalize_whitespace,
    normalize_apostrophes,
    strip_html,
    strip_emphasis,
    fix_decoration_glyphs,
    fix_capital_i_elision,
    fix_ligature_losses,
    fix_cedilla_losses,
    fix_grave_accent_losses,
    fix_preposition_a,
    drop_stray_bullet_glyphs,
    collapse_spaces,
)
LAYOUT_RULES: tuple[Rule, ...] = (
    join_hyphenated_words,
    join_continuation_lines,
    join_wrapped_lines,
)


def apply_rules(text: str, rules: Iterable[Rule]) -> str:
    """Apply the given rules in order."""
    for rule in rules:
        text = rule(text)
    return text


def repair_characters(text: str) -> str:
    """Apply the character rules only, keeping the line structure."""
    return apply_rules(text, CHARACTER_RULES)


def repair_text(text: str) -> str:
    """Apply every repair rule in the documented order."""
    return apply_rules(text, CHARACTER_RULES + LAYOUT_RULES).strip("\n")


def sentence_case(text: str, keep_upper: set[str] | frozenset[str]) -> str:
    """Convert ALL-CAPS words to lowercase except ``keep_upper`` acronyms; capitalise the start."""

    def lower(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if word in keep_upper or not word.isupper() else word.lower()

    converted = re.sub(rf"{LETTER}+", lower, text)
    for index, char in enumerate(converted):
        if char.isalpha():
            return converted[:index] + char.upper() + converted[index + 1 :]
    return converted


def fold(text: str) -> str:
    """Return an accent-, case- and spacing-insensitive comparison key."""
    decomposed = unicodedata.normalize("NFKD", normalize_apostrophes(text))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())

"""Named reads of the lexicon."""

import string
import unicodedata

from django.apps import apps
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse

from .linking import DEFAULT_LEXICON_URL, Lexicon
from .models import LexiconEntry


def lexicon_url() -> str:
    """The public lexicon page's URL ("/lexique/")."""
    try:
        return reverse("glossary:lexicon")
    except NoReverseMatch:
        return DEFAULT_LEXICON_URL


def public_charter(*, slug: str):
    """The public charter (the charter app's `public()`) with this slug, or None."""
    charter_model = apps.get_model("charter", "CharterPage")  # string reference
    return charter_model.objects.public().filter(slug=slug).first()


def lexicon_entries(*, charter_id: int):
    """The lexicon entries of a charter in the lexicon page's order (alphabetical, any case)."""
    return LexiconEntry.objects.filter(charter_id=charter_id).order_by(Lower("term"), "pk")


def lexicon_for_charter(*, charter_id: int | None = None, charter=None) -> Lexicon:
    """The charter's lexicon for the acronym linker (one query; empty when there is none)."""
    if charter_id is None and charter is not None:
        charter_id = charter.pk
    if charter_id is None:
        return Lexicon()
    rows = lexicon_entries(charter_id=charter_id).values_list("term", "definition")
    return Lexicon.from_terms(rows, url=lexicon_url(), charter_id=charter_id)


def _letter(term: str) -> str:
    first = unicodedata.normalize("NFKD", term.strip()[:1]).encode("ascii", "ignore").decode()
    return first.upper() if first.isalpha() else "#"


def lexicon_groups(*, lexicon: Lexicon) -> tuple[list[dict], list[dict]]:
    """The A–Z index (anchor "" for a letter without entry) and the entries grouped by letter."""
    groups: dict[str, list] = {}
    for entry in lexicon:
        groups.setdefault(_letter(entry.term), []).append(entry)
    letters = list(string.ascii_uppercase) + (["#"] if "#" in groups else [])
    index, grouped = [], []
    for letter in letters:
        label = letter if letter != "#" else "Autres"
        anchor = f"lettre-{label.lower()}" if letter in groups else ""
        index.append({"letter": label, "anchor": anchor})
        if letter in groups:
            grouped.append({"letter": label, "anchor": anchor, "entries": groups[letter]})
    return index, grouped

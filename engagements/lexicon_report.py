"""Acronyms used in the public texts of a charter but missing from its lexicon (admin report).

Scans the live charter pages (charter, orientations, actions: their text fields), the public
commitments and the declarations of each published charter edition for upper-case tokens of two
letters or more (« CCAPEX », « DALO », « FSL ») and keeps those that the charter's lexicon does
not define; an edition without a lexicon of its own (the plan) is read with the lexicon of the
charter in force, as on the public pages. A fixed number of queries, whatever the size of the
charter.

Not acronyms (``NOT_ACRONYMS``): Roman numerals (« II », « XIV ») and a few words commonly written
in capitals. A token counts as defined when it is a lexicon term, or a word of one (« ADIL » for
« ADIL 75 »), whatever its case (« EXPLOC » for « Exploc »).
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q

from charter.choices import FICHE_FIELDS
from charter.models import ActionPage, CharterPage, Declaration, OrientationPage
from charter.selectors import current_charter
from glossary.models import LexiconEntry

from .selectors import public_charters, public_commitments

WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?")
TOKEN = re.compile(r"(?<!\w)[^\W\d_]{2,}(?!\w)")  # a word of 2+ letters (kept if upper-case)
ROMAN_NUMERAL = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# Words in capitals that are not acronyms (abbreviations of Latin or of French usage, and the
# capitalised headings of the seed documents).
NOT_ACRONYMS = frozenset(
    {"NB", "PS", "OK", "ET", "OU", "LE", "LA", "LES", "DE", "DES", "DU", "EN", "AU", "AUX",
     "UN", "UNE", "ANNEXE", "ANNEXES", "ARTICLE", "TITRE", "CHAPITRE", "ORIENTATION", "ACTION",
     "FICHE", "TTC", "HT"}
)  # fmt: skip

CHARTER_FIELDS = (
    ("title", "titre"),
    ("introduction", "préambule"),
    ("quantitative_objectives", "objectifs quantitatifs"),
    ("qualitative_objectives", "objectifs qualitatifs"),
    ("governance", "modalités de suivi"),
)
ORIENTATION_FIELDS = (("title", "titre"), ("introduction", "introduction"), ("stakes", "enjeux"))
ACTION_FIELDS = (("title", "titre"), ("tagline", "accroche"), *FICHE_FIELDS)


@dataclass
class Place:
    label: str
    obj: object  # a page or a commitment (for its admin URL)
    count: int = 0
    url: str = ""  # filled by the admin view


@dataclass
class UndefinedAcronym:
    charter: CharterPage
    acronym: str
    count: int = 0
    places: list[Place] = field(default_factory=list)

    @property
    def places_text(self) -> str:
        return " ; ".join(f"{p.label} ({p.count})" for p in self.places)


def is_acronym_token(token: str) -> bool:
    """An upper-case token of 2+ letters that is neither a Roman numeral nor a stop word."""
    return (
        len(token) >= 2
        and token.isupper()
        and token not in NOT_ACRONYMS
        and not ROMAN_NUMERAL.match(token)
    )


def acronym_tokens(text: str) -> list[str]:
    """The acronym-like tokens of a text, in order, with repetitions."""
    return [t for t in TOKEN.findall(text or "") if is_acronym_token(t)]


def _defined_words(terms) -> set[str]:
    words = set()
    for term in terms:
        words.add(term.upper())
        words.update(w.upper() for w in WORD.findall(term))
    return words


def _texts(obj, fields) -> list[tuple[str, str]]:
    return [(label, getattr(obj, name, "") or "") for name, label in fields]


def undefined_acronyms() -> list[UndefinedAcronym]:
    """Per published charter, the acronyms of its public texts missing from its lexicon."""
    charters = list(public_charters().order_by("path"))
    if not charters:
        return []
    charter_paths = [(c.path, c) for c in charters]

    def charter_of(path: str):
        for prefix, charter in charter_paths:
            if path.startswith(prefix):
                return charter
        return None

    sources: list[tuple[CharterPage, str, object, list[tuple[str, str]]]] = []
    for charter in charters:
        sources.append((charter, charter.title, charter, _texts(charter, CHARTER_FIELDS)))
    under = _under([c.path for c in charters])
    orientations = OrientationPage.objects.public().filter(under)
    for page in orientations.order_by("path"):
        sources.append((charter_of(page.path), str(page), page, _texts(page, ORIENTATION_FIELDS)))
    actions = ActionPage.objects.public().filter(under)
    for page in actions.order_by("path"):
        sources.append((charter_of(page.path), str(page), page, _texts(page, ACTION_FIELDS)))
    commitments = public_commitments().select_related("action", "partner").order_by("pk")
    for commitment in commitments:
        label = f"Engagement {commitment.partner} — action {commitment.action.code}"
        texts = [("engagement", commitment.text), ("point d'avancement", commitment.narrative)]
        sources.append((charter_of(commitment.action.path), label, commitment, texts))
    declarations = Declaration.objects.filter(charter__in=charters).select_related("partner")
    by_pk = {c.pk: c for c in charters}
    for declaration in declarations.order_by("charter_id", "sort_order", "pk"):
        charter = by_pk[declaration.charter_id]
        label = f"Déclaration de {declaration.partner} ({charter.title})"
        texts = [("titre", declaration.title), ("texte", declaration.text)]
        sources.append((charter, label, charter, texts))

    terms: dict[int, list[str]] = {}
    for charter_id, term in LexiconEntry.objects.filter(charter__in=charters).values_list(
        "charter_id", "term"
    ):
        terms.setdefault(charter_id, []).append(term)
    # As on the public pages (charter.models.lexicon_for): an edition without a lexicon of its
    # own (the plan) is read with the lexicon of the charter in force.
    in_force = current_charter()
    fallback = terms.get(in_force.pk, []) if in_force is not None else []
    defined = {c.pk: _defined_words(terms.get(c.pk) or fallback) for c in charters}

    rows: dict[tuple[int, str], UndefinedAcronym] = {}
    for charter, label, obj, texts in sources:
        if charter is None:
            continue
        counts: dict[str, int] = {}
        for _field_label, text in texts:
            for token in acronym_tokens(text):
                if token not in defined[charter.pk]:
                    counts[token] = counts.get(token, 0) + 1
        for token, n in counts.items():
            row = rows.setdefault((charter.pk, token), UndefinedAcronym(charter, token))
            row.count += n
            row.places.append(Place(label, obj, n))
    order = {c.pk: i for i, c in enumerate(charters)}
    return sorted(rows.values(), key=lambda r: (order[r.charter.pk], -r.count, r.acronym))


def _under(paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition

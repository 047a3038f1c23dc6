"""Site search across published content: help for households, contacts, charter pages, actions,
commitments, lexicon, partners.

Help for households comes first: its stages are a handful of pages, ranked here (a title match
first) so that « commandement de payer » or « 115 » leads to the matching stage whatever the
backend; the contacts directory is searched by the backend.

Wagtail search (database backend: FTS5 on SQLite, no stemming; PostgreSQL full text with the
"french" configuration). Only published content, as `public()` defines it (charter.models
`public_page_q`: live, every ancestor live, no view restriction): public pages, commitments of
public actions, lexicon entries of public charters, partners of public charters. Each kind shows
one page of ``limit`` results with its total count (``?type=<kind>&page=N`` pages through one
kind), so the number of SQL queries does not depend on the number of hits. Each hit names its
source document (the charter or plan it belongs to).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from assistance.models import Contact, HelpStagePage
from assistance.selectors import help_index
from charter.models import ActionPage, CharterPage, Partner, public_page_q
from charter.selectors import current_charter
from core import params
from engagements.models import Commitment
from engagements.selectors import public_charters, public_commitments, public_partners
from glossary.models import LexiconEntry
from glossary.selectors import lexicon_for_charter, lexicon_url

RESULTS_PER_KIND = 20
MAX_QUERY_LENGTH = 200
MAX_PARTNERS = 500  # far more than the partners of a charter


@dataclass
class Hit:
    title: str
    url: str
    summary: str = ""
    badge: str = ""  # a CSS modifier of .badge (commitment status)
    badge_label: str = ""
    source: str = ""  # the document the hit comes from (a charter, the plan, the help pages)


@dataclass
class ResultGroup:
    key: str
    label: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    offset: int = 0

    @property
    def capped(self) -> bool:
        return self.total > len(self.hits)

    @property
    def first_number(self) -> int:
        return self.offset + 1

    @property
    def last_number(self) -> int:
        return self.offset + len(self.hits)


HELP_SOURCE = "Aide aux ménages"
CONTACTS_SOURCE = "Annuaire des contacts"
# Kinds, in the order of the results page (the ``type`` parameter of one kind's pages).
KINDS = ("help", "contacts", "pages", "actions", "commitments", "lexicon", "partners")


def _backend():
    return get_search_backend()


def _public_pages(index):
    # The search backends filter on FilterFields only ("id" is one): the rule as a subquery.
    # The help pages have their own group (_help_hits).
    public = Page.objects.filter(public_page_q())
    if index is not None:
        public = public.exclude(path__startswith=index.path)
    return Page.objects.filter(pk__in=public.values("pk"))


def _sources() -> dict[str, str]:
    """The path of each charter page and its title: the source document of what lies below."""
    return dict(CharterPage.objects.values_list("path", "title"))


def _source_of(path: str, sources: dict[str, str]) -> str:
    return next((title for prefix, title in sources.items() if path.startswith(prefix)), "")


def _page_hits(
    query: str, offset: int, limit: int, sources, index
) -> tuple[ResultGroup, ResultGroup]:
    public_actions = ActionPage.objects.public().values("pk")
    action_results = ActionPage.objects.filter(pk__in=public_actions).search(query)
    actions = ResultGroup("actions", "Fiches action", action_results.count(), offset=offset)
    for page in action_results[offset : offset + limit] if actions.total > offset else []:
        actions.hits.append(
            Hit(
                f"Action {page.code} : {page.title}",
                page.url,
                source=_source_of(page.path, sources),
            )
        )
    page_results = _public_pages(index).not_type(ActionPage).search(query)
    pages = ResultGroup(
        "pages", "Charte, orientations et pages", page_results.count(), offset=offset
    )
    found = list(page_results[offset : offset + limit]) if pages.total > offset else []
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in found]).specific()}
    for page in found:
        page = specific.get(page.pk, page)
        pages.hits.append(Hit(str(page), page.url, source=_source_of(page.path, sources)))
    return pages, actions


STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "c",
        "ce",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "je",
        "j",
        "l",
        "la",
        "le",
        "les",
        "m",
        "ma",
        "mes",
        "mon",
        "n",
        "ne",
        "on",
        "ou",
        "par",
        "pour",
        "que",
        "qu",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
        "vos",
        "votre",
        "y",
    ]
)


def _words(text: str) -> list[str]:
    """The lower-case, unaccented words of a text, without a plural's final « s » or « x »."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return [
        word[:-1] if len(word) > 3 and word[-1] in "sx" else word
        for word in re.findall(r"\w+", text)
    ]


def _matches(word: str, words: set[str]) -> bool:
    return word in words or (len(word) >= 4 and any(w.startswith(word) for w in words))


def _help_hits(query: str, offset: int, limit: int, index) -> ResultGroup:
    """The published help pages that hold the query's words, a title match first."""
    group = ResultGroup("help", "Aide aux ménages : étapes de la procédure", 0, offset=offset)
    if index is None:
        return group
    wanted = [w for w in _words(query) if w not in STOP_WORDS] or _words(query)
    candidates = [index, *index.owner_pages]
    candidates += HelpStagePage.objects.child_of(index).filter(public_page_q()).order_by("path")
    ranked = []
    for position, page in enumerate(candidates):
        title = set(_words(page.title))
        body = set(
            _words(
                " ".join(
                    getattr(page, name, "")
                    for name in (
                        "introduction",
                        "general_contacts",
                        "description",
                        "what_to_do",
                        "who_helps",
                        "body",
                    )
                )
            )
        )
        in_title = sum(_matches(word, title) for word in wanted)
        found = sum(_matches(word, title | body) for word in wanted)
        if found:
            ranked.append(((-found, -in_title, position), page))
    ranked.sort(key=lambda item: item[0])
    group.total = len(ranked)
    for _rank, page in ranked[offset : offset + limit]:
        summary = getattr(page, "description", "") or getattr(page, "introduction", "")
        group.hits.append(Hit(page.title, page.url, summary=_excerpt(summary), source=HELP_SOURCE))
    return group


def _contact_hits(query: str, offset: int, limit: int, index) -> ResultGroup:
    results = _backend().search(query, Contact.objects.all())
    group = ResultGroup("contacts", "Annuaire des contacts", results.count(), offset=offset)
    for contact in results[offset : offset + limit] if group.total > offset else []:
        phone = f"{contact.phone} — " if contact.phone else ""
        group.hits.append(
            Hit(
                contact.name,
                f"{index.url}#contact-{contact.pk}" if index else "",
                summary=_excerpt(phone + contact.what_they_do),
                source=CONTACTS_SOURCE,
            )
        )
    return group


def _commitment_hits(query: str, offset: int, limit: int, sources) -> ResultGroup:
    # Commitments of live, unrestricted actions under live orientation and charter pages.
    # (The condition is on the action only: filter on "action", a FilterField of Commitment.)
    public_actions = public_commitments().values("action_id")
    results = _backend().search(
        query,
        Commitment.objects.filter(action__in=public_actions).select_related("action", "partner"),
    )
    group = ResultGroup(
        "commitments", "Engagements des partenaires", results.count(), offset=offset
    )
    for commitment in results[offset : offset + limit] if group.total > offset else []:
        action = commitment.action
        group.hits.append(
            Hit(
                title=f"{commitment.partner.name} — action {action.code} : {action.title}",
                url=f"{action.url}#engagement-{commitment.pk}",
                summary=_excerpt(commitment.text),
                badge=commitment.status,
                badge_label=commitment.get_status_display(),
                source=_source_of(action.path, sources),
            )
        )
    return group


def _lexicon_hits(query: str, offset: int, limit: int, sources) -> ResultGroup:
    live_charters = public_charters().values("pk")
    results = _backend().search(query, LexiconEntry.objects.filter(charter__in=live_charters))
    group = ResultGroup("lexicon", "Lexique et sigles", results.count(), offset=offset)
    entries = list(results[offset : offset + limit]) if group.total > offset else []
    if not entries:
        return group
    base_url = lexicon_url()
    # Anchors are unique per charter lexicon: read each charter's lexicon once (a few charters).
    anchors: dict[tuple[int, str], str] = {}
    charters = CharterPage.objects.filter(pk__in={e.charter_id for e in entries})
    rows = list(charters.values_list("pk", "slug", "title"))
    slugs = {pk: slug for pk, slug, _title in rows}
    titles = {pk: title for pk, _slug, title in rows}
    for charter_id in slugs:
        for item in lexicon_for_charter(charter_id=charter_id):
            anchors[(charter_id, item.term)] = item.anchor
    in_force = current_charter()
    for entry in entries:
        url = (
            base_url
            if in_force and in_force.pk == entry.charter_id
            else (f"{base_url}?charte={slugs.get(entry.charter_id, '')}")
        )
        anchor = anchors.get((entry.charter_id, entry.term), "")
        group.hits.append(
            Hit(
                entry.term,
                f"{url}#{anchor}",
                summary=_excerpt(entry.definition),
                source=titles.get(entry.charter_id, ""),
            )
        )
    return group


def _partner_hits(query: str, offset: int, limit: int) -> ResultGroup:
    # Partner has no "id" FilterField: keep the public partners (a short list) after the search.
    results = _backend().search(query, Partner.objects.all())
    public = {partner.pk for partner in public_partners()} if results.count() else set()
    found = [partner for partner in results[:MAX_PARTNERS] if partner.pk in public]
    group = ResultGroup("partners", "Partenaires", len(found), offset=offset)
    for partner in found[offset : offset + limit]:
        try:
            url = reverse("engagements_public:partner", kwargs={"slug": partner.slug})
        except NoReverseMatch:
            url = ""
        group.hits.append(Hit(partner.name, url))
    return group


def _excerpt(text: str, length: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + " …"


# What breaks a backend's query parser without being part of a word: control characters (a NUL
# byte is refused by PostgreSQL) and the double quote (a phrase delimiter of SQLite's FTS5).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def normalize_query(query: str) -> str:
    """The words of a visitor's query, without what the search backends cannot parse."""
    words = CONTROL_CHARACTERS.sub(" ", query).replace('"', "")
    return " ".join(words.split())[:MAX_QUERY_LENGTH]


def search_query(query_params) -> str:
    """The visitor's ``?q=``, normalised (BadParameter if repeated or with a NUL byte)."""
    return normalize_query(params.text(query_params, "q", max_length=1000))


def site_search(
    query: str, *, kind: str = "", page: int = 1, limit: int = RESULTS_PER_KIND
) -> list[ResultGroup]:
    """The search results grouped by kind (groups without result left out).

    With ``kind``, only that kind, its ``page``-th page of ``limit`` results.
    """
    query = normalize_query(query)
    if not query:
        return []
    offset = (max(page, 1) - 1) * limit if kind else 0
    sources = _sources()
    index = help_index()
    groups = []
    for name in (kind,) if kind else KINDS:
        if name == "help":
            groups.append(_help_hits(query, offset, limit, index))
        elif name == "contacts":
            groups.append(_contact_hits(query, offset, limit, index))
        elif name == "pages" or (name == "actions" and kind):
            pages, actions = _page_hits(query, offset, limit, sources, index)
            groups += [actions] if kind == "actions" else [pages] if kind else [pages, actions]
        elif name == "commitments":
            groups.append(_commitment_hits(query, offset, limit, sources))
        elif name == "lexicon":
            groups.append(_lexicon_hits(query, offset, limit, sources))
        elif name == "partners":
            groups.append(_partner_hits(query, offset, limit))
    return [group for group in groups if group.total]

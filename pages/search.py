"""Site search across published content: charter pages, actions, commitments, lexicon, partners.

Wagtail search (database backend: FTS5 on SQLite, no stemming; PostgreSQL full text with the
"french" configuration). Only published content, as `public()` defines it (charter.models
`public_page_q`: live, every ancestor live, no view restriction): public pages, commitments of
public actions, lexicon entries of public charters, partners of public charters. Each kind is
capped at ``limit`` results, with its total count, so the number of SQL queries does not depend on
the number of hits.
"""

import re
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

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


@dataclass
class ResultGroup:
    key: str
    label: str
    total: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.total > len(self.hits)


def _backend():
    return get_search_backend()


def _public_pages():
    # The search backends filter on FilterFields only ("id" is one): the rule as a subquery.
    return Page.objects.filter(pk__in=Page.objects.filter(public_page_q()).values("pk"))


def _page_hits(query: str, limit: int) -> tuple[ResultGroup, ResultGroup]:
    public_actions = ActionPage.objects.public().values("pk")
    action_results = ActionPage.objects.filter(pk__in=public_actions).search(query)
    actions = ResultGroup("actions", "Fiches action", action_results.count())
    for page in action_results[:limit] if actions.total else []:
        actions.hits.append(Hit(f"Action {page.code} : {page.title}", page.url))
    page_results = _public_pages().not_type(ActionPage).search(query)
    pages = ResultGroup("pages", "Charte, orientations et pages", page_results.count())
    found = list(page_results[:limit]) if pages.total else []
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in found]).specific()}
    for page in found:
        page = specific.get(page.pk, page)
        pages.hits.append(Hit(str(page), page.url))
    return pages, actions


def _commitment_hits(query: str, limit: int) -> ResultGroup:
    # Commitments of live, unrestricted actions under live orientation and charter pages.
    # (The condition is on the action only: filter on "action", a FilterField of Commitment.)
    public_actions = public_commitments().values("action_id")
    results = _backend().search(
        query,
        Commitment.objects.filter(action__in=public_actions).select_related("action", "partner"),
    )
    group = ResultGroup("commitments", "Engagements des partenaires", results.count())
    for commitment in results[:limit] if group.total else []:
        action = commitment.action
        group.hits.append(
            Hit(
                title=f"{commitment.partner.name} — action {action.code} : {action.title}",
                url=f"{action.url}#engagement-{commitment.pk}",
                summary=_excerpt(commitment.text),
                badge=commitment.status,
                badge_label=commitment.get_status_display(),
            )
        )
    return group


def _lexicon_hits(query: str, limit: int) -> ResultGroup:
    live_charters = public_charters().values("pk")
    results = _backend().search(query, LexiconEntry.objects.filter(charter__in=live_charters))
    group = ResultGroup("lexicon", "Lexique et sigles", results.count())
    entries = list(results[:limit]) if group.total else []
    if not entries:
        return group
    base_url = lexicon_url()
    # Anchors are unique per charter lexicon: read each charter's lexicon once (a few charters).
    anchors: dict[tuple[int, str], str] = {}
    slugs = dict(
        CharterPage.objects.filter(pk__in={e.charter_id for e in entries}).values_list("pk", "slug")
    )
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
        group.hits.append(Hit(entry.term, f"{url}#{anchor}", summary=_excerpt(entry.definition)))
    return group


def _partner_hits(query: str, limit: int) -> ResultGroup:
    # Partner has no "id" FilterField: keep the public partners (a short list) after the search.
    results = _backend().search(query, Partner.objects.all())
    public = {partner.pk for partner in public_partners()} if results.count() else set()
    found = [partner for partner in results[:MAX_PARTNERS] if partner.pk in public]
    group = ResultGroup("partners", "Partenaires", len(found))
    for partner in found[:limit]:
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


def site_search(query: str, *, limit: int = RESULTS_PER_KIND) -> list[ResultGroup]:
    """The search results grouped by kind (groups without result left out)."""
    query = normalize_query(query)
    if not query:
        return []
    pages, actions = _page_hits(query, limit)
    groups = [
        pages,
        actions,
        _commitment_hits(query, limit),
        _lexicon_hits(query, limit),
        _partner_hits(query, limit),
    ]
    return [group for group in groups if group.total]

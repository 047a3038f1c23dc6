"""Public views of the site that are not Wagtail pages: the search."""

from math import ceil
from urllib.parse import urlencode

from django.shortcuts import render

from core import params
from core.params import BadParameter, bad_request

from .search import KINDS, RESULTS_PER_KIND, search_query, site_search

MAX_PAGE = 10_000


def _page_links(*, query: str, kind: str, page: int, pages: int) -> list[dict]:
    """The pagination of one kind: first, last, and the pages around the current one."""
    shown = sorted({1, pages, *range(max(page - 2, 1), min(page + 2, pages) + 1)})
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append({"gap": True})
        url = "?" + urlencode({"q": query, "type": kind, "page": number})
        links.append({"number": number, "url": url, "current": number == page})
        previous = number
    return links


def search(request):
    """Search across help, contacts, the charter, actions, commitments, lexicon and partners.

    /recherche/?q= shows the first results of each kind; ?q=&type=<kind>&page=N pages through
    one kind.
    """
    try:
        query = search_query(request.GET)
        kind = params.choice(request.GET, "type", KINDS)
        page = params.integer(request.GET, "page", default=1, minimum=1, maximum=MAX_PAGE)
    except BadParameter as error:
        return bad_request(request, error)
    groups = site_search(query, kind=kind, page=page) if query else []
    pagination = None
    if kind and groups:
        pages = ceil(groups[0].total / RESULTS_PER_KIND)
        if page > pages:  # past the last page (results went away): show the last one
            page = pages
            groups = site_search(query, kind=kind, page=page)
        pagination = {
            "page": page,
            "pages": pages,
            "links": _page_links(query=query, kind=kind, page=page, pages=pages),
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < pages else None,
        }
    return render(
        request,
        "pages/search.html",
        {
            "search_query": query,
            "kind": kind,
            "groups": groups,
            "total": sum(group.total for group in groups),
            "per_kind": RESULTS_PER_KIND,
            "pagination": pagination,
            "all_kinds_url": "?" + urlencode({"q": query}),
            "breadcrumbs": [{"title": "Recherche", "url": ""}],
        },
    )

"""Public views of the site that are not Wagtail pages: the search."""

from django.shortcuts import render

from core.params import BadParameter, bad_request

from .search import RESULTS_PER_KIND, search_query, site_search


def search(request):
    """Search across the charter, actions, commitments, lexicon and partners (/recherche/?q=)."""
    try:
        query = search_query(request.GET)
    except BadParameter as error:
        return bad_request(request, error)
    groups = site_search(query) if query else []
    return render(
        request,
        "pages/search.html",
        {
            "search_query": query,
            "groups": groups,
            "total": sum(group.total for group in groups),
            "per_kind": RESULTS_PER_KIND,
            "breadcrumbs": [{"title": "Recherche", "url": ""}],
        },
    )

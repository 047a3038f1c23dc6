"""Public views of the site that are not Wagtail pages: the search."""

from django.shortcuts import render

from .search import MAX_QUERY_LENGTH, RESULTS_PER_KIND, site_search


def search(request):
    """Search across the charter, actions, commitments, lexicon and partners (/recherche/?q=)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
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

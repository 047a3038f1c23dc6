from wagtail import hooks

from .cache import mark_page_scopes


@hooks.register("before_serve_page")
def declare_public_cache_scopes(page, request, serve_args, serve_kwargs):
    """Tell the public page cache which charter a served page shows (pages/cache.py)."""
    mark_page_scopes(page, request)

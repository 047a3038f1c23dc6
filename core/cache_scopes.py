"""What a public response shows, for the public page cache (pages/cache.py).

A view that knows which charters and partners its page shows declares them with
`depends_on(request, …)`; the cache then forgets the page only when one of them (or something
site-wide) changes. A page that declares nothing depends on every change (the safe default: the
home page, search, open data, the API…). Here, in the lowest layer, so that every app's views
can declare their scopes; the cache (pages) and the invalidation rules read the same names.
"""

REQUEST_ATTRIBUTE = "public_cache_scopes"
# Bumped by every change: the generation of the pages that declare nothing.
ANY = "any"
# Bumped by every change that is not scoped to charters or partners (settings, lexicon, page
# moves…): every page that declares scopes also depends on it.
SITE = "site"


def charter_scope(charter_path: str) -> str:
    """The scope of one charter: its page's tree path (its descendants' paths start with it)."""
    return f"charter:{charter_path}"


def partner_scope(partner_id: int) -> str:
    return f"partner:{partner_id}"


def depends_on(request, *, charter_paths=(), partner_ids=()) -> None:
    """Declare the charters (page paths) and partners (ids) whose changes this response shows."""
    scopes = set(getattr(request, REQUEST_ATTRIBUTE, None) or ())
    scopes.add(SITE)
    scopes.update(charter_scope(path) for path in charter_paths)
    scopes.update(partner_scope(partner_id) for partner_id in partner_ids)
    setattr(request, REQUEST_ATTRIBUTE, tuple(sorted(scopes)))


def declared_scopes(request) -> tuple[str, ...]:
    """The scopes a response depends on: what its view declared, else every change."""
    return getattr(request, REQUEST_ATTRIBUTE, None) or (ANY,)

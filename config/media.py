"""Serving uploaded files: documents only through Wagtail's serve view, and never from a cache.

- `/documents/<id>/<file>` is Wagtail's serve view (collection view restrictions checked first,
  then the file streamed: `WAGTAILDOCS_SERVE_METHOD = "serve_view"`), wrapped so that every
  response says `Cache-Control: private, no-cache`: no shared cache (proxy, CDN) keeps a copy and
  the browser asks again each time, so a withdrawn right takes effect at once (a 304 still saves
  the transfer: the ETag check runs after the permission checks). Wagtail's
  `before_serve_document` hook can only replace the response, not add headers to it, hence the
  wrapper; it marks every document, restricted or not: a document can move into a restricted
  collection at any time, and a shared copy would outlive the move.
- `/media/…` (DEBUG only, e.g. `make run`): images only. Documents, the DOCX export cache and
  anything else under MEDIA_ROOT get a 404; in production the web server must do the same.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views import static
from wagtail.documents.views.serve import serve

# The only MEDIA_ROOT folders that may be served as plain files (Wagtail images are public).
PUBLIC_MEDIA_PREFIXES = ("images/", "original_images/")


def serve_document(request, document_id, document_filename):
    """Wagtail's document serve view, its response marked private (never in a shared cache)."""
    response = serve(request, document_id, document_filename)
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def serve_public_media(request, path):
    """DEBUG only: serve public media files (images); refuse documents and everything else."""
    normalized = posixpath.normpath(path).lstrip("/")
    if not normalized.startswith(PUBLIC_MEDIA_PREFIXES):
        raise Http404("Ce fichier n'est pas public : ouvrez-le depuis le site ou l'administration.")
    return static.serve(request, normalized, document_root=settings.MEDIA_ROOT)

import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from engagements.viewsets.site_history import ScopedSiteHistoryView

from .media import serve_document, serve_public_media

site_history = ScopedSiteHistoryView.as_view()
site_history_results = ScopedSiteHistoryView.as_view(results_only=True)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # « Historique du site » narrowed to what each user may read: replaces Wagtail's view at
    # the same URLs (so before the admin's own patterns; Wagtail's URL names still reverse here).
    path("admin/reports/site-history/", require_admin_access(site_history)),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(site_history_results),
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Documents: Wagtail's serve view (permission checks), its responses marked private; the
    # pattern shadows Wagtail's own (same URL, so `document.url` leads here).
    re_path(r"^documents/(\d+)/(.*)$", serve_document),
    path("documents/", include(wagtaildocs_urls)),
    # Charter versions: the version in force, earlier ones, « Ce qui a changé », DOCX.
    path("versions/", include("publishing.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Images only: documents are served by the view above, after its permission checks.
    if settings.MEDIA_URL.startswith("/"):
        media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
        urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve_public_media)]

# Open data (/donnees/) and the read-only JSON API (/api/v2/), before the page catch-all.
urlpatterns += [path("", include("opendata.urls"))]

# Public commitments: the matrix of a charter, the partners' pages, a commitment's status history.
urlpatterns += [path("", include("engagements.urls"))]

# « Où en est la charte ? »: the public progress page of a charter (/avancement/).
urlpatterns += [path("", include("monitoring.public_urls"))]

# Lexicon (/lexique/) and search (/recherche/), before the page catch-all.
urlpatterns += [path("", include("glossary.urls")), path("", include("pages.urls"))]

urlpatterns += [path("", include(wagtail_urls))]

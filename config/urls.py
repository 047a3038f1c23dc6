from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Charter versions: the version in force, earlier ones, « Ce qui a changé », DOCX.
    path("versions/", include("publishing.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Open data (/donnees/) and the read-only JSON API (/api/v2/), before the page catch-all.
urlpatterns += [path("", include("opendata.urls"))]

# Public commitments: the matrix of a charter, the partners' pages, a commitment's status history.
urlpatterns += [path("", include("engagements.urls"))]

# Lexicon (/lexique/) and search (/recherche/), before the page catch-all.
urlpatterns += [path("", include("glossary.urls")), path("", include("pages.urls"))]

urlpatterns += [path("", include(wagtail_urls))]

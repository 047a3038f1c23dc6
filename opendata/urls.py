"""Public open-data URLs (/donnees/) and the read-only JSON API (/api/v2/)."""

from django.urls import path, re_path

from . import api, views

DATASET = r"(?P<name>engagements|partenaires|lexique|indicateurs)"
KIND = r"(?P<kind>chartes|orientations|actions|engagements|partenaires|lexique)"

urlpatterns = [
    path("donnees/", views.index, name="opendata_index"),
    path("donnees/engagements.json", views.engagements_json, name="opendata_engagements_json"),
    re_path(rf"^donnees/{DATASET}\.csv$", views.dataset_csv, name="opendata_csv"),
    re_path(rf"^donnees/schema-{DATASET}\.json$", views.schema, name="opendata_schema"),
    path("api/v2/", api.root, name="api_root"),
    re_path(rf"^api/v2/{KIND}/$", api.listing, name="api_listing"),
    re_path(rf"^api/v2/{KIND}/(?P<key>[\w-]+)/$", api.detail, name="api_detail"),
]

"""Public URLs of the monitoring app: the progress page of a charter."""

from django.urls import path

from . import progress

app_name = "monitoring_public"
urlpatterns = [
    path("avancement/", progress.progress_current, name="progress_current"),
    path("avancement/<slug:charter_slug>/", progress.progress, name="progress"),
]

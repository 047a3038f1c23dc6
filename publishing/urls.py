from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("<slug:charter_slug>/", views.version_list, name="version_list"),
    path("<slug:charter_slug>/changements/", views.version_changes, name="version_changes"),
    path("<slug:charter_slug>/<int:pk>/", views.version_detail, name="version_detail"),
    path("<slug:charter_slug>/<int:pk>/docx/", views.version_docx, name="version_docx"),
    path("<slug:charter_slug>/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
]

"""Public pages of the commitments: the matrix of a charter, the partners, a status timeline."""

from django.urls import path

from . import views

app_name = "engagements_public"

urlpatterns = [
    path("engagements/historique/<int:pk>/", views.commitment_history, name="commitment_history"),
    path("engagements/<slug:charter_slug>/", views.matrix, name="matrix"),
    path("partenaires/", views.partner_list, name="partner_list"),
    path("partenaires/<slug:slug>/", views.partner_detail, name="partner"),
]

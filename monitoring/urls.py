"""Admin URLs of the monitoring app (mounted under /admin/suivi/ by wagtail_hooks)."""

from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:table>/", views.DashboardExportView.as_view(), name="export"),
    path("indicateurs/", views.IndicatorsView.as_view(), name="indicators"),
    path("indicateurs/export/", views.IndicatorExportView.as_view(), name="indicators_export"),
    path("indicateurs/saisie/", views.IndicatorValueEntryView.as_view(), name="indicator_values"),
    path("campagnes/", views.CampaignListView.as_view(), name="campaigns"),
    path("campagnes/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("campagnes/<int:pk>/bilan.docx", views.CampaignReportView.as_view(), name="report"),
    path(
        "campagnes/<int:pk>/bilan.pdf",
        views.CampaignReportView.as_view(as_pdf=True),
        name="report_pdf",
    ),
    path("campagnes/<int:pk>/relancer/", views.campaign_remind, name="campaign_remind"),
    path("campagnes/<int:pk>/cloturer/", views.campaign_close, name="campaign_close"),
    path("campagnes/<int:pk>/rouvrir/", views.campaign_reopen, name="campaign_reopen"),
    path("reunions/<int:pk>/ordre-du-jour/", views.meeting_agenda, name="meeting_agenda"),
]

"""Admin pages: access per role, dashboard content, exports, campaign buttons, agenda."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from engagements.models import Commitment
from engagements.tests.factories import MembershipFactory, PartnerFactory, UserFactory
from monitoring.choices import CampaignStatus
from monitoring.models import CommitteeMeeting, MeetingRecord, ReviewCampaign

pytestmark = pytest.mark.django_db

READ_URLS = [
    ("monitoring:dashboard", {}),
    ("monitoring:export", {"table": "partenaires"}),
    ("monitoring:indicators", {}),
    ("monitoring:indicators_export", {}),
    ("monitoring:campaigns", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), READ_URLS)
def test_partner_contributor_is_refused_everywhere(client, contributor_user, name, kwargs):
    client.force_login(contributor_user)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize(
    "role", ["secretariat_user", "copilot_user", "committee_user", "superuser"]
)
def test_committee_roles_read_the_dashboards(client, small, role, request):
    client.force_login(request.getfixturevalue(role))
    for name, kwargs in READ_URLS:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_dashboard_shows_figures_charts_tables_and_the_date(client, small, committee_user):
    client.force_login(committee_user)
    response = client.get(reverse("monitoring:dashboard"), {"charter": small.charter.pk})
    html = response.content.decode()
    assert "Charte de test" in html
    assert "7 engagements : 2 réalisés (29 %), 2 en retard" in html
    assert html.count("class='monitoring-chart'") == 3 and html.count("<caption>") == 3
    assert "role='img'" in html
    assert "3 orientations ; part réalisée" not in html  # only 2 orientations here
    best = "la part d&#x27;engagements réalisés la plus élevée est celle de « Orientation 2"
    assert f"2 orientations ; {best}" in html
    assert 'value="25"' in html  # progress bar of orientation 1
    assert f"État au {timezone.localdate().day}" in html


def test_dashboard_as_of_a_past_date(client, small, committee_user):
    client.force_login(committee_user)
    response = client.get(
        reverse("monitoring:dashboard"), {"charter": small.charter.pk, "as_of": "2018-05-29"}
    )
    html = response.content.decode()
    assert "État au 29 mai 2018" in html
    assert "0 engagement :" in html  # the test charter's commitments were created today


def test_dashboard_rejects_a_future_date_with_a_french_message(client, small, committee_user):
    client.force_login(committee_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.get(reverse("monitoring:dashboard"), {"as_of": tomorrow.isoformat()})
    assert "ne peut pas être demandé à une date future" in response.content.decode()


def test_dashboard_query_count_is_pinned(
    client, charter_page, committee_user, django_assert_max_num_queries
):
    client.force_login(committee_user)
    url = reverse("monitoring:dashboard")
    client.get(url)  # warm the per-process caches (site, menu)
    with django_assert_max_num_queries(27):
        response = client.get(url, {"charter": charter_page.pk})
    assert "20 engagements" in response.content.decode()
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"charter": charter_page.pk})
    action = Commitment.objects.for_charter(charter_page).first().action
    for n in range(40):
        Commitment.objects.create(
            partner=PartnerFactory(), action=action, position=200 + n, text=f"Ajout {n}"
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url, {"charter": charter_page.pk})
    assert "60 engagements" in response.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)


def test_csv_export_of_the_partner_table(client, small, committee_user):
    client.force_login(committee_user)
    response = client.get(
        reverse("monitoring:export", args=["partenaires"]),
        {"charter": small.charter.pk, "export": "csv"},
    )
    assert response["Content-Disposition"].startswith('attachment; filename="suivi-partenaires-')
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert [row["Partenaire"] for row in rows] == ["Alpha", "Bravo", "Charlie"]
    alpha = rows[0]
    assert (alpha["Engagements"], alpha["Réalisés"], alpha["En retard"]) == ("3", "1", "1")
    assert alpha["Part réalisée (%)"] == "33"


def test_xlsx_export_with_filters(client, small, committee_user):
    client.force_login(committee_user)
    response = client.get(
        reverse("monitoring:export", args=["orientations"]),
        {"charter": small.charter.pk, "partner": small.p3.pk, "export": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Orientation", "Engagements")
    assert [row[:2] for row in rows[1:]] == [(str(small.o2), 2)]


def test_unknown_table_is_refused(client, committee_user):
    client.force_login(committee_user)
    assert client.get(reverse("monitoring:export", args=["inconnue"])).status_code == 403


def test_secretariat_opens_reminds_and_closes_from_the_admin(client, small, secretariat_user):
    MembershipFactory(partner=small.p1, user=UserFactory(email="a@alpha.example"))
    client.force_login(secretariat_user)
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(
        reverse("monitoring:campaigns"),
        {"charter": small.charter.pk, "year": 2030, "deadline": deadline},
    )
    campaign = ReviewCampaign.objects.get(charter=small.charter)
    assert response.status_code == 302 and response["Location"].endswith(f"/{campaign.pk}/")

    response = client.post(reverse("monitoring:campaign_remind", args=[campaign.pk]), follow=True)
    assert "1 relance envoyée." in response.content.decode()
    assert mail.outbox[0].to == ["a@alpha.example"]

    detail = client.get(reverse("monitoring:campaign", args=[campaign.pk])).content.decode()
    assert "Réponses des partenaires" in detail and "<strong>Non</strong>" in detail

    client.post(reverse("monitoring:campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    assert len(campaign.snapshot["commitments"]) == 7


def test_opening_twice_shows_a_french_error_and_creates_nothing(client, small, secretariat_user):
    client.force_login(secretariat_user)
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    data = {"charter": small.charter.pk, "year": 2030, "deadline": deadline}
    client.post(reverse("monitoring:campaigns"), data)
    response = client.post(reverse("monitoring:campaigns"), {**data, "year": 2031})
    assert "Une campagne est déjà ouverte" in response.content.decode()
    assert ReviewCampaign.objects.filter(charter=small.charter).count() == 1


@pytest.mark.parametrize("role", ["copilot_user", "committee_user"])
def test_readers_cannot_run_the_campaign(client, small, role, request):
    client.force_login(request.getfixturevalue(role))
    campaign = ReviewCampaign.objects.create(
        charter=small.charter, year=2030, deadline=small.day(5), opened_at=timezone.now()
    )
    deadline = small.day(20).isoformat()
    assert (
        client.post(
            reverse("monitoring:campaigns"),
            {"charter": small.charter.pk, "year": 2031, "deadline": deadline},
        ).status_code
        == 403
    )
    assert client.post(reverse("monitoring:campaign_remind", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("monitoring:campaign_close", args=[campaign.pk])).status_code == 403
    campaign.refresh_from_db()
    assert campaign.is_open


def test_meeting_agenda_is_generated_from_the_commitments(client, small, secretariat_user):
    previous = CommitteeMeeting.objects.create(date=small.day(-60))
    meeting = CommitteeMeeting.objects.create(date=small.today, title="Comité de suivi annuel")
    record = MeetingRecord.objects.create(meeting=meeting, charter=small.charter)
    # c7 reported after the previous meeting: not stale; the other open ones never reported.
    Commitment.objects.filter(pk=small.c7.pk).update(last_reported_at=timezone.now())
    client.force_login(secretariat_user)

    confirm = client.get(reverse("monitoring:meeting_agenda", args=[record.pk]))
    assert "2 engagements en retard, 1 bloqué, 3 non mis à jour" in confirm.content.decode()
    client.post(reverse("monitoring:meeting_agenda", args=[record.pk]))

    record.refresh_from_db()
    agenda = record.agenda
    overdue = agenda.split("### Engagements en retard")[1].split("###")[0]
    assert "Engagement c2" in overdue and "Engagement c4" in overdue
    assert "Engagement c3" not in overdue
    blocked = agenda.split("### Engagements bloqués")[1].split("###")[0]
    assert "Engagement c3" in blocked
    stale = agenda.split("depuis le dernier comité\n")[1]
    assert all(f"Engagement {key}" in stale for key in ("c2", "c3", "c4"))
    assert "Engagement c7" not in stale and "Engagement c1" not in stale
    assert previous.date < meeting.date


def test_contributor_cannot_generate_an_agenda(client, small, contributor_user):
    meeting = CommitteeMeeting.objects.create(date=small.today)
    record = MeetingRecord.objects.create(meeting=meeting, charter=small.charter)
    client.force_login(contributor_user)
    assert client.post(reverse("monitoring:meeting_agenda", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.agenda == ""


def test_secretariat_records_a_meeting_and_a_decision_in_the_admin(client, small, secretariat_user):
    meeting = CommitteeMeeting.objects.create(date=small.today)
    client.force_login(secretariat_user)
    response = client.post(
        reverse("wagtailsnippets_monitoring_meetingrecord:add"),
        {
            "meeting": meeting.pk,
            "place": "Préfecture",
            "charter": small.charter.pk,
            "campaign": "",
            "attendees": [small.p1.pk, small.p2.pk],
            "agenda": "",
            "minutes": "Compte rendu **validé**.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = MeetingRecord.objects.get(meeting=meeting)
    assert set(record.attendees.all()) == {small.p1, small.p2}

    listing = client.get(reverse("wagtailsnippets_monitoring_meetingrecord:list")).content.decode()
    assert reverse("monitoring:meeting_agenda", args=[record.pk]) in listing

    response = client.post(
        reverse("wagtailsnippets_monitoring_decision:add"),
        {
            "meeting": meeting.pk,
            "text": "Relancer la CAF sur l'action 1.",
            "actions": [small.a1.pk],
            "commitments": [small.c2.pk],
        },
    )
    assert response.status_code == 302
    decision = meeting.decisions.get()
    assert list(decision.commitments.all()) == [small.c2]


def test_readers_cannot_edit_meeting_records(client, small, committee_user):
    client.force_login(committee_user)
    response = client.get(reverse("wagtailsnippets_monitoring_meetingrecord:add"))
    assert response.status_code in (302, 403)
    assert client.get(reverse("wagtailsnippets_monitoring_meetingrecord:list")).status_code == 200


def test_summary_says_when_nothing_is_achieved(client, small, committee_user):
    Commitment.objects.filter(action__path__startswith=small.charter.path).update(
        status="in_progress"
    )
    client.force_login(committee_user)
    html = client.get(reverse("monitoring:dashboard"), {"charter": small.charter.pk}).content
    nothing = "aucun engagement n&#x27;est encore réalisé ; le plus d&#x27;engagements en retard"
    assert f"2 orientations ; {nothing}" in html.decode()

"""Public page cache: hits cost no SQL query; publishing or a commitment change invalidates."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from charter.models import ActionPage
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.services import commitment_change_status
from pages.cache import GENERATION_KEY, bump_generation, current_generation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_page_cache")]


def commitment_item(html: str, commitment: Commitment) -> str:
    match = re.search(rf'<li id="engagement-{commitment.pk}">(.*?)</li>', html, re.S)
    assert match, f"engagement {commitment.pk} absent de la page"
    return match.group(1)


def test_second_request_is_a_hit_with_no_sql_query(client, charter_page, django_assert_num_queries):
    first = client.get(charter_page.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get(charter_page.url)
    assert second.status_code == 200
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    # Headers added around the cache are fresh on a hit.
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert second["Content-Type"] == first["Content-Type"]
    with django_assert_num_queries(0):
        head = client.head(charter_page.url)
    assert head["X-Cache"] == "HIT"


def test_publishing_a_revision_makes_the_next_request_a_miss_with_new_content(client, superuser):
    action = ActionPage.objects.live().filter(url_path__contains="charte-synthetique").first()
    assert client.get(action.url)["X-Cache"] == "MISS"
    assert client.get(action.url)["X-Cache"] == "HIT"
    generation = current_generation()

    page = action.specific
    page.title = "Titre republié pour le test du cache"
    page.save_revision(user=superuser).publish(user=superuser)

    assert current_generation() != generation
    response = client.get(action.url)
    assert response["X-Cache"] == "MISS"
    assert "Titre republié pour le test du cache" in response.content.decode()
    assert client.get(action.url)["X-Cache"] == "HIT"


def test_a_commitment_status_change_makes_the_next_request_a_miss(client, superuser):
    commitment = (
        Commitment.objects.filter(
            status=CommitmentStatus.NOT_STARTED,
            action__live=True,
            action__url_path__contains="charte-synthetique",
        )
        .select_related("action")
        .first()
    )
    url = commitment.action.url
    before = client.get(url)
    assert "badge--not_started" in commitment_item(before.content.decode(), commitment)
    assert client.get(url)["X-Cache"] == "HIT"

    commitment_change_status(
        commitment=commitment,
        user=superuser,
        status=CommitmentStatus.ABANDONED,
        reason="Test du cache : engagement abandonné",
    )

    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "badge--abandoned" in commitment_item(after.content.decode(), commitment)


def test_logged_in_users_are_never_served_the_cache(client, admin_client, charter_page):
    anonymous = client.__class__()
    assert anonymous.get(charter_page.url)["X-Cache"] == "MISS"
    assert anonymous.get(charter_page.url)["X-Cache"] == "HIT"
    for _ in range(2):
        response = admin_client.get(charter_page.url)
        assert response.status_code == 200
        assert "X-Cache" not in response
    # Nor do their pages end up in the cache for anybody else.
    bump_generation()
    admin_client.get(charter_page.url)
    assert anonymous.get(charter_page.url)["X-Cache"] == "MISS"


def test_admin_documents_errors_and_cookies_are_not_cached(client):
    for _ in range(2):
        assert "X-Cache" not in client.get("/admin/login/")
        missing = client.get("/page-qui-n-existe-pas/")
        assert missing.status_code == 404
        assert "X-Cache" not in missing
    client.cookies["sessionid"] = "une-session"
    assert "X-Cache" not in client.get("/")


@override_settings(PUBLIC_CACHE_SECONDS=0)
def test_zero_disables_the_cache(client):
    assert "X-Cache" not in client.get("/")
    assert "X-Cache" not in client.get("/")


def test_the_generation_lives_in_the_shared_cache():
    cache.delete(GENERATION_KEY)
    generation = current_generation()
    assert cache.get(GENERATION_KEY) == generation
    bump_generation()
    assert cache.get(GENERATION_KEY) == generation + 1


@pytest.mark.parametrize("theme", ["dsfr", "neutral"])
def test_pages_of_both_themes_are_cached(client, charter_page, theme):
    with override_settings(SITE_THEME=theme):
        assert client.get("/")["X-Cache"] == "MISS"
        second = client.get("/")
    assert second["X-Cache"] == "HIT"
    assert "nonce" not in second["Content-Security-Policy"]


def test_a_signature_change_makes_the_next_request_a_miss(client, charter_page):
    """Signatures are shown on partner pages: the registry (charter's public_models) has them.

    The partner's page and its charter's page are forgotten; another charter's page is not.
    """
    from charter.models import CharterPage, Partner, Signature
    from tests.synthetic import PLAN_SLUG

    url = "/partenaires/caf/"
    other = CharterPage.objects.get(slug=PLAN_SLUG).url
    for page in (url, other, charter_page.url):
        assert client.get(page)["X-Cache"] == "MISS"
        assert client.get(page)["X-Cache"] == "HIT"
    partner = Partner.objects.get(slug="caf")
    signature = Signature.objects.filter(charter=charter_page, partner=partner).first()
    if signature is None:
        signature = Signature(charter=charter_page, partner=partner)
    signature.signer_name = "Nom modifié"
    signature.save()
    assert client.get(url)["X-Cache"] == "MISS"
    assert "Nom modifié" in client.get(url).content.decode()
    assert client.get(charter_page.url)["X-Cache"] == "MISS"
    assert client.get(other)["X-Cache"] == "HIT"


def test_every_project_model_is_declared_public_or_private(monkeypatch):
    from django.apps import apps

    from pages.checks import check_public_model_registry

    assert check_public_model_registry(None) == []
    monitoring = apps.get_app_config("monitoring")
    monkeypatch.setattr(
        monitoring, "private_models", tuple(m for m in monitoring.private_models if m != "Decision")
    )
    [error] = check_public_model_registry(None)
    assert error.id == "pages.E002" and "monitoring.Decision" in error.msg

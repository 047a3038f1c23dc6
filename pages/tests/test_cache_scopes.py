"""Scoped public page cache (issue 19): a change forgets only the pages that show it."""

import re

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from charter.models import ActionPage, CharterPage, OrientationPage
from core.cache_scopes import ANY, SITE, charter_scope, partner_scope
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.services import commitment_change_status
from pages.cache import (
    GENERATION_KEY,
    PublicPageCacheMiddleware,
    bump_generation,
    change_scopes,
    generation_key,
)
from tests.synthetic import CHARTER_SLUG, PLAN_SLUG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_page_cache")]


@pytest.fixture
def commitment():
    """An open commitment of the synthetic charter (charter A), with its action and partner."""
    return (
        Commitment.objects.filter(
            status=CommitmentStatus.NOT_STARTED,
            action__live=True,
            action__url_path__contains=CHARTER_SLUG,
        )
        .select_related("action", "partner")
        .first()
    )


def plan_urls() -> list[str]:
    """Pages of charter B (the synthetic plan), none of which shows charter A's commitments."""
    plan = CharterPage.objects.get(slug=PLAN_SLUG)
    fiche = ActionPage.objects.descendant_of(plan).live().first()
    orientation = OrientationPage.objects.descendant_of(plan).live().first()
    return [plan.url, orientation.url, fiche.url, f"/engagements/{PLAN_SLUG}/"]


def charter_a_urls(commitment) -> list[str]:
    """Every page showing the commitment: charter page, action, partner, matrix, open data, API."""
    charter = CharterPage.objects.get(slug=CHARTER_SLUG)
    return [
        charter.url,
        commitment.action.url,
        f"/partenaires/{commitment.partner.slug}/",
        f"/engagements/{CHARTER_SLUG}/",
        "/donnees/engagements.json",
        "/api/v2/engagements/",
    ]


def warm(client, urls: list[str]) -> dict[str, bytes]:
    contents = {}
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert client.get(url)["X-Cache"] == "HIT", url
        contents[url] = first.content
    return contents


def badge_of(html: str, commitment) -> str:
    match = re.search(rf'id="engagement-{commitment.pk}".*?badge--(\w+)', html, re.S)
    assert match, "engagement absent de la page"
    return match.group(1)


def test_a_commitment_change_in_charter_a_keeps_charter_b_cached_and_refreshes_a(
    client, superuser, commitment, django_assert_num_queries
):
    b_urls = plan_urls()
    a_urls = charter_a_urls(commitment)
    warm(client, b_urls)
    before = warm(client, a_urls)

    commitment_change_status(
        commitment=commitment,
        user=superuser,
        status=CommitmentStatus.ABANDONED,
        reason="Test du cache par charte",
    )

    for url in b_urls:  # charter B: still served from the cache, without a query
        with django_assert_num_queries(0):
            assert client.get(url)["X-Cache"] == "HIT", url
    for url in a_urls:  # every page showing the commitment: rendered again, new content
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert response.content != before[url], url
        assert client.get(url)["X-Cache"] == "HIT", url
    for url in a_urls[:2]:  # the charter page and the action page show the new status
        assert badge_of(client.get(url).content.decode(), commitment) == "abandoned"

    # The home page depends on every change (« any »): another commitment of charter A.
    warm(client, ["/"])
    other = Commitment.objects.filter(
        status=CommitmentStatus.NOT_STARTED, action__url_path__contains=CHARTER_SLUG
    ).first()
    commitment_change_status(
        commitment=other,
        user=superuser,
        status=CommitmentStatus.ABANDONED,
        reason="Test du cache par charte : un autre engagement",
    )
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get(b_urls[0])["X-Cache"] == "HIT"


def test_a_commitment_changes_its_charter_and_its_partner_and_any(commitment):
    charter = CharterPage.objects.get(slug=CHARTER_SLUG)
    assert change_scopes(commitment) == {
        charter_scope(charter.path),
        partner_scope(commitment.partner_id),
    }
    before = cache.get_many([GENERATION_KEY, generation_key(SITE)])
    bump_generation(change_scopes(commitment))
    after = cache.get_many([GENERATION_KEY, generation_key(SITE)])
    # « any » moved (the home page, open data…), « site » did not (the other charters' pages).
    assert after.get(GENERATION_KEY) != before.get(GENERATION_KEY)
    assert after.get(generation_key(SITE)) == before.get(generation_key(SITE))


def test_publishing_an_action_of_charter_a_keeps_charter_b_cached(client, superuser, commitment):
    b_urls = plan_urls()
    warm(client, b_urls)
    partner_url = f"/partenaires/{commitment.partner.slug}/"
    warm(client, [commitment.action.url, partner_url, f"/engagements/{CHARTER_SLUG}/"])

    action = commitment.action.specific
    action.title = "Titre republié pour le test du cache par charte"
    action.save_revision(user=superuser).publish(user=superuser)

    for url in b_urls:
        assert client.get(url)["X-Cache"] == "HIT", url
    for url in (action.url, partner_url, f"/engagements/{CHARTER_SLUG}/"):
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Titre republié pour le test du cache par charte" in response.content.decode(), url


def test_publishing_a_charter_page_or_moving_a_page_forgets_every_page(client, superuser):
    b_urls = plan_urls()
    charter = CharterPage.objects.get(slug=CHARTER_SLUG)
    warm(client, [*b_urls, charter.url])
    charter.save_revision(user=superuser).publish(user=superuser)
    for url in [*b_urls, charter.url]:
        assert client.get(url)["X-Cache"] == "MISS", url

    fiches = list(ActionPage.objects.descendant_of(CharterPage.objects.get(slug=PLAN_SLUG)))
    warm(client, [b_urls[0]])
    fiches[0].move(fiches[1], pos="right", user=superuser)
    assert client.get(b_urls[0])["X-Cache"] == "MISS"


def test_unpublishing_an_action_forgets_its_charter_pages(client, superuser, commitment):
    b_urls = plan_urls()
    charter = CharterPage.objects.get(slug=CHARTER_SLUG)
    warm(client, [*b_urls, charter.url])
    commitment.action.specific.unpublish(user=superuser)
    assert client.get(charter.url)["X-Cache"] == "MISS"
    for url in b_urls:
        assert client.get(url)["X-Cache"] == "HIT", url


def test_a_change_during_a_render_is_not_stored(commitment):
    """Content read before a commit is never kept under the generation that follows it."""
    url = CharterPage.objects.get(slug=PLAN_SLUG).url

    def view_racing_a_change(request):
        content = b"contenu lu avant le changement"
        bump_generation(change_scopes(commitment))  # another server commits meanwhile
        return HttpResponse(content)

    racing = PublicPageCacheMiddleware(view_racing_a_change)
    assert racing(RequestFactory().get(url))["X-Cache"] == "MISS"
    calm = PublicPageCacheMiddleware(lambda request: HttpResponse(b"contenu frais"))
    response = calm(RequestFactory().get(url))
    assert response["X-Cache"] == "MISS" and response.content == b"contenu frais"
    assert calm(RequestFactory().get(url))["X-Cache"] == "HIT"


def test_the_bump_after_commit_forgets_a_page_stored_before_it(
    client, superuser, commitment, django_capture_on_commit_callbacks
):
    """A reader that stored the page between the first bump and the commit: forgotten after it."""
    url = commitment.action.url
    warm(client, [url])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        commitment_change_status(
            commitment=commitment,
            user=superuser,
            status=CommitmentStatus.ABANDONED,
            reason="Test du cache : après le commit",
        )
        assert client.get(url)["X-Cache"] == "MISS"  # stored before the commit
        assert client.get(url)["X-Cache"] == "HIT"
    assert callbacks
    assert client.get(url)["X-Cache"] == "MISS"


def test_pages_outside_the_charters_depend_on_every_change(client, commitment):
    for url in ("/", "/lexique/", "/donnees/"):
        warm(client, [url])
    bump_generation({partner_scope(commitment.partner_id)})
    for url in ("/", "/lexique/", "/donnees/"):
        assert client.get(url)["X-Cache"] == "MISS", url
    assert cache.get(generation_key(ANY)) is not None


def test_an_action_linked_from_another_charter_refreshes_the_linking_page(
    client, superuser, commitment
):
    plan = CharterPage.objects.get(slug=PLAN_SLUG)
    fiche = ActionPage.objects.descendant_of(plan).live().first().specific
    fiche.related_actions = [commitment.action]
    fiche.save_revision(user=superuser).publish(user=superuser)
    other_fiche = ActionPage.objects.descendant_of(plan).live().exclude(pk=fiche.pk).first()
    warm(client, [fiche.url, other_fiche.url])

    action = commitment.action.specific
    action.title = "Action liée depuis le plan"
    action.save_revision(user=superuser).publish(user=superuser)

    response = client.get(fiche.url)
    assert response["X-Cache"] == "MISS"
    assert "Action liée depuis le plan" in response.content.decode()
    assert client.get(other_fiche.url)["X-Cache"] == "MISS"  # the plan's scope: the same charter

"""« Publié » has one definition (`public()` of the charter pages and of the commitments): what a
visitor cannot see on the HTML pages is absent from every page, file and API answer as well."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from charter.models import ActionPage, CharterPage, OrientationPage
from engagements.models import Commitment
from glossary.models import LexiconEntry

from .public_pages import PAGE_KINDS, page_path

pytestmark = pytest.mark.django_db

MARKER = "Qzxw7Secret"
DATASETS = ["engagements", "partenaires", "lexique", "indicateurs"]
OPEN_DATA = [
    *(f"/donnees/{name}.csv" for name in DATASETS),
    "/donnees/engagements.json",
    *(f"/donnees/schema-{name}.json" for name in DATASETS),
]
API_KINDS = ["chartes", "orientations", "actions", "engagements", "partenaires", "lexique"]
# Page kinds that are the hidden content itself when the whole charter is restricted.
UNDER_CHARTER = {
    "charte",
    "orientation",
    "action",
    "matrice",
    "avancement",
    "partenaire",  # the CAF commits and signs in the synthetic charter only
    "historique-engagement",
    "versions",
    "version",
    "changements",
}


def _mark(pages, commitments) -> None:
    """Give the hidden content unique titles and texts (no signal: only the rows change)."""
    for page in pages:
        Page.objects.filter(pk=page.pk).update(title=f"{MARKER} page {page.pk}")
    commitments.update(text=f"{MARKER} engagement")


def _hide_orientation_3(charter: CharterPage) -> dict:
    orientation = OrientationPage.objects.child_of(charter).get(number=3)
    actions = list(ActionPage.objects.child_of(orientation))
    commitments = Commitment.objects.filter(action__in=actions)
    hidden = {
        "orientations": [orientation.pk],
        "actions": [action.pk for action in actions],
        "engagements": list(commitments.values_list("pk", flat=True)),
        "chartes": [],
        "lexique": [],
    }
    assert hidden["engagements"], "the synthetic orientation 3 has commitments"
    orientation.unpublish(log_action=False)  # the orientation only: its actions stay live
    _mark([orientation, *actions], commitments)
    return hidden


def _restrict_charter(charter: CharterPage, restriction_type: str) -> dict:
    orientations = list(OrientationPage.objects.child_of(charter))
    actions = list(ActionPage.objects.descendant_of(charter))
    commitments = Commitment.objects.for_charter(charter)
    hidden = {
        "orientations": [o.pk for o in orientations],
        "actions": [a.pk for a in actions],
        "engagements": list(commitments.values_list("pk", flat=True)),
        "chartes": [charter.slug, str(charter.pk)],
        "lexique": list(LexiconEntry.objects.filter(charter=charter).values_list("pk", flat=True)),
    }
    PageViewRestriction.objects.create(
        page=charter, restriction_type=restriction_type, password="mot-de-passe-du-comite"
    )
    _mark([charter, *orientations, *actions], commitments)
    return hidden


@pytest.fixture(
    params=["orientation-3-depubliee", "charte-reservee-connexion", "charte-mot-de-passe"]
)
def hidden(request, charter_page, plan, public_version):
    # The URLs are computed before hiding anything (the public version is frozen before too).
    urls = {kind: page_path(kind, charter_page, plan) for kind in PAGE_KINDS}
    if request.param == "orientation-3-depubliee":
        content = _hide_orientation_3(charter_page)
        restricted_kinds: set[str] = set()
    else:
        restriction = {
            "charte-reservee-connexion": PageViewRestriction.LOGIN,
            "charte-mot-de-passe": PageViewRestriction.PASSWORD,
        }[request.param]
        content = _restrict_charter(charter_page, restriction)
        restricted_kinds = UNDER_CHARTER
    return {"urls": urls, "content": content, "restricted_kinds": restricted_kinds}


def _text(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_hidden_content_is_absent_from_every_page_file_and_api(client, hidden):
    content = hidden["content"]
    leaks = []
    for kind, url in hidden["urls"].items():
        response = client.get(url)
        if kind in hidden["restricted_kinds"]:
            # 404, the login page, or Wagtail's password form (which shows nothing of the page).
            if response.status_code not in (200, 302, 404):
                leaks.append(f"{kind} {url}: {response.status_code} (404 ou connexion attendus)")
            if response.status_code == 200 and (
                "password" not in _text(response) or MARKER in _text(response)
            ):
                leaks.append(f"{kind} {url}: page réservée servie")
            continue
        expected = 404 if kind == "page-introuvable" else 200
        if response.status_code != expected:
            leaks.append(f"{kind} {url}: {response.status_code}")
        if MARKER in _text(response):
            leaks.append(f"{kind} {url}: contenu caché affiché")
    # The hidden pages themselves, and a hidden commitment's public history.
    for pk in [*content["orientations"][:2], *content["actions"][:2]]:
        url = Page.objects.get(pk=pk).url
        response = client.get(url)
        if response.status_code not in (200, 302, 404) or MARKER in _text(response):
            leaks.append(f"{url}: page cachée servie")
    for pk in content["engagements"][:3]:
        url = reverse("engagements_public:commitment_history", kwargs={"pk": pk})
        if client.get(url).status_code != 404:
            leaks.append(f"{url}: engagement caché affiché")
    for url in OPEN_DATA:
        response = client.get(url)
        assert response.status_code == 200, url
        if MARKER in _text(response):
            leaks.append(f"{url}: contenu caché")
    engagements = json.loads(client.get("/donnees/engagements.json").content)["engagements"]
    if {row["id"] for row in engagements} & set(content["engagements"]):
        leaks.append("/donnees/engagements.json: identifiants cachés")
    for kind in API_KINDS:
        response = client.get(f"/api/v2/{kind}/?limit=100")
        assert response.status_code == 200, kind
        items = response.json()["items"]
        offset = 100
        total = response.json()["meta"]["total_count"]
        while offset < total:
            items += client.get(f"/api/v2/{kind}/?limit=100&offset={offset}").json()["items"]
            offset += 100
        text = json.dumps(items, ensure_ascii=False)
        if MARKER in text:
            leaks.append(f"/api/v2/{kind}/: contenu caché")
        keys = {str(item.get("id")) for item in items} | {item.get("identifiant") for item in items}
        if keys & {str(key) for key in content.get(kind, [])}:
            leaks.append(f"/api/v2/{kind}/: identifiants cachés")
        for key in content.get(kind, [])[:2]:
            detail = client.get(f"/api/v2/{kind}/{key}/")
            if detail.status_code != 404:
                leaks.append(f"/api/v2/{kind}/{key}/: {detail.status_code}")
        if items:  # a visible record's detail still answers
            key = items[0].get("identifiant") or items[0]["id"]
            detail = client.get(f"/api/v2/{kind}/{key}/")
            assert detail.status_code == 200, f"/api/v2/{kind}/{key}/"
            assert MARKER not in _text(detail)
    assert leaks == []

"""The admin report « Sigles non définis » (acronyms of public texts missing from the lexicon)."""

import re

import pytest
from django.urls import reverse

from charter.models import ActionPage
from engagements.lexicon_report import acronym_tokens, is_acronym_token, undefined_acronyms
from engagements.models import Commitment
from engagements.selectors import public_commitments

pytestmark = pytest.mark.django_db

URL = "/admin/rapports/sigles-non-definis/"


def test_tokens_and_stop_list():
    assert acronym_tokens("La CCAPEX, l'ADIL 75 et le DALO (art. II, III) NB : Caf, FSLé ÉTAT") == [
        "CCAPEX",
        "ADIL",
        "DALO",
        "ÉTAT",
    ]
    assert not is_acronym_token("XIV") and not is_acronym_token("NB")
    assert is_acronym_token("SIAO")


@pytest.fixture
def xyzw_commitment(charter_page):
    commitment = public_commitments().filter(action__path__startswith=charter_page.path).first()
    commitment.text += "\n\nAvec le XYZW et encore le XYZW, et la CAF."
    commitment.save()
    return commitment


def test_selector_lists_an_undefined_acronym_not_a_defined_one(
    xyzw_commitment, charter_page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        rows = undefined_acronyms()
    by_acronym = {r.acronym: r for r in rows if r.charter.pk == charter_page.pk}
    assert by_acronym["XYZW"].count == 2
    assert [p.obj for p in by_acronym["XYZW"].places] == [xyzw_commitment]
    assert "CAF" not in by_acronym and "CCAPEX" not in by_acronym and "II" not in by_acronym


def test_report_over_http(
    admin_client, xyzw_commitment, charter_page, django_assert_max_num_queries
):
    assert reverse("glossary_undefined_acronyms") == URL
    with django_assert_max_num_queries(18):
        response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sigles non définis" in html
    assert re.search(r"<td\s*>\s*XYZW\s*</td>\s*<td\s*>\s*2\s*</td>", html)
    charter_rows = {
        row.acronym for row in response.context["object_list"] if row.charter == charter_page
    }
    assert "XYZW" in charter_rows and "CAF" not in charter_rows  # CAF is in the synthetic lexicon
    edit_url = reverse("wagtailsnippets_engagements_commitment:edit", args=[xyzw_commitment.pk])
    assert f'href="{edit_url}"' in html
    # The reports menu shows it.
    assert URL in admin_client.get("/admin/").content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_export(admin_client, xyzw_commitment, fmt):
    response = admin_client.get(URL, {"export": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert body.splitlines()[0] == "Charte;Sigle;Occurrences;Où"
        assert any(";XYZW;2;" in line for line in body.splitlines())
    else:
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


def test_secretariat_sees_the_report_in_bounded_queries(
    client, secretary, xyzw_commitment, charter_page, django_assert_max_num_queries
):
    assert secretary.has_perm("glossary.add_lexiconentry")
    client.force_login(secretary)
    with django_assert_max_num_queries(22):
        response = client.get(URL)
    assert response.status_code == 200
    assert any(row.acronym == "XYZW" for row in response.context["object_list"])
    # Many more places and acronyms: the same number of queries.
    for n, commitment in enumerate(public_commitments().order_by("-pk")[:15]):
        commitment.text += f" QWZ{chr(65 + n)}Y et FOOBAR"
        commitment.save()
    for action in ActionPage.objects.live().descendant_of(charter_page)[:5]:
        action.constats += " Le sigle ZZTOP."
        action.save_revision().publish()
    with django_assert_max_num_queries(22):
        response = client.get(URL)
    rows = {row.acronym: row for row in response.context["object_list"]}
    assert rows["FOOBAR"].count == 15 and len(rows["ZZTOP"].places) == 5


def test_partner_contributor_is_refused(client, contributor):
    client.force_login(contributor)
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert URL not in client.get("/admin/").content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_commitments_of_unpublished_actions_are_not_scanned(xyzw_commitment, charter_page):
    xyzw_commitment.action.unpublish()
    assert Commitment.objects.filter(pk=xyzw_commitment.pk).exists()
    assert "XYZW" not in {r.acronym for r in undefined_acronyms()}

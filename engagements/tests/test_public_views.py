"""Public pages of the engagements app: anonymous, server-rendered, published content only."""

import datetime
import itertools
import re

import pytest
from django.urls import reverse

from charter.models import ActionPage, CharterPage, Declaration, OrientationPage, Partner
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.services import commitment_change_status, commitment_update

pytestmark = pytest.mark.django_db

# Query budgets of the public pages, whatever the number of commitments. The frame (site
# settings, main navigation, footer links, site root paths) is included: 5 to 7 of them (+2 since
# the menu and footer link the household help pages, issue 15).
MATRIX_QUERIES = 11  # +1: the co-partners of shared commitments (issue 17)
PARTNER_LIST_QUERIES = 7
PARTNER_QUERIES = 15  # +2: co-partners, and the shared commitments (issue 17)
HISTORY_QUERIES = 10  # +1: the date the partner signed the charter (issue 15)

OWNER_NAME = "jeanne-responsable-caf"
SECRET_REASON = "Motif interne confidentiel n° 8731"


def matrix_url(charter):
    return reverse("engagements_public:matrix", kwargs={"charter_slug": charter.slug})


def partner_url(partner):
    return reverse("engagements_public:partner", kwargs={"slug": partner.slug})


def history_url(commitment):
    return reverse("engagements_public:commitment_history", kwargs={"pk": commitment.pk})


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def main_html_text(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def synthetic_action(code: str) -> ActionPage:
    charter = CharterPage.objects.get(slug="charte-synthetique")
    return ActionPage.objects.descendant_of(charter).get(code=code)


def add_commitments(partner: Partner, count: int) -> None:
    """`count` more commitments of a partner, spread over the synthetic charter's actions."""
    charter = CharterPage.objects.get(slug="charte-synthetique")
    actions = list(ActionPage.objects.descendant_of(charter).order_by("path"))
    Commitment.objects.bulk_create(
        Commitment(
            partner=partner,
            action=actions[i % len(actions)],
            position=100 + i,
            text=f"Engagement supplémentaire n° {i}",
            due_date=datetime.date(2018, 1, 1) if i % 2 else None,
            progress=i % 100,
        )
        for i in range(count)
    )


def assert_headings_ok(html: str) -> None:
    """Exactly one h1 and no skipped heading level (h2 → h4 without h3)."""
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels.count(1) == 1
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (before, after)


def assert_no_private_data(html: str) -> None:
    assert OWNER_NAME not in html
    assert SECRET_REASON not in html
    main = html[html.index("<main") : html.index("</main>")]
    assert "<script" not in main.lower()
    assert "<script>" not in html.lower()  # the themes' scripts are external files


@pytest.fixture
def changed_commitment(caf, contributor, superuser):
    """A CAF commitment with an owner, moved to "in progress" then "blocked" with reasons."""
    contributor.username = OWNER_NAME
    contributor.first_name = "Jeanne"
    contributor.last_name = "Responsable"
    contributor.save()
    commitment = Commitment.objects.filter(partner=caf).order_by("pk").first()
    commitment_update(
        commitment=commitment,
        user=superuser,
        status=CommitmentStatus.IN_PROGRESS,
        progress=40,
        narrative="Premières réunions tenues.",
        reason=SECRET_REASON,
        expected_version=None,
        owner=contributor,
    )
    commitment_change_status(
        commitment=commitment,
        user=contributor,
        status=CommitmentStatus.BLOCKED,
        reason=SECRET_REASON + " (blocage)",
    )
    commitment.refresh_from_db()
    return commitment


# --- The matrix ----------------------------------------------------------------------------


def test_matrix_lists_every_action_and_partner(client, charter_page):
    response = client.get(matrix_url(charter_page))
    assert response.status_code == 200
    html = main_html(response)
    wide = html[html.index('class="only-wide"') : html.index('class="only-narrow"')]
    narrow = html[html.index('class="only-narrow"') :]
    assert "<caption>" in wide
    assert len(re.findall(r'<th scope="row" id="action-', wide)) == 6
    assert len(re.findall(r'<th scope="col" class="matrix__partner"', wide)) == 6
    assert len(re.findall(r'<th scope="rowgroup"[^>]* id="orientation-\d"', wide)) == 3
    assert len(re.findall(r'<section aria-labelledby="partenaire-', narrow)) == 6
    assert len(re.findall(r'<li id="engagement-\d+"', narrow)) == 20
    # Every commitment appears once in the grid, linked to its anchor on the partner's page.
    assert len(re.findall(r'href="/partenaires/[\w-]+/#engagement-\d+"', wide)) == 20
    assert len(re.findall(r'href="/engagements/historique/\d+/"', wide)) == 20
    assert len(re.findall(r'href="/engagements/historique/\d+/"', narrow)) == 20
    assert 'id="action-3"' in wide
    assert "20 engagements de 6 partenaires pour 6 actions" in html
    assert 'href="/partenaires/caf/"' in wide
    assert "badge--not_started" in wide
    assert "style=" not in html
    assert_headings_ok(html)
    assert 'href="/static/css/engagements.css"' in response.content.decode()


def test_matrix_cell_shows_the_partner_commitment_with_its_status(client, charter_page, caf):
    commitment = Commitment.objects.filter(partner=caf, action=synthetic_action("1")).first()
    commitment.status = CommitmentStatus.ACHIEVED
    commitment.save()
    overdue = Commitment.objects.filter(partner=caf).exclude(pk=commitment.pk).first()
    overdue.due_date = datetime.date(2019, 6, 30)
    overdue.save()
    html = main_html(client.get(matrix_url(charter_page)))
    row = html[html.index('id="action-1"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/partenaires/caf/#engagement-{commitment.pk}"' in row
    assert "badge--achieved" in row
    assert "badge--overdue" in html and "en retard" in html
    # Totals per partner (tfoot): CAF now has 2 achieved commitments; ADIL 75, the Département
    # and the OPH one each; the Préfecture and the UPT none (tests/synthetic.py).
    tfoot = html[html.index("<tfoot>") : html.index("</tfoot>")]
    achieved_row = tfoot[tfoot.index('<th scope="row">Réalisé</th>') :]
    achieved_row = achieved_row[: achieved_row.index("</tr>")]
    assert sorted(re.findall(r"<td>(\d+)</td>", achieved_row)) == ["0", "0", "1", "1", "1", "2"]


def test_matrix_unknown_or_unpublished_charter_is_404(client, charter_page):
    assert client.get("/engagements/charte-inconnue/").status_code == 404
    charter_page.unpublish()
    assert client.get(matrix_url(charter_page)).status_code == 404


def test_matrix_hides_commitments_of_an_unpublished_action(client, charter_page, caf):
    action = synthetic_action("1")
    hidden = list(Commitment.objects.filter(action=action))
    action.unpublish()
    html = main_html(client.get(matrix_url(charter_page)))
    assert 'id="action-1"' not in html
    for commitment in hidden:
        assert f'engagement-{commitment.pk}"' not in html
        assert client.get(history_url(commitment)).status_code == 404
    partner_html = main_html(client.get(partner_url(hidden[0].partner)))
    assert f'id="engagement-{hidden[0].pk}"' not in partner_html


def test_matrix_query_count_does_not_grow_with_commitments(
    client, charter_page, caf, adil, django_assert_max_num_queries
):
    client.get(matrix_url(charter_page))  # warm the per-process caches (content types…)
    with django_assert_max_num_queries(MATRIX_QUERIES):
        assert client.get(matrix_url(charter_page)).status_code == 200
    add_commitments(caf, 50)
    add_commitments(adil, 25)
    with django_assert_max_num_queries(MATRIX_QUERIES):
        response = client.get(matrix_url(charter_page))
    assert "20 engagements" not in main_html(response)
    assert "95 engagements" in main_html(response)


# --- The partners --------------------------------------------------------------------------


def test_partner_list_shows_every_partner_with_counts(client, charter_page, caf):
    response = client.get(reverse("engagements_public:partner_list"))
    assert response.status_code == 200
    html = main_html(response)
    assert len(re.findall(r'<tr id="partenaire-', html)) == 6
    assert "<caption>" in html
    row = html[html.index('id="partenaire-caf"') :]
    row = row[: row.index("</tr>")]
    assert f"<td>{Commitment.objects.filter(partner=caf).count()}</td>" in row
    assert "Partenaire signataire" in row
    assert "<progress" in row and "Réalisés : 17 %" in row  # 1 of its 6 commitments
    assert_headings_ok(html)


def test_partner_list_skips_partners_outside_published_charters(client):
    Partner.objects.create(name="Association sans engagement", short_name="ASE", slug="ase")
    html = main_html(client.get(reverse("engagements_public:partner_list")))
    assert "Association sans engagement" not in html
    assert client.get("/partenaires/ase/").status_code == 404


def test_partner_list_query_count_does_not_grow(client, caf, adil, django_assert_max_num_queries):
    url = reverse("engagements_public:partner_list")
    client.get(url)
    with django_assert_max_num_queries(PARTNER_LIST_QUERIES):
        client.get(url)
    add_commitments(caf, 50)
    add_commitments(adil, 10)
    with django_assert_max_num_queries(PARTNER_LIST_QUERIES):
        response = client.get(url)
    row = main_html(response)[main_html(response).index('id="partenaire-caf"') :]
    assert f"<td>{Commitment.objects.filter(partner=caf).count()}</td>" in row[: row.index("</tr>")]


def test_partner_page_lists_its_commitments_by_orientation_and_action(client, caf):
    response = client.get(partner_url(caf))
    assert response.status_code == 200
    html = main_html(response)
    commitments = list(Commitment.objects.filter(partner=caf))
    assert len(commitments) > 0
    for commitment in commitments:
        assert f'id="engagement-{commitment.pk}"' in html
        assert f'href="{history_url(commitment)}"' in html
    assert 'id="partenaire-caf"' in html
    assert 'id="orientation-1"' in html and 'id="action-1"' in html
    hidden_context = '<span class="visually-hidden"> de l\'engagement n° '
    assert html.count(hidden_context) == len(commitments)
    assert "Partenaire signataire" in html and "15 janvier 2020" in html
    assert f"<dd>{len(commitments)}</dd>" in html
    assert "<progress" in html
    assert_headings_ok(html)


def test_partner_page_shows_progress_due_date_overdue_and_narrative(client, caf, superuser):
    commitment = Commitment.objects.filter(partner=caf).order_by("pk").first()
    commitment_update(
        commitment=commitment,
        user=superuser,
        status=CommitmentStatus.IN_PROGRESS,
        progress=35,
        narrative="Un **premier** bilan a été partagé.",
        reason=SECRET_REASON,
        expected_version=None,
        details={"due_date": datetime.date(2019, 3, 31)},
    )
    html = main_html(client.get(partner_url(caf)))
    item = html[html.index(f'id="engagement-{commitment.pk}"') :]
    item = item[: item.index("</li>")]
    assert "badge--in_progress" in item and "En cours" in item
    assert '<progress max="100" value="35"' in item and "Avancement : 35 %" in item
    assert "31 mars 2019" in item
    assert "en retard" in item
    assert "<strong>premier</strong>" in item
    assert SECRET_REASON not in html


def test_partner_page_shows_the_declaration_and_signature_record(client, charter_page):
    from charter.choices import SignatureStatus
    from charter.models import Signature

    upt = Partner.objects.get(slug="upt")
    Signature.objects.filter(charter=charter_page, partner=upt).update(
        status=SignatureStatus.SIGNED,
        signer_name="Jean Exemple",
        signer_title="Président",
        signed_on=datetime.date(2017, 12, 12),
    )
    html = main_html(client.get(partner_url(upt)))
    declaration = Declaration.objects.get(partner=upt)
    assert declaration.title.replace("'", "&#x27;") in html
    assert f'id="declaration-{declaration.pk}"' in html
    assert "État de la signature : Signée, le 12 décembre 2017 par Président Jean Exemple" in html
    # The declaration is signed by whoever signed for the partner: one record, one truth.
    assert "<br>Président Jean Exemple</p>" in html
    assert "Signée le 15 janvier 2020" not in html
    assert_headings_ok(html)


def test_partner_unknown_or_unpublished_is_404(client, charter_page, caf):
    assert client.get("/partenaires/inconnu/").status_code == 404
    charter_page.unpublish()
    assert client.get(partner_url(caf)).status_code == 404
    html = main_html(client.get(reverse("engagements_public:partner_list")))
    assert 'id="partenaire-caf"' not in html


def test_unpublished_orientation_hides_its_commitments(client, charter_page, caf):
    orientation = OrientationPage.objects.child_of(charter_page).get(number=1)
    commitment = Commitment.objects.filter(
        partner=caf, action__path__startswith=orientation.path
    ).first()
    orientation.unpublish()  # its actions stay live: the commitments must still be hidden
    assert ActionPage.objects.get(pk=commitment.action_id).live
    assert client.get(history_url(commitment)).status_code == 404
    assert f'id="engagement-{commitment.pk}"' not in main_html(client.get(partner_url(caf)))
    assert f'engagement-{commitment.pk}"' not in main_html(client.get(matrix_url(charter_page)))


def test_view_restricted_charter_is_not_public(client, charter_page, caf):
    from wagtail.models import PageViewRestriction

    commitment = Commitment.objects.filter(partner=caf).first()
    PageViewRestriction.objects.create(
        page=charter_page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert client.get(matrix_url(charter_page)).status_code == 404
    assert client.get(history_url(commitment)).status_code == 404
    assert client.get(partner_url(caf)).status_code == 404
    assert 'id="partenaire-caf"' not in main_html(
        client.get(reverse("engagements_public:partner_list"))
    )


def test_partner_page_query_count_does_not_grow(client, caf, django_assert_max_num_queries):
    client.get(partner_url(caf))
    with django_assert_max_num_queries(PARTNER_QUERIES):
        client.get(partner_url(caf))
    add_commitments(caf, 50)
    with django_assert_max_num_queries(PARTNER_QUERIES):
        response = client.get(partner_url(caf))
    assert "Engagement supplémentaire n° 49" in main_html(response)


# --- The history ---------------------------------------------------------------------------


def test_history_shows_status_changes_without_user_or_reason(client, changed_commitment):
    response = client.get(history_url(changed_commitment))
    assert response.status_code == 200
    html = main_html(response)
    assert "Non démarré" in html and "En cours" in html and "Bloqué" in html
    assert "Avancement : 40 %" in html
    assert html.count("<li>") == 3  # creation, not started → in progress, → blocked
    assert "Jeanne" not in html and "Responsable</" not in html
    assert "Premières réunions" not in html  # narratives belong to the partner page
    assert_no_private_data(response.content.decode())
    assert_headings_ok(html)


def test_no_owner_nor_reason_on_any_public_page(client, charter_page, changed_commitment):
    commitment = changed_commitment
    for url in (
        matrix_url(charter_page),
        reverse("engagements_public:partner_list"),
        partner_url(commitment.partner),
        history_url(commitment),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_no_private_data(response.content.decode())
        assert "Jeanne Responsable" not in response.content.decode()


def test_internal_comments_never_shown(client, changed_commitment, superuser):
    from engagements.models import CommitmentComment

    CommitmentComment.objects.create(
        commitment=changed_commitment, author=superuser, text="Commentaire interne secret"
    )
    for url in (history_url(changed_commitment), partner_url(changed_commitment.partner)):
        assert "Commentaire interne secret" not in client.get(url).content.decode()


def test_history_unknown_is_404(client, charter_page, changed_commitment):
    assert client.get("/engagements/historique/999999/").status_code == 404
    charter_page.unpublish()
    assert client.get(history_url(changed_commitment)).status_code == 404


def test_history_query_count_is_bounded(
    client, changed_commitment, superuser, django_assert_max_num_queries
):
    client.get(history_url(changed_commitment))
    with django_assert_max_num_queries(HISTORY_QUERIES):
        client.get(history_url(changed_commitment))
    for status in [CommitmentStatus.IN_PROGRESS, CommitmentStatus.ACHIEVED] * 10:
        commitment_change_status(
            commitment=changed_commitment,
            user=superuser,
            status=status,
            reason="Suivi",
            evidence_url="https://example.org/bilan",
        )
    with django_assert_max_num_queries(HISTORY_QUERIES):
        response = client.get(history_url(changed_commitment))
    assert main_html(response).count("<li>") == 23


def test_acronyms_of_the_lexicon_are_linked_in_commitment_texts(client, charter_page, caf):
    from glossary.models import LexiconEntry

    LexiconEntry.objects.get_or_create(
        charter=charter_page, term="ZQXW", defaults={"definition": "Sigle de test"}
    )
    commitment = Commitment.objects.filter(partner=caf).order_by("pk").first()
    commitment.text = "Informer la ZQXW chaque trimestre."
    commitment.narrative = "La ZQXW a été informée."
    commitment.save()
    for url in (partner_url(caf), history_url(commitment)):
        html = main_html(client.get(url))
        assert '<abbr title="Sigle de test">ZQXW</abbr>' in html


# --- Safety --------------------------------------------------------------------------------


def test_script_in_commitment_text_never_reaches_the_pages(client, charter_page, caf):
    commitment = Commitment.objects.filter(partner=caf).order_by("pk").first()
    commitment.text = 'Texte <script>alert("x")</script> et <img src=x onerror=alert(1)> fin'
    commitment.narrative = "<script>alert(2)</script>Récit"
    commitment.save()
    for url in (matrix_url(charter_page), partner_url(caf), history_url(commitment)):
        page = client.get(url).content.decode()
        html = main_html_text(page)
        assert "<script" not in html
        assert "<script>" not in page
        assert "onerror" not in html
        assert "alert(" not in page


def test_charter_links_include(charter_page):
    from django.template.loader import render_to_string

    html = render_to_string(
        "engagements/public/includes/charter_links.html", {"charter": charter_page}
    )
    assert f'href="{matrix_url(charter_page)}"' in html
    assert f'href="{reverse("engagements_public:partner_list")}"' in html


def test_public_pages_are_anonymous_and_in_french(client, charter_page, caf):
    response = client.get(partner_url(caf))
    assert '<html lang="fr"' in response.content.decode()
    assert "<title>Caisse d&#x27;allocations familiales — engagements" in (
        response.content.decode()
    )
    assert 'aria-current="page"' in response.content.decode()  # the breadcrumb's last item

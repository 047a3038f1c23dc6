"""The charter and action pages' commitments drawn from rows and memoised items (issue 19).

`{% commitments_by_partner %}` prints the bytes of the include it replaced; each `<li>` is kept
per worker in `commitment_tags.item_cache`, keyed by everything it shows: a change to a
commitment, a partner's name, the lexicon or the day (« en retard ») shows on the next render.
"""

import datetime
import re

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone

from charter.models import ActionPage, Partner
from charter.models.pages import commitment_groups_by_action
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.services import commitment_update
from engagements.templatetags.commitment_tags import item_cache
from engagements.tests.factories import CommitmentFactory
from glossary.models import LexiconEntry
from glossary.selectors import lexicon_for_charter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_page_cache")]

# templates/charter/includes/commitments_by_partner.html before issue 19 (its <li> is checked
# against the template code before it in test_commitment_item.py).
INCLUDE_CODE = (
    "{% load commitment_tags %}{% comment %}Commitments of one action grouped by partner: groups "
    "= [(partner, [commitment, …])], level = heading level of the partner names.{% endcomment %}\n"
    """{% for partner, commitments in groups %}
<div class="partner-commitments">
  {% if level == 4 %}<h4 id="action-{{ action.code }}-partenaire-{{ partner.slug }}">{{ partner.name }}</h4>{% else %}<h3 id="action-{{ action.code }}-partenaire-{{ partner.slug }}">{{ partner.name }}</h3>{% endif %}
  <ul class="commitments">
    {% for commitment in commitments %}
    {% commitment_item commitment partner action lexicon %}
    {% endfor %}
  </ul>
</div>
{% endfor %}
"""  # noqa: E501
)
TAG = "{% load commitment_tags %}{% commitments_by_partner groups action lexicon level %}"


@pytest.fixture
def _no_page_cache():
    with override_settings(PUBLIC_CACHE_SECONDS=0):
        yield


@pytest.fixture(autouse=True)
def _fresh_items():
    item_cache.clear()
    yield
    item_cache.clear()


def item(html: str, commitment: Commitment) -> str:
    match = re.search(rf'<li id="engagement-{commitment.pk}">(.*?)\n    </li>', html, re.S)
    assert match, f"engagement {commitment.pk} absent de la page"
    return match.group(1)


def instance_groups(action):
    groups: dict = {}
    for commitment in action.commitments.select_related("partner"):
        groups.setdefault(commitment.partner, []).append(commitment)
    return list(groups.items())


def test_the_tag_prints_the_includes_bytes_from_rows_and_from_instances(charter_page):
    actions = list(ActionPage.objects.descendant_of(charter_page).order_by("number"))
    rows = commitment_groups_by_action([action.pk for action in actions])
    Partner.objects.filter(short_name="CAF").update(name="Caisse d'allocations <familiales>")
    lexicons = (lexicon_for_charter(charter=charter_page), None)
    compared = 0
    for action in actions:
        for groups in (instance_groups(action), rows.get(action.pk, [])):
            for lexicon in lexicons:
                for level in (4, 3):
                    context = {"groups": groups, "action": action, "lexicon": lexicon}
                    context["level"] = level
                    expected = Template(INCLUDE_CODE).render(Context(context))
                    assert Template(TAG).render(Context(context)) == expected
                    compared += bool(groups)
    assert compared == 6 * 2 * 2 * 2  # every action of the synthetic charter has commitments


def test_rows_come_in_the_commitments_order_grouped_by_partner(charter_page):
    actions = list(ActionPage.objects.descendant_of(charter_page))
    rows = commitment_groups_by_action([action.pk for action in actions])
    for action in actions:
        expected = [
            (commitment.partner_id, commitment.pk) for commitment in action.commitments.all()
        ]  # Meta ordering: partner name, action, position
        got = [(partner.pk, row.pk) for partner, items in rows[action.pk] for row in items]
        assert got == expected
        assert len({partner.pk for partner, _items in rows[action.pk]}) == len(rows[action.pk])


def test_one_query_for_every_commitment_of_the_charter(charter_page, django_assert_num_queries):
    ids = list(ActionPage.objects.descendant_of(charter_page).values_list("pk", flat=True))
    with django_assert_num_queries(1):
        rows = commitment_groups_by_action(ids)
    assert sum(len(items) for groups in rows.values() for _partner, items in groups) == 20


@pytest.fixture
def commitment(charter_page):
    """UPT's commitment on action 3 (its text names the CCAPEX), in progress, due in 15 days."""
    return Commitment.objects.for_charter(charter_page).get(
        partner__short_name="UPT", action__number=3
    )


@pytest.fixture
def pages(charter_page, commitment):
    return (charter_page.url, commitment.action.url)


def test_a_commitment_change_shows_on_the_next_render(client, pages, commitment, superuser):
    for url in pages:
        assert "badge--in_progress" in item(client.get(url).content.decode(), commitment)
    assert len(item_cache) > 0
    Commitment.objects.filter(pk=commitment.pk).update(text="Texte revu : saisir le FSL.")
    for url in pages:
        html = item(client.get(url).content.decode(), commitment)
        assert "Texte revu" in html and "occupants sans droit" not in html
    Commitment.objects.filter(pk=commitment.pk).update(due_date=datetime.date(2031, 1, 2))
    for url in pages:
        assert "échéance : 02/01/2031" in item(client.get(url).content.decode(), commitment)
    commitment_update(
        commitment=Commitment.objects.get(pk=commitment.pk),
        user=superuser,
        status=CommitmentStatus.BLOCKED,
        progress=70,
        narrative="Réunion avec la **CCAPEX** reportée.",
        reason="Point d'étape",
        expected_version=None,
    )
    for url in pages:
        html = item(client.get(url).content.decode(), commitment)
        assert "badge--blocked" in html and "badge--in_progress" not in html
        assert "Point d'avancement</strong> du <time" in html
        assert "<strong>" in html
    Commitment.objects.filter(pk=commitment.pk).update(status=CommitmentStatus.ABANDONED)
    for url in pages:
        html = item(client.get(url).content.decode(), commitment)
        assert "badge--abandoned" in html and "badge--blocked" not in html


def test_a_partner_name_change_shows_on_the_next_render(client, pages, commitment):
    for url in pages:
        client.get(url)
    Partner.objects.filter(pk=commitment.partner_id).update(
        name="Union des propriétaires renommée", short_name="UPR"
    )
    for url in pages:
        html = client.get(url).content.decode()
        assert "(UPR, action 3)" in item(html, commitment)
        assert "(UPT, action 3)" not in html
        assert ">Union des propriétaires renommée</h" in html


def test_a_lexicon_change_shows_in_the_items_on_the_next_render(
    client, pages, commitment, charter_page
):
    for url in pages:
        assert 'title="Commission de coordination' in item(
            client.get(url).content.decode(), commitment
        )
    LexiconEntry.objects.filter(charter=charter_page, term="CCAPEX").update(
        definition="Commission revue"
    )
    for url in pages:
        html = item(client.get(url).content.decode(), commitment)
        assert 'title="Commission revue"' in html
        assert "Commission de coordination" not in html


def test_overdue_follows_the_day_on_the_next_render(client, pages, commitment, monkeypatch):
    today = timezone.localdate()
    Commitment.objects.filter(pk=commitment.pk).update(due_date=today)
    for url in pages:
        assert "badge--overdue" not in item(client.get(url).content.decode(), commitment)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(1))
    for url in pages:
        assert "badge--overdue" in item(client.get(url).content.decode(), commitment)


def test_the_pages_query_count_does_not_grow_with_the_commitments(
    client, pages, commitment, django_assert_max_num_queries
):
    """20 queries for the synthetic charter page (21 before issue 19's rows: the partners were
    prefetched), 20 for its action page; the same with more commitments and partners."""
    budgets = dict(zip(pages, (20, 20), strict=True))
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
    for n in range(3):
        CommitmentFactory(action=commitment.action, position=n + 1)  # a new partner each
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            html = client.get(url).content.decode()
        assert html.count("Engagement de test n°") == 3


def test_a_shared_commitment_names_the_partners_it_is_shared_with(
    client, pages, commitment, django_assert_max_num_queries
):
    """Under its porteur, a shared commitment says who shares it (« avec X et Y »), as the
    matrix and the partner pages do; one more query, only when the charter has one."""
    from charter.tests.factories import PartnerFactory
    from engagements.tests.factories import SharedCommitmentFactory

    others = [
        PartnerFactory(name="Zeta partenaire", short_name="ZZ-B"),
        PartnerFactory(name="Alpha partenaire", short_name="AA-A"),
    ]
    shared = SharedCommitmentFactory(action=commitment.action, position=9, co_partners=others)
    for url in pages:
        client.get(url)  # warm: content types and site root cached per process
        with django_assert_max_num_queries(21):
            html = client.get(url).content.decode()
        assert " · avec AA-A et ZZ-B · " in item(html, shared)  # by the partners' names
        assert " · avec " not in item(html, commitment)
    shared.co_partners.remove(others[1])
    for url in pages:
        assert " · avec ZZ-B · " in item(client.get(url).content.decode(), shared)

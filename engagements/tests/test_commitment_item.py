"""`{% commitment_item %}` prints exactly what the include's template code printed (issue 19)."""

import datetime

import pytest
from django.template import Context, Template

from engagements.models import Commitment
from glossary.selectors import lexicon_for_charter

pytestmark = pytest.mark.django_db

# The <li> of templates/charter/includes/commitments_by_partner.html before issue 19.
TEMPLATE_CODE = (
    "{% load text_tags glossary_tags commitment_tags %}"
    """<li id="engagement-{{ commitment.pk }}">
      {{ commitment.text|markdown|abbreviations:lexicon }}
      <p class="meta">{% status_badges commitment %}{% if commitment.due_date %} · échéance : {{ commitment.due_date|date:"d/m/Y" }}{% endif %} · <a href="{% url 'engagements_public:commitment_history' commitment.pk %}">Historique<span class="visually-hidden"> de l’engagement n° {{ commitment.pk }} ({{ partner.short_name }}, action {{ action.code }})</span></a></p>
      {% if commitment.narrative %}<div class="commitment__narrative"><p><strong>Point d'avancement</strong>{% if commitment.last_reported_at %} du <time datetime="{{ commitment.last_reported_at|date:'Y-m-d' }}">{{ commitment.last_reported_at|date_fr }}</time>{% endif %}</p>{{ commitment.narrative|markdown|abbreviations:lexicon }}</div>{% endif %}
    </li>"""  # noqa: E501
)
TAG = "{% load commitment_tags %}{% commitment_item commitment partner action lexicon %}"


def test_the_tag_prints_the_template_codes_bytes(charter_page):
    commitments = list(
        Commitment.objects.for_charter(charter_page).select_related("partner", "action")
    )
    first, second = commitments[0], commitments[1]
    first.narrative = "Réunion avec la **CAF** & l'ADIL <script>x</script>\n\n- un\n- deux"
    first.last_reported_at = datetime.datetime(2024, 3, 1, 23, 30, tzinfo=datetime.UTC)
    first.due_date = datetime.date(2021, 5, 4)
    second.narrative = "Sans date de point."
    second.last_reported_at = None
    second.text = "Texte avec < et > et « guillemets »"
    lexicons = (lexicon_for_charter(charter=charter_page), None)
    for lexicon in lexicons:
        for commitment in commitments:
            context = {
                "commitment": commitment,
                "partner": commitment.partner,
                "action": commitment.action,
                "lexicon": lexicon,
            }
            expected = Template(TEMPLATE_CODE).render(Context(context))
            assert Template(TAG).render(Context(context)) == expected
    assert "2 mars 2024" in Template(TAG).render(
        Context({"commitment": first, "partner": first.partner, "action": first.action})
    )  # 23:30 UTC is the next day in Paris: local time, as the date filter shows it


# The <li> of engagements/public/partner_detail.html before issue 19.
PARTNER_CODE = (
    "{% load text_tags glossary_tags commitment_tags %}"
    """<li id="engagement-{{ commitment.pk }}" class="commitment">
      <div class="commitment__text">{{ commitment.text|markdown|abbreviations:group.lexicon }}</div>
      <p class="meta">{% status_badges commitment %}{% if commitment.co_partners.all %}
        · Engagement partagé {% shared_with commitment partner %}{% endif %}
        · {% include "engagements/public/includes/progress.html" with value=commitment.progress %}
        {% if commitment.due_date %}· Échéance : <time datetime="{{ commitment.due_date|date:'Y-m-d' }}">{{ commitment.due_date|date_fr }}</time>{% endif %}
        · <a href="{% url 'engagements_public:commitment_history' pk=commitment.pk %}">Historique<span class="visually-hidden"> de l'engagement n° {{ commitment.pk }}</span></a></p>
      {% if commitment.narrative %}<div class="commitment__narrative"><p><strong>Point d'avancement</strong>{% if commitment.progress_note_date %} du <time datetime="{{ commitment.progress_note_date|date:'Y-m-d' }}">{{ commitment.progress_note_date|date_fr }}</time>{% endif %}</p>{% if commitment.progress_note_predates %}<p class="meta">Ce point d'avancement est antérieur au passage au statut « {{ commitment.get_status_display }} », le <time datetime="{{ commitment.progress_note_predates|date:'Y-m-d' }}">{{ commitment.progress_note_predates|date_fr }}</time> : il peut ne plus refléter la situation.</p>{% endif %}{{ commitment.narrative|markdown|abbreviations:group.lexicon }}</div>{% endif %}
      {% include "engagements/public/includes/evidence.html" with evidence=commitment.public_evidence %}
    </li>"""  # noqa: E501
)
PARTNER_TAG = (
    "{% load commitment_tags %}{% partner_commitment_item commitment partner group.lexicon %}"
)


def test_the_partner_page_tag_prints_the_template_codes_bytes(charter_page, caf, adil):
    from types import SimpleNamespace

    from engagements import selectors
    from engagements.tests.factories import SharedCommitmentFactory

    SharedCommitmentFactory(partner=caf, action=caf.commitments.first().action, position=80,
                            co_partners=[adil], text="Avec l'ADIL & « elle »")  # fmt: skip
    commitments = selectors.public_commitments_for_partner(partner=caf)
    selectors.public_progress_note_dates(commitments=commitments)
    document = SimpleNamespace(url="/documents/1/preuve.pdf?a=1&b=2", title="Bilan <2024> « CAF »")
    evidences = [
        None,
        {"url": "https://example.org/?x=1&y=2", "document": None},
        {"url": "", "document": document},
        {"url": "https://example.org/", "document": document},
    ]
    for index, commitment in enumerate(commitments):
        commitment.public_evidence = evidences[index % len(evidences)]
        if index % 2:
            commitment.narrative = "Point avec la **CAF** & l'ADIL <script>x</script>\n\n- un"
            commitment.progress_note_date = datetime.date(2024, 3, 1)
        if index % 3 == 1:
            commitment.progress_note_predates = datetime.date(2025, 1, 31)
    assert any(c.co_partners.all() for c in commitments) and len(commitments) >= 4
    for lexicon in (lexicon_for_charter(charter=charter_page), None):
        for commitment in commitments:
            context = {"commitment": commitment, "partner": caf, "group": {"lexicon": lexicon}}
            expected = Template(PARTNER_CODE).render(Context(context))
            assert Template(PARTNER_TAG).render(Context(context)) == expected

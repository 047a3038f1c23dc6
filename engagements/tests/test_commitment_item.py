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
      {% if commitment.narrative %}<div class="commitment__narrative"><p><strong>Point d'avancement</strong>{% if commitment.last_reported_at %} du <time datetime="{{ commitment.last_reported_at|date:'Y-m-d' }}">{{ commitment.last_reported_at|date:"j F Y" }}</time>{% endif %}</p>{{ commitment.narrative|markdown|abbreviations:lexicon }}</div>{% endif %}
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

"""`{% action_fiche %}` prints exactly what the charter page's template code printed (issue 19)."""

import pytest
from django.template import Context, Template

from charter.models import ActionPage
from glossary.selectors import lexicon_for_charter

pytestmark = pytest.mark.django_db

# The fiche of templates/charter/charter_page.html before issue 19.
TEMPLATE_CODE = """{% load text_tags glossary_tags %}{% with fiche=action.fiche %}{% if fiche %}
    <dl class="fiche">
      {% for name, label, text in fiche %}
      <dt id="action-{{ action.code }}-{{ name }}">{{ label }}</dt>
      <dd>{{ text|markdown|abbreviations:lexicon }}</dd>
      {% endfor %}
    </dl>
    {% endif %}{% endwith %}"""
TAG = "{% load charter_tags %}{% action_fiche action lexicon %}"


def test_the_tag_prints_the_template_codes_bytes(charter_page, plan):
    actions = list(ActionPage.objects.descendant_of(plan)) + list(
        ActionPage.objects.descendant_of(charter_page)
    )
    actions[0].objectives = "Les <script>x</script> & la **CAF** « ici »\n\n- un\n- deux"
    actions[0].pilots = "   "  # blank: left out of the fiche
    with_fiche = 0
    for lexicon in (lexicon_for_charter(charter=plan), lexicon_for_charter(charter=charter_page)):
        for lexicon_or_none in (lexicon, None):
            for action in actions:
                context = Context({"action": action, "lexicon": lexicon_or_none})
                expected = Template(TEMPLATE_CODE).render(context)
                assert Template(TAG).render(context) == expected
                with_fiche += bool(expected)
    assert with_fiche == 4 * len([action for action in actions if action.fiche]) >= 4 * 3

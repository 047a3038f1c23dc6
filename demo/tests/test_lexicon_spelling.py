"""Issue 15: the demo lexicon spells « ADIL 75 » as the charter's text and partners do."""

import pytest

from glossary.models import LexiconEntry
from imports.tree import lexicon_spelling


def test_a_term_follows_the_partner_spelling_when_only_spaces_differ():
    spellings = {"adil75": "ADIL 75", "caf": "CAF"}
    assert lexicon_spelling("ADIL75", spellings) == "ADIL 75"
    assert lexicon_spelling("ADIL  75", spellings) == "ADIL 75"
    assert lexicon_spelling("Adil75", spellings) == "ADIL 75"
    assert lexicon_spelling("ADIL", spellings) == "ADIL"  # another term: untouched
    assert lexicon_spelling("DALO", spellings) == "DALO"


@pytest.mark.django_db
def test_the_loaded_demo_lexicon_says_adil_75(paris_charter, client):
    terms = set(LexiconEntry.objects.filter(charter=paris_charter).values_list("term", flat=True))
    assert "ADIL 75" in terms
    assert "ADIL75" not in terms
    html = client.get("/lexique/").content.decode()
    assert ">ADIL 75<" in html and "ADIL75" not in html

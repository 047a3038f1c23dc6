"""Dates as French prose writes them, on every page: « 1er mars 2027 », never « 1 mars 2027 ».

One rule (`core.text.french_date`), one template filter (`date_fr`, a builtin): Django's
`date:"j F Y"` writes « 1 mars ».
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from charter.tests.factories import action_page, charter_page, orientation_page
from engagements.tests.factories import CommitmentFactory
from publishing.services import version_create

FIRST = datetime.date(2027, 3, 1)
JF_DATE = re.compile(r"""date:\s*["']j F""")


def _templates():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [path.parent for path in Path(settings.BASE_DIR).glob("*/templates/")]
    for root in roots:
        yield from root.rglob("*.html")


def test_no_template_writes_a_day_with_django_s_j_f_format():
    offenders = [str(path) for path in _templates() if JF_DATE.search(path.read_text())]
    assert offenders == []


@pytest.mark.django_db
def test_public_pages_write_the_first_of_the_month_in_french(client):
    charter = charter_page(slug="charte-des-dates", title="Charte des dates")
    action = action_page(orientation=orientation_page(charter=charter, number=1), number=1)
    commitment = CommitmentFactory(action=action, due_date=FIRST)
    history = client.get(reverse("engagements_public:commitment_history", args=[commitment.pk]))
    assert 'Échéance : <time datetime="2027-03-01">1er mars 2027</time>' in history.content.decode()
    version_create(charter=charter, name="Avenant", effective_date=FIRST, user=None, is_public=True)
    versions = client.get(reverse("publishing:version_list", args=[charter.slug])).content.decode()
    assert "depuis le 1er mars 2027" in versions

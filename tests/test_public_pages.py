"""Every public page type: a bounded number of SQL queries whatever the amount of data, and no
script from any user-entered field ever reaches the page."""

import datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistance.models import Contact, HelpStagePage
from charter.models import ActionPage, CharterPage, OrientationPage, Partner
from engagements.models import Commitment
from glossary.models import LexiconEntry
from pages.memo import clear_memos
from pages.models import HomePage, StandardPage
from publishing.services import version_create

from .public_pages import PAGE_KINDS, page_path

pytestmark = pytest.mark.django_db

PAYLOAD = (
    '<script>alert("xss")</script><img src=x onerror="alert(1)"> '
    '[lien](javascript:alert(2)) <a href="javascript:alert(3)">x</a>'
)
# For fields of 120 characters at most (PostgreSQL refuses a longer value).
SHORT_PAYLOAD = '<script>alert("xss")</script><img src=x onerror="alert(1)">'
QUERY_BUDGET = 30


class _MarkupAudit(HTMLParser):
    """Collects what a browser would execute: scripts not served by the site, handlers, URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append(f"<script {attributes}>")
        if tag in {"img", "iframe", "object", "embed"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag}[{name}={value}]")


def dangerous_markup(html: str) -> list[str]:
    audit = _MarkupAudit()
    audit.feed(html)
    return audit.found


def count_queries(client, path: str) -> tuple[int, int]:
    clear_memos()  # the first render after a change (pages/memo.py): what the data size may grow
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def add_commitments(charter: CharterPage, per_action: int) -> None:
    """More commitments for one partner on every action, each with a history row."""
    partner = Partner.objects.get(short_name="CAF")
    for action in ActionPage.objects.descendant_of(charter):
        for i in range(per_action):
            commitment = Commitment(
                action=action, partner=partner, position=200 + i, text=f"Engagement ajouté {i}"
            )
            commitment._change_reason = "Ajout pour le test"
            commitment.save()


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_query_count_is_bounded_and_independent_of_the_data_size(
    client, charter_page, plan, public_version, kind
):
    path = page_path(kind, charter_page, plan)
    client.get(path)  # warm the per-process caches (site root paths)
    status, before = count_queries(client, path)
    assert status == (404 if kind == "page-introuvable" else 200)
    assert before <= QUERY_BUDGET, f"{path}: {before} requêtes"
    add_commitments(charter_page, per_action=3)  # 72 more commitments
    _status, after = count_queries(client, page_path(kind, charter_page, plan))
    assert after == before, f"{path}: {before} puis {after} requêtes"


def test_no_script_from_any_field_reaches_any_public_page(client, charter_page, plan):
    charter_page.introduction = PAYLOAD
    charter_page.governance = PAYLOAD
    charter_page.save()
    orientation = OrientationPage.objects.child_of(charter_page).get(number=2)
    orientation.introduction = PAYLOAD
    orientation.save()
    for action in ActionPage.objects.descendant_of(charter_page).filter(number__in=[17, 5]):
        action.constats = PAYLOAD
        action.objectives = PAYLOAD
        action.tagline = PAYLOAD
        action.save()
    fiche = ActionPage.objects.descendant_of(plan).get(code="3-4")
    fiche.legal_framework = PAYLOAD
    fiche.save()
    Commitment.objects.for_charter(charter_page).update(text=PAYLOAD, narrative=PAYLOAD)
    charter_page.declarations.update(text=PAYLOAD, title=PAYLOAD)
    LexiconEntry.objects.filter(term="CAF").update(definition=PAYLOAD)
    Partner.objects.filter(short_name="CAF").update(name=PAYLOAD, short_name="CAF")
    home = HomePage.objects.get()
    home.introduction = PAYLOAD
    home.save()
    HelpStagePage.objects.update(what_to_do=PAYLOAD, description=PAYLOAD, who_helps=PAYLOAD)
    Contact.objects.create(
        name=PAYLOAD,
        what_they_do=PAYLOAD,
        phone="115",
        hours=PAYLOAD,
        address=PAYLOAD,
        territory=SHORT_PAYLOAD,
    ).stages.set(HelpStagePage.objects.all())
    StandardPage.objects.filter(slug="accessibilite").update(body=PAYLOAD)
    version_create(
        charter=charter_page,
        name="Version piégée",
        effective_date=datetime.date(2018, 1, 1),
        user=None,
        is_public=True,
    )
    for kind in PAGE_KINDS:
        path = page_path(kind, charter_page, plan)
        html = client.get(path).content.decode()
        # Escaped text (&lt;script&gt;) is harmless; a tag, a handler or a link is not.
        assert dangerous_markup(html) == [], path

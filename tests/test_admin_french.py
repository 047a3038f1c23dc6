"""The admin speaks French: no generic « un(e) », « Nouvel(le) », « fragment », nor English.

Wagtail's French catalogue is overridden by locale/fr (LOCALE_PATHS); these tests check that the
compiled catalogue matches its source and that the screens the secretariat, co-pilots, committee
and partners use carry none of the generic or English strings the issue listed.
"""

import datetime
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from engagements.services import commitment_propose_update
from monitoring.services import campaign_close, campaign_open

LOCALE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
# Generic or English wording a French user must never meet on these screens.
FORBIDDEN = [
    "un(e)",
    "Nouvel(le)",
    "nouveau(elle)",
    "fragment sélectionné",
    "fragments sélectionnés",
    "Seul les",
    "Moderators approval",
    ">None<",
    ">True<",
    ">False<",
]


def _po_entries(text: str) -> list[tuple[str, str | None, list[str]]]:
    """(msgid, msgid_plural, msgstrs) of a .po file (the subset of the format we write)."""
    entries = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            strings = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append((fields["msgid"], fields.get("msgid_plural"), strings))
    return entries


def test_compiled_catalogue_matches_its_source():
    entries = _po_entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) >= 20
    with open(LOCALE / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, plural, strings in entries:
        if plural:
            assert catalogue.ngettext(msgid, plural, 1) == strings[0], msgid
            assert catalogue.ngettext(msgid, plural, 5) == strings[1], msgid
        else:
            assert catalogue.gettext(msgid) == strings[0], f"{msgid}: run `make messages`"
        for text in strings:
            for word in ("un(e)", "(le)", "fragment"):
                assert word not in text


@pytest.fixture
def screens(db, charter_page, superuser):
    campaign = campaign_open(
        charter=charter_page,
        year=2099,
        deadline=__import__("datetime").date(2099, 1, 1),
        user=None,
    )
    return [
        reverse("wagtailsnippets_engagements_commitment:list"),
        reverse("signatures:index"),
        reverse("signatures:add"),
        reverse("wagtailsnippets_charter_partner:add"),
        reverse("monitoring:dashboard"),
        reverse("monitoring:campaigns"),
        reverse("monitoring:campaign", args=[campaign.pk]),
        reverse("monitoring:campaign_close", args=[campaign.pk]),
    ]


@pytest.mark.django_db
def test_admin_screens_carry_no_generic_or_english_wording(admin_client, screens):
    for url in screens:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        found = [text for text in FORBIDDEN if text in html]
        assert not found, (url, found)


@pytest.mark.django_db
def test_add_screen_title_is_neutral_french(admin_client):
    html = admin_client.get(reverse("signatures:add")).content.decode()
    assert "Création : " in html


# The list, word for word, on the screens of the partner and committee workspace.
FORBIDDEN_PHRASES = [
    "Expected version",
    "Moderators approval",
    "fragment sélectionné",
    "Ajouter un(e)",
    "Nouvel(le)",
    "Modification de Action:",
    "Seul les modérateurs",
    "un(e)",
]
# Python's and Django's values leaking into the page as words.
FORBIDDEN_WORDS = re.compile(r"\b(None|True|False)\b")
# Attributes a user reads or hears (tooltips, placeholders, screen-reader labels, buttons).
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description"}


class VisibleText(HTMLParser):
    """The text a user reads or hears: text nodes outside script/style/template, read attributes
    and the labels of buttons (`<input type=submit value=…>`)."""

    SKIPPED = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        values = dict(attrs)
        for name in READ_ATTRIBUTES & values.keys():
            self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def wording_faults(html: str) -> list[str]:
    """The generic or English strings of the page's visible text (empty when all French)."""
    text = visible_text(html)
    found = [phrase for phrase in FORBIDDEN_PHRASES if phrase in text]
    found += [match.group(0) for match in FORBIDDEN_WORDS.finditer(text)]
    return found


def test_the_scan_finds_what_it_looks_for():
    assert wording_faults("<p>Statut : None</p><button title='Expected version'>x</button>") == [
        "Expected version",
        "None",
    ]
    assert wording_faults("<script>var a = null, b = true, c = 'None';</script><p>Aucun</p>") == []
    assert wording_faults('<input type="submit" value="False">') == ["False"]


@pytest.fixture
def workspace_screens(
    db, charter_page, plan, caf, contributor, copilot, committee_member, secretary
):
    """(role user, URL) of every screen of the partner and committee workspace (issue 14)."""
    first, second, third = caf.commitments.order_by("pk")[:3]
    proposal = commitment_propose_update(
        commitment=third,
        user=contributor,
        status="in_progress",
        progress=40,
        narrative="Premières permanences tenues.",
        reason="Revue annuelle",
        expected_version=third.version,
    )
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    open_campaign = campaign_open(charter=charter_page, year=2097, deadline=deadline, user=None)
    closed_campaign = campaign_open(charter=plan, year=2096, deadline=deadline, user=None)
    campaign_close(campaign=closed_campaign, user=None)
    edit = reverse("wagtailsnippets_engagements_commitment:edit", args=[first.pk])
    bulk = reverse("wagtail_bulk_action", args=("engagements", "commitment", "update"))
    return [
        (contributor, "/admin/"),
        (contributor, reverse("engagements_mine")),
        (contributor, f"{edit}?next=/admin/mes-engagements/"),
        (contributor, reverse("wagtailsnippets_engagements_commitment:edit", args=[third.pk])),
        (contributor, f"{bulk}?id={first.pk}&id={second.pk}&next=/admin/mes-engagements/"),
        (copilot, reverse("engagements_proposals")),
        (copilot, reverse("engagements_proposal_review", args=[proposal.pk])),
        (copilot, reverse("wagtailsnippets_engagements_commitment:inspect", args=[third.pk])),
        (committee_member, reverse("monitoring:dashboard")),
        (committee_member, reverse("monitoring:indicators")),
        (secretary, "/admin/"),
        (secretary, reverse("monitoring:campaigns")),
        (secretary, reverse("monitoring:campaign", args=[open_campaign.pk])),
        (secretary, reverse("monitoring:campaign", args=[closed_campaign.pk])),
        (secretary, reverse("monitoring:campaign_close", args=[open_campaign.pk])),
        (secretary, reverse("monitoring:campaign_reopen", args=[closed_campaign.pk])),
        (secretary, reverse("wagtailadmin_pages:edit", args=[charter_page.pk])),
        (secretary, reverse("wagtailsnippets_engagements_commitment:list")),
    ]


def test_workspace_screens_speak_french_to_each_role(client, workspace_screens):
    faults = {}
    for user, url in workspace_screens:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (user.username, url)
        found = wording_faults(response.content.decode())
        if found:
            faults[f"{user.username} {url}"] = found
    assert faults == {}


def test_snippet_forms_have_a_page_heading(client, contributor, caf):
    """Wagtail's snippet edit template drops the slim header's title: no h1 (axe)."""
    client.force_login(contributor)
    commitment = caf.commitments.order_by("pk").first()
    html = client.get(
        reverse("wagtailsnippets_engagements_commitment:edit", args=[commitment.pk])
    ).content.decode()
    assert re.search(r"<h1[^>]*>\s*\S", html)


def test_campaign_screens_write_the_first_of_the_month_in_french(client, secretary, charter_page):
    """« 1er mars », as French prose writes it (Django's « j F Y » gives « 1 mars »)."""
    today = datetime.date.today()
    first = datetime.date(today.year + 1, 3, 1)
    campaign = campaign_open(charter=charter_page, year=2097, deadline=first, user=None)
    client.force_login(secretary)
    for name in ("monitoring:campaign", "monitoring:campaign_close"):
        html = client.get(reverse(name, args=[campaign.pk])).content.decode()
        assert f"1er mars {first.year}" in html, name

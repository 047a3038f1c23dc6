"""The admin speaks French: no generic « un(e) », « Nouvel(le) », « fragment », nor English.

Wagtail's French catalogue is overridden by locale/fr (LOCALE_PATHS); these tests check that the
compiled catalogue matches its source and that the screens the secretariat, co-pilots, committee
and partners use carry none of the generic or English strings the issue listed.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from monitoring.services import campaign_open

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

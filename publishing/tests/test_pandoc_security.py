"""pandoc never embeds a server file or a fetched URL in the charter DOCX (issue #12, item 1).

User text holding images pointing at a local path (/proc/self/environ, a secret file), a
file:// address and an http://127.0.0.1 address, in Markdown, reference, raw HTML and YAML
metadata forms: the DOCX embeds none of them and nothing is fetched. The annual report:
monitoring/tests/test_report_security.py (same fixtures).
"""

import copy
import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from charter.models import ActionPage
from publishing.docx.export import render_docx
from publishing.services import version_create
from publishing.tests import pandoc_fixtures as fx

pytestmark = pytest.mark.django_db

http_server, hostile_text = fx.http_server, fx.hostile_text
CANARY, media_and_text = fx.CANARY, fx.media_and_text


def test_strip_images_keeps_the_alt_text():
    from publishing.docx.markdown import strip_images

    text = '![a [b] c](/x.png "t"){width=2cm} ![r][ref] <IMG SRC=/y alt="logo"> ![seul]'
    assert strip_images(text) == "a [b] c r logo !\\[seul]"


def test_charter_docx_embeds_no_server_file_nor_url(version_2017, hostile_text, http_server):
    snapshot = copy.deepcopy(version_2017.snapshot)
    action = snapshot["orientations"][0]["actions"][0]
    action["fiche"]["objectives"] = hostile_text
    snapshot["charter"]["introduction"] = hostile_text

    data = render_docx(snapshot, fingerprint=version_2017.fingerprint)

    media, content = media_and_text(data)
    assert media == []
    assert CANARY.encode() not in content
    assert b"DATABASE_URL" not in content and b"SECRET_KEY" not in content
    assert http_server[1] == []  # nothing was fetched
    text = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert "Avant environnement après." in text  # the alt text is kept
    assert "image HTML" in text and "Fin du champ." in text


def test_public_download_of_a_frozen_version_leaks_nothing(
    client, charter_page, superuser, hostile_text, http_server
):
    """The attack as done: a co-pilot's action field, a frozen public version, a download."""
    action = ActionPage.objects.descendant_of(charter_page).live().first()
    action.objectives = hostile_text
    action.save_revision(user=superuser).publish()
    version = version_create(
        charter=charter_page,
        name="Version piégée",
        effective_date=datetime.date(2026, 1, 1),
        user=superuser,
        is_public=True,
    )
    response = client.get(reverse("publishing:version_docx", args=[charter_page.slug, version.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    media, content = media_and_text(data)
    assert media == []
    assert CANARY.encode() not in content
    assert http_server[1] == []


def test_user_text_cannot_replace_the_cover(version_2017):
    """A YAML block in a field would replace the cover's title and the fingerprint shown."""
    snapshot = copy.deepcopy(version_2017.snapshot)
    snapshot["orientations"][0]["actions"][0]["fiche"]["objectives"] = (
        'Objectif.\n\n---\ntitle: "Charte falsifiée"\nabstract: "0000"\n---\n\nSuite.'
    )
    data = render_docx(snapshot, fingerprint=version_2017.fingerprint)
    paragraphs = Document(io.BytesIO(data)).paragraphs
    styled = {p.style.name: p.text for p in paragraphs if p.style.name in ("Title", "Empreinte")}
    assert styled == {"Title": snapshot["charter"]["title"], "Empreinte": version_2017.fingerprint}
    assert not [p for p in paragraphs if p.style.name == "Abstract"]
    assert 'title: "Charte falsifiée"' in "\n".join(p.text for p in paragraphs)  # kept as text

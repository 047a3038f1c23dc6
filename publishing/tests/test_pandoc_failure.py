"""pandoc missing or failing: a clear French message, never a server error; no DOCX cached."""

import pypandoc
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from publishing.docx.export import DocxExportError, cache_path, export_docx

pytestmark = pytest.mark.django_db

MESSAGE = "Le document DOCX n'a pas pu être produit"


@pytest.fixture(params=["missing", "failing"])
def broken_pandoc(request, monkeypatch, tmp_path):
    """pypandoc pointed at a binary that does not exist, or at one that always fails."""
    if request.param == "missing":
        path = tmp_path / "pas-de-pandoc"
    else:
        path = tmp_path / "pandoc"
        path.write_text("#!/bin/sh\necho 'pandoc: erreur simulée' >&2\nexit 3\n")
        path.chmod(0o755)
    # pypandoc keeps the binary's path in a module global (set once, on first use).
    monkeypatch.setattr(pypandoc, "__pandoc_path", str(path))
    return path


def test_export_raises_one_french_error_and_caches_nothing(broken_pandoc, version_2017):
    with pytest.raises(DocxExportError, match=MESSAGE) as caught:
        export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    assert isinstance(caught.value.__cause__, OSError | RuntimeError)
    assert not cache_path(version_2017.fingerprint).exists()


def test_public_download_shows_a_clear_page(broken_pandoc, client, version_2017, charter_page):
    url = reverse("publishing:version_docx", args=[charter_page.slug, version_2017.pk])
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Document momentanément indisponible" in html
    assert MESSAGE.replace("'", "&#x27;") in html


def test_public_pages_still_render_without_the_docx(
    broken_pandoc, client, version_2017, charter_page
):
    detail = client.get(
        reverse("publishing:version_detail", args=[charter_page.slug, version_2017.pk])
    )
    assert detail.status_code == 200
    assert "Le document DOCX de la charte est momentanément indisponible" in detail.content.decode()
    response_page = client.get(charter_page.url)
    assert response_page.status_code == 200


def test_admin_download_redirects_with_an_error_message(broken_pandoc, admin_client, version_2017):
    response = admin_client.get(
        reverse("charter_versions:docx", args=[version_2017.pk]), follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("charter_versions:index")
    messages = [str(m) for m in response.context["messages"]]
    assert any(MESSAGE in m and "Charte 2017" in m for m in messages)


def test_command_fails_with_the_french_message(broken_pandoc, version_2017, tmp_path):
    with pytest.raises(CommandError, match=MESSAGE):
        call_command("export_charter_docx", output=str(tmp_path / "charte.docx"))


def test_a_working_pandoc_again_exports(version_2017):
    assert export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint).size > 10_000

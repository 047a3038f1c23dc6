"""« Importer une charte »: a zip bomb is refused before pandoc; pandoc is bounded (issue #12, 10).

A DOCX is a zip: one that unpacks to far more than it weighs is refused with a French message,
and pandoc never starts. A conversion past PANDOC_TIMEOUT_SECONDS is killed (its process group
too) and reported in French in the form; nothing is saved.
"""

import io
import zipfile

import pypandoc
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from charter.models import CharterPage
from publishing.tests import pandoc_fixtures as fx

pytestmark = pytest.mark.django_db

pandoc_processes, assert_nothing_left_running = fx.pandoc_processes, fx.assert_nothing_left_running

URL = "/admin/imports/charte/"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx_bomb(*, megabytes: int) -> bytes:
    """A small DOCX-looking zip whose document.xml unpacks to `megabytes` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(b'<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>')
            chunk = b"A" * 1024 * 1024
            for _ in range(megabytes):
                handle.write(chunk)
            handle.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def upload(admin_client, name: str, data: bytes):
    return admin_client.post(
        URL, {"file": SimpleUploadedFile(name, data), "title": "", "territory": "Bombeville"}
    )


@pytest.mark.parametrize("megabytes", [60, 5])  # over the size limit / only over the ratio
def test_zip_bomb_is_refused_in_french_before_pandoc(admin_client, pandoc_processes, megabytes):
    data = docx_bomb(megabytes=megabytes)
    assert len(data) < 128 * 1024
    response = upload(admin_client, "charte.docx", data)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any("anormalement volumineux" in error for error in errors)
    assert "anormalement volumineux" in response.content.decode()
    assert pandoc_processes == []  # refused before pandoc ran
    assert "payload" not in response.context
    assert not CharterPage.objects.filter(territory="Bombeville").exists()


def test_an_ordinary_docx_still_imports(admin_client, tmp_path, pandoc_processes):
    path = tmp_path / "charte.docx"
    pypandoc.convert_text(
        "Engagements de la CAF\n\nAxe I : Prévenir\n\nAction 1 : Repérer\n\n- Signaler tôt\n",
        "docx",
        format="markdown",
        outputfile=str(path),
    )
    pandoc_processes.clear()
    response = upload(admin_client, "charte.docx", path.read_bytes())
    assert response.context["form"].errors == {}
    assert response.context["payload"]
    assert all("--sandbox" in process.args for process in pandoc_processes)


def test_conversion_over_the_timeout_is_killed_and_reported_in_french(
    admin_client, settings, tmp_path, pandoc_processes
):
    path = tmp_path / "charte.docx"
    pypandoc.convert_text(
        "Engagements de la CAF\n", "docx", format="markdown", outputfile=str(path)
    )
    pandoc_processes.clear()
    settings.PANDOC_TIMEOUT_SECONDS = 0.01
    response = upload(admin_client, "charte.docx", path.read_bytes())
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "La conversion du document a été interrompue" in errors
    assert "payload" not in response.context
    assert_nothing_left_running(pandoc_processes)
    assert pandoc_processes[0].returncode == -9  # killed, not finished


def test_confirmation_over_the_timeout_saves_nothing_and_says_why(
    admin_client, settings, tmp_path, pandoc_processes
):
    path = tmp_path / "charte.docx"
    pypandoc.convert_text(
        "Engagements de la CAF\n\nAxe I : Prévenir\n\nAction 1 : Repérer\n\n- Signaler tôt\n",
        "docx",
        format="markdown",
        outputfile=str(path),
    )
    payload = upload(admin_client, "charte.docx", path.read_bytes()).context["payload"]
    pandoc_processes.clear()
    settings.PANDOC_TIMEOUT_SECONDS = 0.01
    response = admin_client.post(URL, {"payload": payload}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    messages = [str(m) for m in response.context["messages"]]
    assert any("La conversion du document a été interrompue" in m for m in messages)
    assert not CharterPage.objects.filter(territory="Bombeville").exists()
    assert_nothing_left_running(pandoc_processes)

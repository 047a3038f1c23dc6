"""`manage.py export_charter_docx --output FILE [--version NAME]`."""

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from publishing.docx.export import cache_path
from publishing.models import CharterVersion

pytestmark = pytest.mark.django_db


def test_exports_a_named_version(version_2017, tmp_path, capsys):
    target = tmp_path / "charte.docx"
    call_command(
        "export_charter_docx", output=str(target), version_name="Charte 2017", charter=None
    )
    assert target.read_bytes() == cache_path(version_2017.fingerprint).read_bytes()
    assert version_2017.fingerprint in capsys.readouterr().out


def test_cli_arguments_and_working_copy(charter_page, tmp_path):
    target = tmp_path / "travail.docx"
    call_command("export_charter_docx", "--output", str(target), "--charter", "charte-synthetique")
    header = Document(str(target)).sections[0].header.paragraphs[0].text
    assert header.endswith("— Version de travail")


def test_unknown_version_is_a_clear_error(version_2017, tmp_path):
    with pytest.raises(CommandError, match=r"Aucune version « Avenant 9 ».*« Charte 2017 »"):
        call_command(
            "export_charter_docx", "--output", str(tmp_path / "x.docx"), "--version", "Avenant 9"
        )
    assert not (tmp_path / "x.docx").exists()


def test_several_charters_need_the_charter_option(charter_page, plan, tmp_path):
    # The demo also holds the PDALHPD plan, but only one charter: the default is unambiguous.
    call_command("export_charter_docx", "--output", str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match="Aucune charte avec l'identifiant « inconnue »"):
        call_command(
            "export_charter_docx", "--output", str(tmp_path / "b.docx"), "--charter", "inconnue"
        )


def test_freeze_charter_version_command(charter_page, capsys):
    args = ["--charter", "charte-synthetique", "--name", "Charte 2017", "--date", "2017-12-14"]
    call_command("freeze_charter_version", *args, "--public")
    version = CharterVersion.objects.get()
    assert version.is_public and version.effective_date.isoformat() == "2017-12-14"
    call_command("freeze_charter_version", *args, "--if-missing")
    assert "existe déjà" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"Une version de cette charte porte déjà ce nom\."):
        call_command("freeze_charter_version", *args)
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("freeze_charter_version", *args[:4], "--date", "14/12/2017")
    assert CharterVersion.objects.count() == 1

"""The fixtures corpus (imports/tests/corpus/): every layout départements use, in text, DOCX and
PDF, read with exactly the counts of its manifest; unplaced lines located in the user's file."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command

from imports.parsing import DocumentError, charter_document
from imports.tests.corpus_files import CORPUS, docx_bytes, manifest, pdf_bytes

MANIFEST = manifest()
CASES = [(name, fmt) for name, entry in MANIFEST.items() for fmt in entry["formats"]]


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory):
    """Each corpus document as text, DOCX and PDF, made once per session (LibreOffice is slow)."""
    files = {}
    for name in MANIFEST:
        path = CORPUS / name
        directory = tmp_path_factory.mktemp(path.stem)
        docx_data = docx_bytes(path)
        files[name] = {
            "text": (name, path.read_bytes()),
            "docx": (f"{path.stem}.docx", docx_data),
            "pdf": (f"{path.stem}.pdf", pdf_bytes(docx_data, directory)),
        }
    return files


def counts(document) -> dict[str, int]:
    return {
        "orientations": len(document.orientations),
        "actions": len(document.actions),
        "partners": len(document.partners),
        "commitments": len(document.commitments),
        "shared": len(document.shared_commitments),
        "lexicon": len(document.lexicon),
        "declarations": len(document.declarations),
        "signatories": len(document.signatories),
        "unplaced": len(document.unplaced),
    }


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_corpus_document_meets_its_manifest(corpus_files, name, fmt):
    filename, data = corpus_files[name][fmt]
    document = charter_document(filename=filename, data=data)
    assert counts(document) == MANIFEST[name]["counts"]
    assert [partner.short_name for partner in document.partners] == MANIFEST[name]["short_names"]
    expected_place = {"text": "ligne ", "docx": "paragraphe ", "pdf": "page "}[fmt]
    assert all(item.place.startswith(expected_place) for item in document.unplaced)


def test_sommaire_never_opens_a_section():
    """A sommaire entry without page number (« Annexe 4 : Liste des sigles ») used to turn the
    orientations after it into lexicon entries."""
    document = charter_document(
        filename="creuse.md", data=(CORPUS / "axes-sans-actions.md").read_bytes()
    )
    assert [entry.term for entry in document.lexicon] == ["ADIL", "CAF", "CCAPEX"]
    assert [o.title for o in document.orientations] == [
        "Améliorer l'information des ménages et des bailleurs",
        "Optimiser les moyens d'accompagnement des ménages",
        "Renforcer la coordination des acteurs",
    ]
    assert [a.title for a in document.actions] == ["Engagements des partenaires"] * 3
    assert document.introduction.startswith("La présente charte rassemble")
    assert "Sommaire" not in document.introduction and "...." not in document.introduction
    texts = {item.text for item in document.unplaced}
    assert not any("Préambule" in text or "...." in text for text in texts)


def test_shared_commitments_name_their_partners():
    document = charter_document(
        filename="creuse.md", data=(CORPUS / "axes-sans-actions.md").read_bytes()
    )
    every, _every, joint = document.shared_commitments
    assert every.all_signatories and every.partners == () and every.action_key == ""
    partners = [document.partners[i].short_name for i in joint.partners]
    assert partners == ["CAF", "Département"] and joint.action_key
    assert not joint.all_signatories and joint.shared
    # A shared commitment of an action is stored (imports.tree); one without an action is kept
    # « À placer », so that none is lost.
    assert not [item for item in document.unplaced if item.text == joint.markdown]
    reasons = [item.reason for item in document.unplaced if item.text == every.markdown]
    assert reasons == [
        "engagement partagé (tous les signataires) sans action : à rattacher à une action"
    ]
    # « L'ADIL s'engage à … » in one paragraph is the ADIL's commitment (not a new partner).
    adil = [c.text for c in document.commitments_of(1)]
    assert adil[-1] == "Former les travailleurs sociaux au droit du logement chaque année."


def test_declaration_matched_on_its_acronym():
    document = charter_document(
        filename="sarthe.txt", data=(CORPUS / "etapes-procedure.txt").read_bytes()
    )
    (declaration,) = document.declarations
    assert declaration.title == "Déclaration de l'UNPI Paris"
    assert declaration.partner_short_name_or_name == "UNPI 75"
    assert declaration.match == "sigle « UNPI »"
    assert [o.title for o in document.orientations][-1] == "Après l'expulsion"


def test_signatories_page(corpus_files):
    document = charter_document(
        filename="morbihan.md", data=(CORPUS / "sections-partenaires.md").read_bytes()
    )
    names = [document.partners[s.partner].short_name for s in document.signatories]
    assert names == ["État", "Département", "CAF", "ARBS", "UDAF"]
    assert "Fait à" not in document.introduction


def test_docx_lines_are_word_paragraph_numbers(corpus_files):
    filename, data = corpus_files["etapes-procedure.txt"]["docx"]
    document = charter_document(filename=filename, data=data)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    for item in document.unplaced:
        number = int(item.place.removeprefix("paragraphe "))
        assert item.text[1:30] in paragraphs[number - 1]


def test_text_lines_are_the_file_lines():
    data = (CORPUS / "etapes-procedure.txt").read_bytes()
    document = charter_document(filename="sarthe.txt", data=data)
    lines = data.decode().split("\n")
    for item in document.unplaced:
        assert item.text[1:30] in lines[item.line - 1]
        assert item.place == f"ligne {item.line}"


BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_pdf_without_text_needs_ocr():
    with pytest.raises(DocumentError, match="reconnaissance de caractères"):
        charter_document(filename="scan.pdf", data=BLANK_PDF)


@pytest.mark.django_db
def test_dry_run_without_orientation_or_commitment_fails(tmp_path):
    path = tmp_path / "lettre.txt"
    path.write_text("Madame, Monsieur,\n\nVeuillez trouver ci-joint notre charte.\n")
    with pytest.raises(CommandError, match="aucune orientation ni aucun engagement"):
        call_command("import_charter", str(path), "--dry-run")


def test_shared_commitments_are_stored_once_with_their_co_partners(secretary):
    from engagements.models import Commitment
    from imports.services import charter_import_save

    document = charter_document(
        filename="creuse.md", data=(CORPUS / "axes-sans-actions.md").read_bytes()
    )
    joint = next(c for c in document.shared_commitments if c.action_key and not c.all_signatories)
    charter = charter_import_save(document=document, filename="creuse.md", user=secretary)
    stored = Commitment.objects.filter(action__path__startswith=charter.path, text=joint.markdown)
    (commitment,) = stored
    assert commitment.partner.short_name == "CAF"
    assert [p.short_name for p in commitment.co_partners.all()] == ["Département"]
    kept = charter.unplaced_lines.values_list("text", flat=True)
    assert joint.markdown not in kept

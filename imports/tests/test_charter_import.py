"""Charter documents: partner-first and orientation-first layouts, OCR noise, round trip."""

import pypandoc
import pytest
from django.core.management import call_command

from charter.models import ActionPage, CharterPage, OrientationPage
from charter.parsing import parse_document
from engagements.models import Commitment
from imports.parsing import document_text
from imports.services import charter_import_save
from imports.tests.charter_markdown import charter_markdown

PARTNER_FIRST = """
Charte départementale de prévention des expulsions locatives du Cantal

Engagements de la Caisse d'allocations familiales (CAF)

Axe I : Prévenir le plus tôt possible

Action 1 : Repérer les impayés

- Signaler les impayés dès le deuxième mois
- Proposer un rendez-vous
 - par téléphone
 - par courrier

Axe II : Coordonner

Action 2 : Partager les informations

- Transmettre les signalements à la CCAPEX

Le Conseil départemental

Axe I : Prévenir le plus tôt possible

Action 1 : Repérer les impayés

- Mobiliser le FSL au plus tôt

Lexique

CAF : Caisse d'allocations familiales
FSL : Fonds de solidarité pour le logement
"""

ORIENTATION_FIRST_OCR = """
# Charte de prévention de l'expulsion locative de l'Aude

Le présent document engage les partenaires.

## Orientation 1 : <p>Mieux informer</p>

### Action : Informer les locataires

**La CAF s'engage à :**

- Envoyer un courrier d'information sur I'accès aux droits
- Mettre en ceuvre un accueil dédié

Fédération des huissiers (FDH) :

- Remettre la plaquette lors du commandement de payer

### Action : Former les acteurs

Un texte d'introduction sans partenaire.

La CAF s'engage à :

- Former les travailleurs sociaux

## Orientation 2 : Agir ensemble

### Action 3-2 : Créer une cellule

Partenaire : Direction départementale de l'emploi, du travail et des solidarités (DDETS)

- Animer la cellule

## Glossaire

| Sigle | Définition |
| --- | --- |
| FDH | Fédération des huissiers |
"""


def test_partner_first_layout():
    document = parse_document(PARTNER_FIRST)
    assert document.layout == "partenaires d'abord"
    assert document.title.startswith("Charte départementale")
    assert [(o.number, o.title) for o in document.orientations] == [
        (1, "Prévenir le plus tôt possible"),
        (2, "Coordonner"),
    ]
    assert [a.code for a in document.actions] == ["1", "2"]
    assert [(p.name, p.short_name) for p in document.partners] == [
        ("Caisse d'allocations familiales", "CAF"),
        ("Conseil départemental", "Conseil départemental"),
    ]
    caf = document.commitments_of(0)
    assert [c.markdown for c in caf] == [
        "Signaler les impayés dès le deuxième mois",
        "Proposer un rendez-vous\n\n- par téléphone\n- par courrier",
        "Transmettre les signalements à la CCAPEX",
    ]
    assert [c.action_key for c in document.commitments_of(1)] == ["1"]
    assert [e.term for e in document.lexicon] == ["CAF", "FSL"]


def test_orientation_first_layout_unnumbered_actions_and_ocr_noise():
    document = parse_document(ORIENTATION_FIRST_OCR)
    assert document.layout == "orientations d'abord"
    assert [o.title for o in document.orientations] == ["Mieux informer", "Agir ensemble"]
    assert [(a.code, a.title) for a in document.actions] == [
        ("1", "Informer les locataires"),
        ("2", "Former les acteurs"),
        ("3-2", "Créer une cellule"),
    ]
    names = [(p.name, p.short_name) for p in document.partners]
    assert names == [
        ("CAF", "CAF"),
        ("Fédération des huissiers", "FDH"),
        ("Direction départementale de l'emploi, du travail et des solidarités", "DDETS"),
    ]
    texts = [c.text for c in document.commitments]
    assert "Envoyer un courrier d'information sur l'accès aux droits" in texts
    assert "Mettre en œuvre un accueil dédié" in texts
    keys = [c.action_key for c in document.commitments_of(0)]
    assert keys == ["informer les locataires", "informer les locataires", "former les acteurs"]
    assert [u.text for u in document.unplaced] == ["Un texte d'introduction sans partenaire."]
    assert document.introduction == "Le présent document engage les partenaires."
    assert [(e.term, e.definition) for e in document.lexicon] == [
        ("FDH", "Fédération des huissiers")
    ]


@pytest.mark.django_db
def test_import_charter_command_saves_unpublished_draft(tmp_path, capsys):
    path = tmp_path / "aude.md"
    path.write_text(ORIENTATION_FIRST_OCR)
    call_command("import_charter", str(path), "--territory", "Aude")
    output = capsys.readouterr().out
    assert "Non placé : 1 ligne(s)" in output and "Brouillon créé" in output
    charter = CharterPage.objects.get(title__startswith="Charte de prévention de l'expulsion")
    assert not charter.live and charter.lifecycle_status == "draft"
    assert charter.territory == "Aude"
    actions = ActionPage.objects.descendant_of(charter)
    assert actions.count() == 3 and not actions.filter(live=True).exists()
    commitments = Commitment.objects.filter(action__in=actions)
    assert commitments.count() == 5
    assert "Aude" not in commitments.first().history.first().history_change_reason
    assert "aude.md" in commitments.first().history.first().history_change_reason
    # The existing CAF partner (tests/synthetic.py) is reused, not duplicated.
    assert commitments.filter(partner__short_name="CAF").values("partner").distinct().count() == 1


@pytest.mark.django_db
def test_admin_charter_upload_shows_findings_then_saves(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cantal.txt", PARTNER_FIRST.encode("cp1252"))
    response = admin_client.post(
        "/admin/imports/charte/", {"file": upload, "title": "", "territory": "Cantal"}
    )
    content = response.content.decode()
    assert response.context["document"].layout == "partenaires d'abord"
    assert "À placer (0)" in content and "Conseil départemental" in content
    assert not CharterPage.objects.filter(territory="Cantal").exists()
    response = admin_client.post("/admin/imports/charte/", {"payload": response.context["payload"]})
    assert response.status_code == 302
    charter = CharterPage.objects.get(territory="Cantal")
    assert not charter.live and charter.lexicon_entries.count() == 2


# The round trips below run on the parsed Paris demo (`paris_demo`, loaded for the rest of this
# module): keep them last.


def _snapshot(charter):
    actions = ActionPage.objects.descendant_of(charter)
    return {
        "orientations": sorted(
            (o.number, o.title) for o in OrientationPage.objects.child_of(charter)
        ),
        "actions": sorted((a.code, a.title) for a in actions),
        "partners": sorted(
            set(
                Commitment.objects.filter(action__in=actions).values_list(
                    "partner__name", flat=True
                )
            )
        ),
        "commitments": sorted(
            Commitment.objects.filter(action__in=actions).values_list(
                "partner__name", "action__code", "position", "text"
            )
        ),
        "lexicon": sorted(charter.lexicon_entries.values_list("term", "definition")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("via_docx", [False, True])
def test_round_trip_of_the_demo_charter(paris_charter, tmp_path, via_docx):
    markdown = charter_markdown(charter=paris_charter)
    if via_docx:
        path = tmp_path / "charte.docx"
        pypandoc.convert_text(markdown, "docx", format="gfm", outputfile=str(path))
        data, name = path.read_bytes(), "charte.docx"
    else:
        data, name = markdown.encode(), "charte.md"
    document = parse_document(document_text(filename=name, data=data))
    assert document.unplaced == []
    copy = charter_import_save(document=document, filename=name, user=None, title="Copie")
    assert _snapshot(copy) == _snapshot(paris_charter)
    assert len(_snapshot(copy)["commitments"]) == 228


@pytest.mark.django_db
def test_round_trip_through_the_publishing_docx_export(paris_charter, tmp_path):
    path = tmp_path / "export.docx"
    call_command("export_charter_docx", "--output", str(path), "--charter", paris_charter.slug)
    document = parse_document(document_text(filename="export.docx", data=path.read_bytes()))
    copy = charter_import_save(document=document, filename="export.docx", user=None)
    got, expected = _snapshot(copy), _snapshot(paris_charter)
    assert got["orientations"] == expected["orientations"]
    assert got["actions"] == expected["actions"]
    assert got["lexicon"] == expected["lexicon"]


@pytest.mark.django_db
def test_full_round_trip_through_the_publishing_docx_export(paris_charter, tmp_path):
    path = tmp_path / "export.docx"
    call_command("export_charter_docx", "--output", str(path), "--charter", paris_charter.slug)
    document = parse_document(document_text(filename="export.docx", data=path.read_bytes()))
    copy = charter_import_save(document=document, filename="export.docx", user=None)
    assert _snapshot(copy) == _snapshot(paris_charter)
    assert len(_snapshot(copy)["commitments"]) == 228
    # The declarations and the signatories page are read, not reported; the cover and the
    # general provisions are reported (« À placer »), never made a commitment or a préambule.
    unplaced = {item.text for item in document.unplaced}
    assert "Déclarations des signataires" not in unplaced
    assert len(document.declarations) == paris_charter.declarations.count()
    assert len(document.signatories) == paris_charter.signatories.count()
    assert "RÉPUBLIQUE" not in copy.introduction and "Entrée en vigueur" not in copy.introduction
    assert not copy.title.startswith("Entrée en vigueur")

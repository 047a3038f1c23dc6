"""The data import as the secretariat uses it (issue 14): the open-data file re-imported with its
French label columns, and a preview that shows the changed rows first, before → after."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from charter.models import Partner
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.tests.factories import CommitmentFactory, PartnerFactory
from imports.services import import_file

pytestmark = pytest.mark.django_db

URL = "/admin/imports/donnees/"


def open_data_rows(client) -> tuple[list[str], list[dict]]:
    """The public commitments CSV, as the secretariat downloads it."""
    content = client.get("/donnees/engagements.csv").content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(content))
    return list(reader.fieldnames), list(reader)


def as_csv(headers: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(superuser, data: bytes, kind: str = "commitments"):
    return import_file(kind=kind, filename="f.csv", data=data, user=superuser, dry_run=True)


def _row_with_status(rows, status: str) -> dict:
    return next(row for row in rows if row["statut"] == status)


# --- The French label column: read, not silently ignored ----------------------------------


def test_a_change_made_only_in_the_french_status_column_is_imported(client, superuser):
    headers, rows = open_data_rows(client)
    row = _row_with_status(rows, CommitmentStatus.NOT_STARTED)
    row["statut_libelle"] = "En cours"  # edited in Excel; the code column left as exported
    report = preview(superuser, as_csv(headers, rows))
    assert report.ok, report.errors
    assert report.totals["modifié"] == 1, report.totals
    changed = next(r for r in report.rows if r.outcome == "modifié")
    assert [(c.label, c.before, c.after) for c in changed.changes] == [
        ("Statut", "Non démarré", "En cours")
    ]
    import_file(
        kind="commitments", filename="f.csv", data=as_csv(headers, rows), user=superuser,
        dry_run=False,
    )  # fmt: skip
    assert Commitment.objects.get(pk=row["id"]).status == CommitmentStatus.IN_PROGRESS


def test_a_change_made_only_in_the_code_column_still_wins(client, superuser):
    headers, rows = open_data_rows(client)
    row = _row_with_status(rows, CommitmentStatus.NOT_STARTED)
    row["statut"] = "in_progress"
    report = preview(superuser, as_csv(headers, rows))
    assert report.ok, report.errors
    assert [r.changes[0].after for r in report.rows if r.outcome == "modifié"] == ["En cours"]


def test_the_label_alone_without_the_code_column_is_the_status(client, superuser):
    headers, rows = open_data_rows(client)
    row = _row_with_status(rows, CommitmentStatus.NOT_STARTED)
    row["statut_libelle"] = "en cours"  # case and accents do not matter
    headers.remove("statut")
    for each in rows:
        del each["statut"]
    report = preview(superuser, as_csv(headers, rows))
    assert report.ok, report.errors
    assert report.totals["modifié"] == 1


def test_a_code_and_a_label_that_contradict_each_other_are_an_error_naming_both(client, superuser):
    headers, rows = open_data_rows(client)
    row = _row_with_status(rows, CommitmentStatus.NOT_STARTED)
    row["statut"], row["statut_libelle"] = "in_progress", "Bloqué"
    before = Commitment.objects.get(pk=row["id"]).status
    report = import_file(
        kind="commitments", filename="f.csv", data=as_csv(headers, rows), user=superuser,
        dry_run=False,
    )  # fmt: skip
    line = rows.index(row) + 2
    assert report.errors == [
        f"Ligne {line}, colonne « statut_libelle » : les colonnes « statut » (« in_progress ») "
        "et « statut_libelle » (« Bloqué ») se contredisent : gardez la même valeur dans les "
        "deux, ou videz l'une d'elles."
    ]
    assert not report.written
    assert Commitment.objects.get(pk=row["id"]).status == before


def test_an_unknown_label_is_an_error_listing_the_accepted_labels(client, superuser):
    headers, rows = open_data_rows(client)
    row = _row_with_status(rows, CommitmentStatus.NOT_STARTED)
    row["statut_libelle"] = "Terminé"
    report = preview(superuser, as_csv(headers, rows))
    labels = ", ".join(str(label) for _code, label in CommitmentStatus.choices)
    assert report.errors == [
        f"Ligne {rows.index(row) + 2}, colonne « statut_libelle » : Statut inconnu : "
        f"« Terminé » (valeurs possibles : {labels})."
    ]


def test_the_exported_point_d_avancement_column_is_read(client, superuser):
    headers, rows = open_data_rows(client)
    row = _row_with_status(rows, CommitmentStatus.IN_PROGRESS)
    row["point_avancement"] = "Trois réunions d'information tenues."
    report = preview(superuser, as_csv(headers, rows))
    assert report.ok, report.errors
    changed = [r for r in report.rows if r.outcome == "modifié"]
    assert [(c.label, c.after) for r in changed for c in r.changes] == [
        ("Point d'avancement", "Trois réunions d'information tenues.")
    ]


def test_the_columns_the_import_does_not_read_are_named(client, superuser):
    headers, rows = open_data_rows(client)
    report = preview(superuser, as_csv(headers, rows))
    assert report.ignored_columns == [
        "code",
        "orientation",
        "orientation_titre",
        "action_titre",
        "partenaire_nom",
        "partenaires_associes",
        "point_avancement_date",
        "en_retard",
        "mis_a_jour_le",
    ]
    # Both spellings given: the exported one is the column left unread.
    headers.append("point_d_avancement")
    assert "point_avancement" in preview(superuser, as_csv(headers, rows)).ignored_columns


def test_the_partners_french_category_column_is_read(client, superuser):
    partner = PartnerFactory(kind="association")
    other = next(c for c, _l in Partner._meta.get_field("kind").choices if c != "association")
    label = dict(Partner._meta.get_field("kind").choices)[other]
    data = (
        "identifiant,nom,sigle,categorie,categorie_libelle\n"
        f"{partner.slug},{partner.name},{partner.short_name},association,{label}\n"
    ).encode()
    report = preview(superuser, data, kind="partners")
    assert report.ok, report.errors
    assert [(c.label, c.after) for c in report.rows[0].changes] == [("Catégorie", str(label))]


# --- The preview screen -------------------------------------------------------------------


@pytest.fixture
def big_file(client, charter_page):
    """The open-data CSV of 228 commitments (the synthetic charter's and made ones), three of
    them changed: a status label, a point d'avancement, an échéance."""
    _headers, rows = open_data_rows(client)
    partner = PartnerFactory(name="Partenaire de l'import", short_name="PIMP")
    for number in range(228 - len(rows)):
        CommitmentFactory(partner=partner, position=500 + number)
    headers, rows = open_data_rows(client)
    assert len(rows) == 228
    changed = _row_with_status(rows, CommitmentStatus.NOT_STARTED)
    changed["statut_libelle"] = "En cours"
    noted = next(r for r in rows if r["statut"] == "in_progress" and r is not changed)
    noted["point_avancement"] = "Point de l'import"
    dated = next(r for r in rows if r not in (changed, noted))
    dated["echeance"] = "31/12/2030"
    return as_csv(headers, rows), (changed, noted, dated)


def test_the_preview_shows_the_changed_rows_first_in_words_with_the_buttons_on_top(
    admin_client, big_file
):
    data, (changed, noted, dated) = big_file
    upload = SimpleUploadedFile("engagements.csv", data)
    response = admin_client.post(URL, {"kind": "commitments", "file": upload})
    html = response.content.decode()
    summary = "228 lignes : 0 nouveau, 3 modifiés, 225 inchangés, 0 en erreur."
    assert summary in html
    assert "Colonnes ignorées : « code », « orientation »" in html
    confirm = html.index("Confirmer l'import")
    group = html.index('data-import-group="modifié"')
    folded = html.index('data-import-group="inchangé"')
    assert html.index(summary) < confirm < group < folded
    assert "3 enregistrements modifiés" in html
    changes = html[group:folded]
    assert "avant : <del>Non démarré</del> → après : <ins>En cours</ins>" in changes
    assert "après : <ins>Point de l&#x27;import</ins>" in changes
    assert "après : <ins>31 décembre 2030</ins>" in changes
    assert "not_started" not in changes and "in_progress" not in changes
    # Each changed row is named by its line, partner and action, not by ids.
    for row in (changed, noted, dated):
        assert f"<h4>Ligne {big_file_line(data, row)} · " in changes
    # Short: the 225 unchanged rows are folded in one <details>.
    visible = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    assert visible.count("<li") < 40
    assert html.count("Confirmer l'import") == 1  # the bottom button names the top form
    assert 'form="import-confirm"' not in html  # only 3 rows: no second row of buttons


def big_file_line(data: bytes, row: dict) -> int:
    lines = data.decode().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(f"{row['id']},"))


def test_the_confirmation_applies_the_changes_and_says_so_in_french(admin_client, big_file):
    data, (changed, noted, dated) = big_file
    upload = SimpleUploadedFile("engagements.csv", data)
    response = admin_client.post(URL, {"kind": "commitments", "file": upload})
    response = admin_client.post(URL, {"payload": response.context["payload"]}, follow=True)
    assert "Import terminé : 0 nouveau, 3 modifiés, 225 inchangés." in response.content.decode()
    assert Commitment.objects.get(pk=changed["id"]).status == CommitmentStatus.IN_PROGRESS
    assert Commitment.objects.get(pk=noted["id"]).narrative == "Point de l'import"
    assert str(Commitment.objects.get(pk=dated["id"]).due_date) == "2030-12-31"


# English or generic strings that must never reach the secretariat's screen.
FORBIDDEN = re.compile(
    r"\bNone\b|\bTrue\b|\bFalse\b|\bnan\b|\bnull\b|Submit|Cancel|Confirm\b|Preview|Error\b|"
    r"\bRow\b|\bnew\b|\bupdate\b|\bskip\b|\binvalid\b|not_started|in_progress|achieved|"
    r"blocked|abandoned|\(s\)|\(x\)|Traceback"
)


class _ScreenText(HTMLParser):
    """The text and the read attributes of the page's <main>, without scripts and styles."""

    READ = {"title", "aria-label", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.in_main = False
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if tag in ("script", "style"):
            self.skip += 1
        if self.in_main:
            self.parts.extend(value or "" for name, value in attrs if name in self.READ)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "main":
            self.in_main = False

    def handle_data(self, data):
        if self.in_main and not self.skip:
            self.parts.append(data)


def _screen_text(html: str) -> str:
    parser = _ScreenText()
    parser.feed(html)
    assert parser.parts, "no <main> in the page"
    return " ".join(parser.parts)


@pytest.mark.parametrize("case", ["changes", "errors"])
def test_the_preview_screen_has_no_english_generic_or_none_text(admin_client, big_file, case):
    data, _rows = big_file
    if case == "errors":
        data = data.replace(b",En cours,", b",Bientot,", 1)
    upload = SimpleUploadedFile("engagements.csv", data)
    html = admin_client.post(URL, {"kind": "commitments", "file": upload}).content.decode()
    assert ("Rien ne sera importé" in html) == (case == "errors")
    found = sorted(set(FORBIDDEN.findall(_screen_text(html))))
    assert found == [], found


def test_a_long_preview_repeats_the_buttons_below_for_the_same_form(admin_client, client):
    headers, rows = open_data_rows(client)
    for number, row in enumerate(rows[:6], start=1):
        row["echeance"] = f"2031-01-{number:02d}"
    upload = SimpleUploadedFile("engagements.csv", as_csv(headers, rows))
    html = admin_client.post(URL, {"kind": "commitments", "file": upload}).content.decode()
    assert "6 enregistrements modifiés" in html
    assert html.count('name="payload"') == 1  # the file is sent once, by either button
    bottom = html.index('form="import-confirm"')
    assert html.index('data-import-group="inchangé"') < bottom

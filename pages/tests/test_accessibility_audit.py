"""The RGAA self-audit grid: complete and well-formed, and the one source of the compliance
status and rate shown in every footer and in the accessibility statement."""

import csv
import datetime
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils.html import escape

from pages.accessibility import (
    GRID_FILE,
    SAMPLE_FILE,
    load_audit,
    rgaa_audit,
    split_statement,
)
from pages.models import AccessibilityStatus, StandardPage

FIELDS = ["critere", "thematique", "intitule", "statut", "justification", "correction", "echeance"]


def write_grid(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def repository_rows():
    with GRID_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_grid_holds_the_106_criteria_each_judged_and_justified():
    audit = load_audit()
    assert len(audit.criteria) == 106
    assert len({criterion.number for criterion in audit.criteria}) == 106
    assert {criterion.status for criterion in audit.criteria} <= {"C", "NC", "NA"}
    assert all(len(criterion.justification) > 20 for criterion in audit.criteria)
    assert all(criterion.title.endswith("?") for criterion in audit.criteria)
    for criterion in audit.non_compliant:
        assert criterion.correction and criterion.due_date > datetime.date(2026, 12, 1)


def test_the_sample_names_the_twelve_pages_of_the_issue_and_their_audit_date():
    from tests.public_pages import PAGE_KINDS

    audit = load_audit()
    assert [page.kind for page in audit.sample] == [
        "accueil",
        "charte",
        "action",
        "matrice",
        "partenaire",
        "lexique",
        "recherche",
        "etape-aide",
        "avancement",
        "accessibilite",
        "aide",
        "plan-du-site",
    ]
    # A page is marked audited only when it is a public page type the automated checks cover.
    for page in audit.audited_pages:
        assert page.kind in PAGE_KINDS and page.path.startswith("/")
    with SAMPLE_FILE.open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "page,type,adresse,audit"


def test_the_rate_is_compliant_over_applicable_criteria_rounded_down(tmp_path):
    rows = repository_rows()
    statuses = ["C"] * 7 + ["NC"] * 2 + ["NA"] * (len(rows) - 9)
    for row, status in zip(rows, statuses, strict=True):
        row["statut"] = status
        row["correction"] = "Corriger." if status == "NC" else ""
        row["echeance"] = "2027-03-31" if status == "NC" else ""
    audit = load_audit(write_grid(tmp_path / "g.csv", rows), SAMPLE_FILE)
    assert (len(audit.compliant), len(audit.non_compliant)) == (7, 2)
    assert audit.rate == 77  # 7 / 9 = 77.8 %: never rounded up
    assert audit.status == AccessibilityStatus.PARTIAL
    for row in rows[:4]:
        row["statut"], row["correction"], row["echeance"] = "NC", "Corriger.", "2027-01-15"
    audit = load_audit(write_grid(tmp_path / "g.csv", rows), SAMPLE_FILE)
    assert audit.rate == 33 and audit.status == AccessibilityStatus.NON_COMPLIANT  # 3 / 9
    assert [c.due_date for c in audit.plan] == [datetime.date(2027, 1, 15)] * 4 + [
        datetime.date(2027, 3, 31)
    ] * 2
    for row in rows:
        row["statut"], row["correction"], row["echeance"] = "C", "", ""
    audit = load_audit(write_grid(tmp_path / "g.csv", rows), SAMPLE_FILE)
    assert audit.rate == 100 and audit.status == AccessibilityStatus.FULL


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows.pop(32), "manquants : 5.6"),
        (lambda rows: rows.append(dict(rows[0])), "en trop ou répétés"),
        (lambda rows: rows[3].update(statut="OK"), "statut « OK »"),
        (lambda rows: rows[3].update(justification=" "), "justification manquante"),
        (lambda rows: rows[3].update(statut="NC", correction="", echeance=""), "échéance"),
        (
            lambda rows: rows[3].update(statut="NC", correction="x", echeance="31/03/2027"),
            "date « 31/03/2027 » invalide",
        ),
    ],
)
def test_a_malformed_grid_is_refused_with_a_french_message(tmp_path, change, message):
    rows = repository_rows()
    change(rows)
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        load_audit(write_grid(tmp_path / "g.csv", rows), SAMPLE_FILE)


def test_the_statement_sections_replace_the_editors_own_at_their_place():
    body = "Intro.\n\n## État de conformité\n\nNon conforme.\n\n## Contact\n\nÉcrire.\n"
    assert split_statement(body) == ("Intro.\n\n", "## Contact\n\nÉcrire.\n")
    body = "Intro.\n\n## Résultats des tests\n\nVieux.\n\n## Voies de recours\n\nDéfenseur.\n"
    assert split_statement(body) == ("Intro.\n\n", "## Voies de recours\n\nDéfenseur.\n")
    assert split_statement("## Contact\n\nÉcrire.\n") == ("", "## Contact\n\nÉcrire.\n")


@pytest.mark.django_db
@pytest.mark.parametrize("theme", ["dsfr", "neutral"])
def test_every_footer_and_the_statement_show_the_generated_status_and_rate(
    client, charter_page, theme
):
    audit = rgaa_audit()
    shown = f"Accessibilité : {audit.status.label} ({audit.rate}&nbsp;%)"
    with override_settings(SITE_THEME=theme):
        for path in ("/", charter_page.url, "/lexique/", "/cette-page-n-existe-pas/"):
            assert shown in client.get(path).content.decode(), path
        html = client.get("/accessibilite/").content.decode()
    assert f"Ce site est <strong>{audit.status.label}</strong>" in html
    assert f"<strong>{audit.rate}&nbsp;%</strong> des critères applicables" in html
    assert f"{len(audit.compliant)} critères conformes" in html
    assert f"{len(audit.not_applicable)} critères non applicables" in html
    for criterion in audit.non_compliant:
        assert f"Critère {criterion.number}</strong>" in html
    for page in audit.audited_pages:
        assert f"<li>{escape(page.title)}</li>" in html
    # The seeded text's own « non conforme » section is replaced, the rest of it is kept.
    assert "aucun audit de conformité n'a encore été réalisé" not in html
    assert "Défenseur des droits" in html
    assert html.count("<h2>État de conformité</h2>") == 1


@pytest.mark.django_db
def test_the_statement_follows_the_grid_not_a_setting(client, monkeypatch):
    from pages import accessibility

    audit = rgaa_audit()
    criteria = list(audit.criteria)
    index = next(i for i, c in enumerate(criteria) if c.status == "C")
    criteria[index] = accessibility.Criterion(
        **{
            **criteria[index].__dict__,
            "status": "NC",
            "justification": "Défaut trouvé.",
            "correction": "Le corriger.",
            "due_date": datetime.date(2027, 6, 30),
        }
    )
    changed = accessibility.Audit(criteria=tuple(criteria), sample=audit.sample)
    monkeypatch.setattr(accessibility, "rgaa_audit", lambda: changed)
    html = client.get("/accessibilite/").content.decode()
    assert f"<strong>{changed.rate}&nbsp;%</strong>" in html
    assert (
        f"<strong>Critère {criteria[index].number}</strong> ({criteria[index].topic}) — "
        "Défaut trouvé. Correction prévue : Le corriger. Échéance : "
        '<time datetime="2027-06-30">30 juin 2027</time>.'
    ) in html
    assert f"({changed.rate}&nbsp;%)" in client.get("/").content.decode()


@pytest.mark.django_db
def test_other_standard_pages_show_their_text_only(client):
    html = client.get("/mentions-legales/").content.decode()
    assert "État de conformité" not in html
    assert StandardPage.objects.filter(slug="accessibilite").exists()


@pytest.mark.django_db
def test_the_site_map_lists_each_charters_matrix_and_versions(client, charter_page):
    """RGAA 12.3: the site map leads to every section of the menu, the matrix included."""
    from django.urls import reverse

    html = client.get("/plan-du-site/").content.decode()
    for name in ("engagements_public:matrix", "publishing:version_list"):
        assert f'href="{reverse(name, kwargs={"charter_slug": charter_page.slug})}"' in html

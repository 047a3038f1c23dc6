"""Enum values of the Table Schemas, the API filters and the importers come from the TextChoices."""

import importlib

import pytest
from django.db import models

import engagements.choices
import opendata.schemas
from charter.choices import DocumentType, PartnerKind
from engagements.choices import CommitmentStatus
from engagements.rules import OVERDUE_WORDS
from imports.resources import CommitmentResource, PartnerResource
from monitoring.choices import IndicatorKind
from opendata.schemas import DATASETS, table_schema

# Every enum column of every published file, with the TextChoices it must follow.
ENUM_COLUMNS = {
    ("engagements", "statut"): CommitmentStatus,
    ("partenaires", "categorie"): PartnerKind,
    ("indicateurs", "nature"): IndicatorKind,
}


def enum_fields():
    for name in DATASETS:
        for field in table_schema(name)["fields"]:
            if "enum" in field.get("constraints", {}):
                yield name, field


def test_every_enum_column_is_known():
    assert {(name, field["name"]) for name, field in enum_fields()} == set(ENUM_COLUMNS)


@pytest.mark.parametrize(("dataset", "column"), sorted(ENUM_COLUMNS))
def test_schema_enum_equals_the_text_choices(dataset, column):
    field = next(f for f in table_schema(dataset)["fields"] if f["name"] == column)
    assert field["constraints"]["enum"] == list(ENUM_COLUMNS[dataset, column].values)


class ExtendedStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Non démarré"
    IN_PROGRESS = "in_progress", "En cours"
    ACHIEVED = "achieved", "Réalisé"
    BLOCKED = "blocked", "Bloqué"
    ABANDONED = "abandoned", "Abandonné"
    SUSPENDED = "suspended", "Suspendu"


def test_a_new_status_reaches_the_schema_without_editing_it(monkeypatch):
    """The schema reads the TextChoices: a status added there is in the enum (no second list)."""
    try:
        with monkeypatch.context() as patch:
            patch.setattr(engagements.choices, "CommitmentStatus", ExtendedStatus)
            schemas = importlib.reload(opendata.schemas)
            field = next(
                f for f in schemas.table_schema("engagements")["fields"] if f["name"] == "statut"
            )
            assert "suspended" in field["constraints"]["enum"]
    finally:
        importlib.reload(opendata.schemas)


@pytest.mark.parametrize(
    ("resource", "column", "choices"),
    [(CommitmentResource, "status", CommitmentStatus), (PartnerResource, "kind", PartnerKind)],
)
def test_the_importer_accepts_every_code_and_label(resource, column, choices):
    widget = resource.fields[column].widget
    for value, label in choices.choices:
        assert widget.clean(value) == value
        assert widget.clean(str(label)) == value
        assert widget.clean(str(label).upper()) == value


@pytest.mark.parametrize("word", sorted(OVERDUE_WORDS))
def test_the_importer_refuses_overdue_like_the_services(word):
    widget = CommitmentResource.fields["status"].widget
    with pytest.raises(ValueError, match="n'est pas un statut"):
        widget.clean(word)


@pytest.mark.django_db
@pytest.mark.parametrize("document_type", DocumentType.values)
def test_the_api_accepts_every_charter_type(client, document_type):
    assert client.get(f"/api/v2/chartes/?type={document_type}").status_code == 200


@pytest.mark.django_db
def test_the_api_status_filter_accepts_every_status_and_refuses_others(client):
    for status in CommitmentStatus.values:
        assert client.get(f"/api/v2/engagements/?statut={status}").status_code == 200
    response = client.get("/api/v2/engagements/?statut=en_retard")
    assert response.status_code == 400 and response.json()["message"]

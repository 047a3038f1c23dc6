"""Public open-data files (/donnees/): CSV (UTF-8, comma, ISO dates), JSON, Table Schemas."""

import csv
import datetime
import io
import json
from decimal import Decimal

from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.spreadsheets import neutralise_formula

from .schemas import DATASETS, table_schema
from .selectors import (
    LICENCE,
    LICENCE_URL,
    commitment_records,
    indicator_records,
    lexicon_records,
    partner_records,
)

RECORDS = {
    "engagements": commitment_records,
    "partenaires": partner_records,
    "lexique": lexicon_records,
    "indicateurs": indicator_records,
}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_content(name: str) -> bytes:
    """The CSV file of a dataset; its text columns' formula-looking cells start with « ' »."""
    buffer = io.StringIO()
    # RFC 4180 line ends: a cell holding a bare carriage return is then quoted as well.
    writer = csv.writer(buffer, lineterminator="\r\n")
    fields = DATASETS[name]["fields"]
    writer.writerow([field["name"] for field in fields])
    for record in RECORDS[name]():
        writer.writerow(
            [
                neutralise_formula(_cell(record[field["name"]]))
                if field["type"] == "string"
                else _cell(record[field["name"]])
                for field in fields
            ]
        )
    return buffer.getvalue().encode("utf-8")


def commitments_json() -> bytes:
    """The commitments as JSON, with the licence."""
    payload = {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "genere_le": timezone.localtime().isoformat(timespec="seconds"),
        "engagements": [
            {key: _json_value(value) for key, value in record.items()}
            for record in commitment_records()
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def dataset_csv(request, name: str):
    return _download(csv_content(name), "text/csv; charset=utf-8", f"{name}.csv")


@require_GET
def engagements_json(request):
    return _download(commitments_json(), "application/json; charset=utf-8", "engagements.json")


@require_GET
def schema(request, name: str):
    response = JsonResponse(table_schema(name), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def file_size(size: int) -> str:
    """Base-1000 size with a decimal comma: « 12,3 ko »."""
    if size < 1000:
        return f"{size} octets"
    if size < 1_000_000:
        return f"{size / 1000:.1f} ko".replace(".", ",")
    return f"{size / 1_000_000:.2f} Mo".replace(".", ",")


@require_GET
def index(request):
    """The list of open-data files with their sizes and schemas."""
    files = []
    for name, dataset in DATASETS.items():
        files.append(
            {
                "title": dataset["title"],
                "description": dataset["description"],
                "url": f"/donnees/{name}.csv",
                "format": "CSV",
                "size": file_size(len(csv_content(name))),
                "schema": f"/donnees/schema-{name}.json",
            }
        )
        if name == "engagements":
            files.append(
                {
                    "title": dataset["title"],
                    "description": "Les mêmes engagements au format JSON.",
                    "url": "/donnees/engagements.json",
                    "format": "JSON",
                    "size": file_size(len(commitments_json())),
                    "schema": "",
                }
            )
    return TemplateResponse(
        request,
        "opendata/index.html",
        {"files": files, "licence": LICENCE, "licence_url": LICENCE_URL},
    )

"""Reading an uploaded file into a table: format, encoding and separator detection."""

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass

import tablib
from django.core.exceptions import ValidationError

MAX_IMPORT_BYTES = 2 * 1024 * 1024
FORMATS = ("csv", "xlsx", "json")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ReadTable:
    """A decoded table: its canonical headers and rows, and what was detected."""

    dataset: tablib.Dataset
    file_format: str
    encoding: str = ""
    separator: str = ""

    @property
    def line_offset(self) -> int:
        """Spreadsheet line of data row 1 (the header is line 1); 0 for JSON records."""
        return 0 if self.file_format == "json" else 1


def header_key(header: object) -> str:
    """Canonical column name: no accents, lower case, words joined by underscores."""
    text = unicodedata.normalize("NFKD", str(header or ""))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def size_message(size: int) -> str:
    """The French message for a file over the limit."""
    size_mb = f"{size / 1_000_000:.1f}".replace(".", ",")
    limit_mb = f"{MAX_IMPORT_BYTES / 1_000_000:.1f}".replace(".", ",")
    return (
        f"Le fichier est trop volumineux ({size_mb} Mo) : la limite est de {limit_mb} Mo. "
        "Découpez-le en plusieurs fichiers."
    )


def detect_format(filename: str, data: bytes) -> str:
    """csv, xlsx or json, from the content first, then from the file name."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"[", b"{"):
        return "json"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in ("xls", "ods"):
        raise ValidationError(
            "Format non pris en charge : enregistrez le tableur au format XLSX ou CSV."
        )
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or Windows-1252; anything else is refused."""
    if b"\x00" in data:
        raise ValidationError(
            "Encodage non reconnu : le fichier semble être en UTF-16 ou binaire. "
            "Enregistrez-le en CSV UTF-8 (ou Windows-1252)."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (avec BOM)"
        except UnicodeDecodeError as error:
            raise _encoding_error(data, error) from error
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise _encoding_error(data, error) from error


def _encoding_error(data: bytes, error: UnicodeDecodeError) -> ValidationError:
    line = data[: error.start].count(b"\n") + 1
    return ValidationError(
        f"Encodage non reconnu (ligne {line}, octet {error.start + 1}) : le fichier n'est ni "
        "en UTF-8 ni en Windows-1252. Enregistrez-le en CSV UTF-8."
    )


def detect_separator(text: str) -> str:
    """The separator of the header line: ';' when it has more of them than commas, else ','."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def read_table(*, filename: str, data: bytes) -> ReadTable:
    """Read an uploaded file (CSV, XLSX or JSON) into a dataset with canonical headers."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(size_message(len(data)))
    if not data.strip():
        raise ValidationError("Le fichier est vide.")
    file_format = detect_format(filename, data)
    encoding = separator = ""
    if file_format == "xlsx":
        headers, rows = _read_xlsx(data)
    elif file_format == "json":
        text, encoding = decode_text(data)
        headers, rows = _read_json(text)
    else:
        text, encoding = decode_text(data)
        separator = detect_separator(text)
        # newline=None: "\r\n", "\n" and the bare "\r" of old Mac exports all end a line.
        reader = csv.reader(io.StringIO(text, newline=None), delimiter=separator)
        try:
            lines = list(reader)
        except csv.Error as error:
            raise ValidationError(
                f"Fichier CSV illisible (ligne {reader.line_num}) : vérifiez les guillemets "
                "et enregistrez-le de nouveau au format CSV UTF-8."
            ) from error
        while lines and not any(cell.strip() for cell in lines[-1]):
            lines.pop()
        if not lines:
            raise ValidationError("Le fichier est vide.")
        headers, rows = lines[0], lines[1:]
    keys = [header_key(header) for header in headers]
    if duplicates := sorted({key for key in keys if key and keys.count(key) > 1}):
        raise ValidationError(f"Colonne en double : {', '.join(duplicates)}.")
    width = len(keys)
    dataset = tablib.Dataset(headers=keys)
    for number, row in enumerate(rows, start=2):
        cells = ["" if cell is None else cell for cell in row]
        if len(cells) > width and any(str(cell).strip() for cell in cells[width:]):
            raise ValidationError(
                f"Ligne {number} : {len(cells)} valeurs pour {width} colonnes "
                f"(séparateur « {separator or ','} » attendu partout)."
            )
        cells = (list(cells) + [""] * width)[:width]
        if not any(str(cell).strip() for cell in cells):
            continue
        dataset.append([cell.strip() if isinstance(cell, str) else cell for cell in cells])
    if not len(dataset):
        raise ValidationError("Le fichier ne contient aucune ligne de données.")
    return ReadTable(dataset, file_format, encoding, separator)


def _read_xlsx(data: bytes) -> tuple[list, list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ValidationError("Le fichier XLSX est illisible ou endommagé.") from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    while rows and not any(cell not in (None, "") for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValidationError("La première feuille du classeur est vide.")
    headers = rows[0]
    while headers and headers[-1] in (None, ""):
        headers = headers[:-1]
    return list(headers), rows[1:]


def _read_json(text: str) -> tuple[list, list]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"JSON invalide (ligne {error.lineno}, colonne {error.colno}) : {error.msg}."
        ) from error
    if isinstance(payload, dict):
        payload = next((value for value in payload.values() if isinstance(value, list)), None)
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise ValidationError("Le JSON doit être une liste d'objets (un objet par enregistrement).")
    headers: list[str] = []
    for item in payload:
        headers.extend(key for key in item if key not in headers)
    rows = [[_json_cell(item.get(key)) for key in headers] for item in payload]
    return headers, rows


def _json_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value

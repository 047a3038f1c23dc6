"""Reading an uploaded file into a table: format, encoding and separator detection."""

import csv
import io
import json
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError

MAX_IMPORT_BYTES = 2 * 1024 * 1024
FORMATS = ("csv", "xlsx", "json")
XLSX_MAGIC = b"PK\x03\x04"
# A wrapping object, the list of records, a record, a value that is itself a list or an object:
# all the format needs (deeper nesting is refused before parsing, never a RecursionError).
JSON_MAX_DEPTH = 5
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _number(value: int) -> str:
    """A whole number written the French way (20 000)."""
    return f"{value:,}".replace(",", "\u202f")


def _limit(name: str) -> int:
    """A cap on what an imported file may hold, from the settings (config/base.py)."""
    return int(getattr(settings, name))


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
    max_columns = _limit("IMPORT_MAX_COLUMNS")
    if len(headers) > max_columns:
        raise ValidationError(
            f"Le fichier a trop de colonnes ({_number(len(headers))}) : la limite est de "
            f"{_number(max_columns)}. Gardez seulement les colonnes attendues."
        )
    keys = [header_key(header) for header in headers]
    counts = Counter(key for key in keys if key)
    if duplicates := sorted(key for key, count in counts.items() if count > 1):
        raise ValidationError(f"Colonne en double : {', '.join(duplicates)}.")
    width = len(keys)
    max_rows = _limit("IMPORT_MAX_ROWS")
    max_cell = _limit("IMPORT_MAX_CELL_CHARS")
    max_text = text_left = _limit("IMPORT_MAX_TABLE_CHARS")
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
        if len(dataset) == max_rows:
            raise ValidationError(
                f"Le fichier a plus de {_number(max_rows)} lignes de données, la limite : "
                "découpez-le en plusieurs fichiers."
            )
        cells = [cell.strip() if isinstance(cell, str) else cell for cell in cells]
        for cell in cells:
            if isinstance(cell, str):
                if len(cell) > max_cell:
                    raise ValidationError(
                        f"Ligne {number} : une cellule contient {_number(len(cell))} caractères, "
                        f"la limite est de {_number(max_cell)}. Raccourcissez ce texte."
                    )
                text_left -= len(cell)
        if text_left < 0:
            raise ValidationError(
                f"Le fichier contient trop de texte (plus de {_number(max_text)} caractères "
                "une fois lu) : découpez-le en plusieurs fichiers."
            )
        dataset.append(cells)
    if not len(dataset):
        raise ValidationError("Le fichier ne contient aucune ligne de données.")
    return ReadTable(dataset, file_format, encoding, separator)


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX whose zip would unpack too big (size or compression ratio), unopened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ValidationError("Le fichier XLSX est illisible ou endommagé.") from error
    max_unpacked = _limit("IMPORT_MAX_XLSX_UNPACKED_BYTES")
    max_ratio = _limit("IMPORT_MAX_XLSX_RATIO")
    if unpacked > max_unpacked or unpacked > max_ratio * len(data):
        size_mb = f"{unpacked / 1_000_000:.1f}".replace(".", ",")
        raise ValidationError(
            f"Le classeur XLSX, une fois décompressé, est anormalement volumineux ({size_mb} Mo "
            f"pour un fichier de {_number(max(1, len(data) // 1000))} ko) : il n'a pas été ouvert. "
            "Enregistrez la feuille au format CSV UTF-8 et déposez ce fichier."
        )


def _read_xlsx(data: bytes) -> tuple[list, list]:
    from openpyxl import load_workbook

    check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ValidationError("Le fichier XLSX est illisible ou endommagé.") from error
    max_lines = _limit("IMPORT_MAX_ROWS") + 1
    max_columns = _limit("IMPORT_MAX_COLUMNS")
    try:
        sheet = workbook.worksheets[0]
        # The stored dimensions are the file's word, not the cells it holds: read the rows
        # present, each as wide as its last cell (the zip caps bound the cells in the sheet).
        sheet.reset_dimensions()
        rows = []
        for line, row in enumerate(sheet.iter_rows(values_only=True), 1):
            if line > max_lines:
                raise ValidationError(
                    f"La feuille a plus de {_number(max_lines)} lignes (lignes vides comprises) : "
                    f"la limite est de {_number(max_lines - 1)} lignes de données. Découpez le "
                    "fichier ou supprimez les lignes vides."
                )
            if len(row) > max_columns and any(cell not in (None, "") for cell in row[max_columns:]):
                raise ValidationError(
                    f"La feuille a plus de {_number(max_columns)} colonnes (ligne {line}) : "
                    "gardez seulement les colonnes attendues."
                )
            rows.append(list(row[:max_columns]))
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError("Le fichier XLSX est illisible ou endommagé.") from error
    finally:
        workbook.close()
    while rows and not any(cell not in (None, "") for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValidationError("La première feuille du classeur est vide.")
    headers = rows[0]
    while headers and headers[-1] in (None, ""):
        headers = headers[:-1]
    return list(headers), rows[1:]


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit` (linear, no recursion)."""
    brackets = _JSON_NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _read_json(text: str) -> tuple[list, list]:
    if json_depth_exceeds(text, JSON_MAX_DEPTH):
        raise ValidationError(
            f"Le JSON est trop imbriqué (plus de {JSON_MAX_DEPTH} niveaux de crochets ou "
            "d'accolades) : le fichier doit être une liste d'objets dont les valeurs sont du "
            "texte, des nombres ou des dates."
        )
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"JSON invalide (ligne {error.lineno}, colonne {error.colno}) : {error.msg}."
        ) from error
    except RecursionError as error:  # a guard behind the depth check above
        raise ValidationError("Le JSON est trop imbriqué.") from error
    if isinstance(payload, dict):
        payload = next((value for value in payload.values() if isinstance(value, list)), None)
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise ValidationError("Le JSON doit être une liste d'objets (un objet par enregistrement).")
    max_rows, max_columns = _limit("IMPORT_MAX_ROWS"), _limit("IMPORT_MAX_COLUMNS")
    if len(payload) > max_rows:
        raise ValidationError(
            f"Le fichier a plus de {_number(max_rows)} enregistrements, la limite : "
            "découpez-le en plusieurs fichiers."
        )
    seen: dict[str, None] = {}
    for item in payload:
        seen.update(dict.fromkeys(item))
        if len(seen) > max_columns:
            raise ValidationError(
                f"Le fichier a plus de {_number(max_columns)} champs différents, la limite : "
                "gardez seulement les champs attendus."
            )
    headers = list(seen)
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

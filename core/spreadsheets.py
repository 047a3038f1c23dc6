"""Spreadsheets as the committee opens them: the one set of rules for every export cell.

Every admin listing and report export (snippets, site history, monitoring dashboards) goes
through Wagtail's ``SpreadsheetExportMixin``, patched once by ``install_spreadsheet_exports``
(called from ``pages.apps``) so that the files open cleanly in a French Excel or LibreOffice:

- **CSV for Excel**: UTF-8 with a byte-order mark (Excel otherwise reads « Réalisé » as
  « RÃ©alisÃ© »), ``;`` between columns (a French Excel splits on it, not on commas), decimal
  commas, dates ``03/12/2026`` and times in Paris time, ``Oui``/``Non`` for booleans. The
  platform's own import reads this format back (``imports.reading.detect_separator``).
- **XLSX**: one named sheet (the listing's title, not « Sheet1 ») and times in Paris time (Wagtail
  writes them in UTC).
- **Formula injection**: a spreadsheet reads a CSV cell starting with ``=``, ``+``, ``-``, ``@``,
  a tab or a line break as a formula: ``=HYPERLINK("http://x")`` typed by a partner in a comment
  would become a live link in the committee's export. Such a *text* cell is written with a
  leading apostrophe, which spreadsheets show as plain text. Numbers, dates and booleans are never
  touched: ``-3`` in a numeric column stays the number -3. XLSX needs nothing: Wagtail already
  stores formula-looking cells as strings.

The open-data files (``/donnees/*.csv``) follow the open-data convention instead (comma, no BOM,
ISO dates) and only borrow ``neutralise_formula``.
"""

import csv
import datetime
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.text import capfirst
from wagtail.admin.views.mixins import Echo, ExcelDateFormatter, SpreadsheetExportMixin

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
TEXT_PREFIX = "'"
CSV_SEPARATOR = ";"
UTF8_BOM = "\ufeff"
# Excel refuses these characters in a sheet name and cuts names at 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


def neutralise_formula(value):
    """The value, with an apostrophe before a text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return TEXT_PREFIX + value
    return value


def local_naive(value: datetime.datetime) -> datetime.datetime:
    """A datetime as the screens show it: Paris time, naive (spreadsheets have no timezone)."""
    if timezone.is_naive(value):
        return value
    return timezone.make_naive(value, timezone.get_default_timezone())


def csv_cell(value):
    """One CSV cell for a French spreadsheet (after Wagtail's own preprocessing)."""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return local_naive(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float | Decimal):
        return format(value, "f" if isinstance(value, Decimal) else "g").replace(".", ",")
    return neutralise_formula(value)


def sheet_title(view) -> str:
    """The XLSX sheet's name: the view's `sheet_title`, else its page title, else the file name."""
    page_title = getattr(view, "get_page_title", lambda: "")
    title = (
        getattr(view, "sheet_title", "")
        or str(page_title() or "")
        or view.get_filename().replace("-", " ")
    )
    title = _SHEET_FORBIDDEN.sub(" ", capfirst(str(title))).strip()
    return title[:SHEET_TITLE_MAX].rstrip() or "Export"


def install_spreadsheet_exports() -> None:
    """Make every SpreadsheetExportMixin view write French, Excel-ready, injection-safe files."""
    mixin = SpreadsheetExportMixin
    if getattr(mixin, "french_spreadsheets", False):
        return
    original_preprocess = mixin.preprocess_field_value

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, datetime.datetime) and field not in self.custom_field_preprocess:
            value = local_naive(value)
        result = original_preprocess(self, field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return csv_cell(result)
        return result

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=CSV_SEPARATOR)
        yield UTF8_BOM.encode("utf-8")
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=sheet_title(self))
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(
                self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format)
            )
        workbook.save(output)

    def write_csv_response(self, queryset):
        response = original_csv_response(self, queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    original_csv_response = mixin.write_csv_response
    mixin.preprocess_field_value = preprocess_field_value
    mixin.stream_csv = stream_csv
    mixin.write_xlsx = write_xlsx
    mixin.write_csv_response = write_csv_response
    mixin.french_spreadsheets = True

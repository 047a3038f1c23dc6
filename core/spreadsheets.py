"""CSV formula injection: the one rule for every spreadsheet cell the platform writes.

A spreadsheet (Excel, LibreOffice) reads a CSV cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a line break as a formula: ``=HYPERLINK("http://x")`` typed by a partner in a comment
would become a live link (or worse) in the committee's export. Such a *text* cell is written with
a leading apostrophe, which spreadsheets show as plain text. Numbers, dates and booleans are never
touched: ``-3`` in a numeric column stays the number -3.

Lives in ``pages``, the site's frame, and imports no domain app: any app may import it. Writers:
``opendata.views.csv_content`` (text columns of the Table Schemas) and Wagtail's
``SpreadsheetExportMixin`` (every admin listing and report export: snippets, site history,
monitoring dashboards), patched once by ``install_spreadsheet_export_escaping`` from
``pages.apps``. XLSX needs nothing: Wagtail already stores formula-looking cells as strings.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
TEXT_PREFIX = "'"


def neutralise_formula(value):
    """The value, with an apostrophe before a text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return TEXT_PREFIX + value
    return value


def install_spreadsheet_export_escaping() -> None:
    """Make Wagtail's CSV exports (every SpreadsheetExportMixin view) neutralise formulas."""
    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        result = original(self, field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(result)
        return result

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value

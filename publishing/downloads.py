"""The download links of a charter's version in force (DOCX, PDF/A, signed copy)."""

from charter.models import CharterPage

from .docx.export import DocxExportError, export_docx
from .docx.pdf import pdf_offer
from .selectors import version_in_force


def version_downloads(*, charter: CharterPage) -> dict:
    """The version in force and its DOCX (made once, then cached by fingerprint): size and path.

    What changes only with the versions, the logos or the day; `with_pdf_offer` adds the PDF's
    part, which changes when the PDF is first produced.
    """
    version = version_in_force(charter=charter, snapshot=False)
    if version is None:
        return {"charter": charter, "version": None}
    try:
        # The frozen text (a second query) is read only to make the DOCX, the first time.
        docx = export_docx(lambda: version.snapshot, fingerprint=version.fingerprint)
    except DocxExportError:
        docx = None  # the page is still served; the link says the DOCX is unavailable
    return {
        "charter": charter,
        "version": version,
        "docx_size": docx.size if docx else None,
        "docx_path": docx.path if docx else None,
    }


def with_pdf_offer(downloads: dict) -> dict:
    """`version_downloads` and the PDF's offer: available at all, and its size once produced."""
    if downloads["version"] is None:
        return downloads
    return {**downloads, **pdf_offer(downloads["docx_path"])}

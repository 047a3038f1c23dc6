from django import template

register = template.Library()


@register.filter(name="filesize_fr")
def filesize_fr(size: int | None) -> str:
    """A file size in base-1000 units with a decimal comma: « 120,45 ko »."""
    if size is None:
        return ""
    for unit, factor in (("Go", 10**9), ("Mo", 10**6), ("ko", 10**3)):
        if size >= factor:
            return f"{size / factor:.2f} {unit}".replace(".", ",")
    return f"{size} octets"


@register.inclusion_tag("publishing/includes/charter_downloads.html")
def charter_downloads(charter) -> dict:
    """The download links of the version in force: format and size in the link text."""
    from publishing.docx.export import DocxExportError, export_docx
    from publishing.docx.pdf import pdf_offer
    from publishing.selectors import version_in_force

    version = version_in_force(charter=charter)
    if version is None:
        return {"charter": charter, "version": None}
    try:
        docx = export_docx(version.snapshot, fingerprint=version.fingerprint)
    except DocxExportError:
        docx = None  # the page is still served; the link says the DOCX is unavailable
    return {
        "charter": charter,
        "version": version,
        "docx_size": docx.size if docx else None,
        **pdf_offer(docx.path if docx else None),
    }

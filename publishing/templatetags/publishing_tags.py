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
    from publishing.downloads import version_downloads, with_pdf_offer

    return with_pdf_offer(version_downloads(charter=charter))


@register.inclusion_tag("publishing/includes/charter_downloads.html")
def download_links(downloads: dict) -> dict:
    """The same links from `publishing.downloads.with_pdf_offer`, read beforehand (home page)."""
    return downloads

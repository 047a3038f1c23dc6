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

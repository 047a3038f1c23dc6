"""Public pages of the versions: the version in force, earlier ones, changes, DOCX downloads."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from charter.choices import FICHE_FIELDS
from charter.models import CharterPage
from core import params as query
from core.params import BadParameter
from glossary.linking import Lexicon

from .diff import compare
from .docx.export import DOCX_CONTENT_TYPE, DocxExportError, export_docx
from .docx.pdf import PDF_CONTENT_TYPE, PdfExportError, export_pdf, pdf_offer
from .models import CharterVersion
from .selectors import previous_version, public_charters, public_versions, version_in_force


def _charter(slug: str) -> CharterPage:
    """The public charter (`CharterPage.objects.public()`) of the URL, else 404."""
    return get_object_or_404(public_charters(), slug=slug)


def _public_version(charter: CharterPage, pk: int) -> CharterVersion:
    return get_object_or_404(public_versions(charter=charter), pk=pk)


def docx_filename(version: CharterVersion, extension: str = "docx") -> str:
    return f"{slugify(version.charter.title)[:60]}-{slugify(version.name)}.{extension}"


def version_list(request, charter_slug: str):
    """The version in force and the earlier ones."""
    charter = _charter(charter_slug)
    versions = list(public_versions(charter=charter))
    in_force = version_in_force(charter=charter)
    return render(
        request,
        "publishing/version_list.html",
        {"charter": charter, "versions": versions, "in_force": in_force},
    )


def version_detail(request, charter_slug: str, pk: int):
    """One version's frozen content, with its DOCX download link."""
    charter = _charter(charter_slug)
    version = _public_version(charter, pk)
    try:
        docx = export_docx(version.snapshot, fingerprint=version.fingerprint)
    except DocxExportError:
        docx = None  # the page still shows the text; the template says the DOCX is missing
    snapshot = version.snapshot
    commitments: dict[str, list] = {}
    for commitment in snapshot["commitments"]:
        commitments.setdefault(commitment["action"], []).append(commitment)
    for orientation in snapshot["orientations"]:
        for action in orientation["actions"]:
            action["fiche_list"] = [
                (label, action["fiche"].get(name, ""))
                for name, label in FICHE_FIELDS
                if action["fiche"].get(name, "").strip()
            ]
            action["commitment_list"] = commitments.get(action["code"], [])
    return render(
        request,
        "publishing/version_detail.html",
        {
            "charter": charter,
            "version": version,
            "snapshot": snapshot,
            "in_force": version_in_force(charter=charter),
            "previous": previous_version(version=version),
            "docx_size": docx.size if docx else None,
            **pdf_offer(docx.path if docx else None),
            # The version's own lexicon, frozen with it: acronyms link to its table below.
            "lexicon": Lexicon.from_terms(
                ((entry["term"], entry["definition"]) for entry in snapshot["lexicon"]), url=""
            ),
        },
    )


def version_docx(request, charter_slug: str, pk: int):
    """The DOCX of a public version (served from the fingerprint cache)."""
    charter = _charter(charter_slug)
    version = _public_version(charter, pk)
    try:
        exported = export_docx(version.snapshot, fingerprint=version.fingerprint)
    except DocxExportError as error:
        return docx_unavailable(request, error, charter=charter, version=version)
    return FileResponse(
        exported.path.open("rb"),
        as_attachment=True,
        filename=docx_filename(version),
        content_type=DOCX_CONTENT_TYPE,
    )


def version_pdf(request, charter_slug: str, pk: int):
    """The PDF/A of a public version (made by LibreOffice from the DOCX, cached likewise)."""
    charter = _charter(charter_slug)
    version = _public_version(charter, pk)
    try:
        exported = export_pdf(version.snapshot, fingerprint=version.fingerprint)
    except (DocxExportError, PdfExportError) as error:
        return docx_unavailable(request, error, charter=charter, version=version)
    return FileResponse(
        exported.path.open("rb"),
        as_attachment=True,
        filename=docx_filename(version, "pdf"),
        content_type=PDF_CONTENT_TYPE,
    )


def docx_unavailable(request, error: Exception, **context):
    """A clear page (503, retry later) instead of a server error when the DOCX cannot be made."""
    response = render(
        request,
        "publishing/docx_unavailable.html",
        {**context, "message": str(error)},
        status=503,
    )
    response["Retry-After"] = "300"
    return response


def version_changes(request, charter_slug: str):
    """« Ce qui a changé » between two public versions (default: the previous one and in force)."""
    charter = _charter(charter_slug)
    versions = list(public_versions(charter=charter))
    try:
        new = _chosen_version(request, "a", versions) or version_in_force(charter=charter)
        if new is None:
            raise Http404("Aucune version publiée.")
        old = _chosen_version(request, "de", versions) or previous_version(version=new)
    except BadParameter as error:
        return query.bad_request(request, error)
    sections = compare(old.snapshot, new.snapshot) if old else []
    return render(
        request,
        "publishing/version_changes.html",
        {"charter": charter, "versions": versions, "old": old, "new": new, "sections": sections},
    )


def _chosen_version(request, name: str, versions: list[CharterVersion]) -> CharterVersion | None:
    """The public version named by ``?a=`` / ``?de=`` (None if absent; BadParameter if unknown)."""
    pk = query.integer(request.GET, name)
    if pk is None:
        return None
    for version in versions:
        if version.pk == pk:
            return version
    raise BadParameter(
        f"La version n° {pk} n'est pas une version publiée de cette charte : choisissez-la dans "
        "la liste des versions."
    )

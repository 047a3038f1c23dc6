"""factory_boy factories and page builders for the charter app's models (partners, pages,
signatories, signatures): the test data of every app is built from these, never parsed."""

import datetime

import factory
from wagtail.models import Page

from charter.choices import DocumentType, SignatoryRole, SignatureStatus
from charter.models import (
    ActionPage,
    CharterPage,
    Declaration,
    OrientationPage,
    Partner,
    Signatory,
    Signature,
)
from charter.selectors import charters_home


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Association de test n°{n}")
    short_name = factory.Sequence(lambda n: f"AT{n}")
    slug = factory.Sequence(lambda n: f"at-{n}")


def _add_page(parent: Page, page: Page, *, publish: bool) -> Page:
    parent.add_child(instance=page)
    if publish:
        page.save_revision(clean=False).publish(skip_permission_checks=True)
        page.refresh_from_db()
    return page


def charter_page(
    *,
    parent: Page | None = None,
    slug: str = "charte-de-test",
    title: str = "Charte de test",
    publish: bool = True,
    **values,
) -> CharterPage:
    """A charter edition under the home page (published unless told otherwise)."""
    values = {"territory": "Testville", "document_type": DocumentType.CHARTER, **values}
    page = CharterPage(slug=slug, title=title, **values)
    return _add_page(parent or charters_home(), page, publish=publish)


def orientation_page(*, charter: CharterPage, number: int, title: str = "", publish=True, **v):
    """An orientation of `charter`, numbered `number`."""
    page = OrientationPage(
        slug=f"orientation-{number}",
        title=title or f"Orientation de test {number}",
        number=number,
        **v,
    )
    return _add_page(charter, page, publish=publish)


def action_page(
    *, orientation: OrientationPage, number: int, code: str = "", title: str = "", publish=True, **v
) -> ActionPage:
    """An action (fiche) of `orientation`; its code is its number unless given."""
    code = code or str(number)
    page = ActionPage(
        slug=f"action-{code}",
        title=title or f"Action de test {code}",
        number=number,
        code=code,
        **v,
    )
    return _add_page(orientation, page, publish=publish)


def signatories_set(
    *,
    charter: CharterPage,
    partners: list[Partner],
    copilots: tuple[Partner, ...] = (),
    declarations: list[dict] = (),
) -> CharterPage:
    """Replace the charter's signatories (and declarations) and publish the change."""
    charter.signatories = [
        Signatory(
            sort_order=i,
            partner=p,
            role=SignatoryRole.COPILOT if p in copilots else SignatoryRole.PARTNER,
        )
        for i, p in enumerate(partners)
    ]
    charter.declarations = [Declaration(sort_order=i, **d) for i, d in enumerate(declarations)]
    charter.save_revision(clean=False).publish(skip_permission_checks=True)
    charter.refresh_from_db()
    return charter


class SignatureFactory(factory.django.DjangoModelFactory):
    """A recorded signature (the partner must be a signatory of the charter)."""

    class Meta:
        model = Signature

    charter = None
    partner = None
    status = SignatureStatus.SIGNED
    signer_name = factory.Sequence(lambda n: f"Signataire {n}")
    signer_title = "Directeur"
    signed_on = datetime.date(2030, 1, 15)

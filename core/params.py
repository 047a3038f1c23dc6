"""Query-string parameters: one strict reading for every public and admin page.

A parameter the page cannot use is never guessed at nor silently ignored: the reading raises
``BadParameter`` with a French message saying what to do, and the view answers 400 (the JSON
error of the API, the French 400 page of the site, or a form error in the admin). Rules:

- a parameter is given at most once;
- no NUL byte nor other control character (PostgreSQL refuses NUL in text), at most
  ``MAX_LENGTH`` characters;
- an integer is ASCII digits only (no sign, no « ² », no « 1e9 ») between a minimum and
  ``MAX_INTEGER``, which every database column and SQL OFFSET accepts;
- a choice is one of its listed values.

Admin filter forms get the same integer rule as a form error: ``ModelIdChoiceField`` (the
dashboards' filters) and, through ``install_filter_id_check`` (called once from ``pages.apps``),
every django-filter ``ModelChoiceFilter`` of the Wagtail admin listings.

Lives in ``pages``, the site's frame, and imports no domain app: any app may import it.
"""

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import render

MAX_LENGTH = 200
MAX_INTEGER = 2**31 - 1
INTEGER_FIELDS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
# NUL and the control characters that are not white space (tab, line feed, carriage return).
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadParameter(ValueError):
    """A query parameter the page cannot use; the message (French) says what to do."""


def text(params: QueryDict, name: str, *, default: str = "", max_length: int = MAX_LENGTH) -> str:
    """The parameter's value (or default), once, without control characters, not too long."""
    values = params.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise BadParameter(f"Le paramètre « {name} » est donné plusieurs fois : gardez-en un seul.")
    value = values[0]
    if FORBIDDEN.search(value):
        raise BadParameter(
            f"Le paramètre « {name} » contient des caractères de contrôle (octet nul…) : "
            "retirez-les."
        )
    if len(value) > max_length:
        raise BadParameter(
            f"Le paramètre « {name} » dépasse {max_length} caractères : raccourcissez-le."
        )
    return value


def integer(
    params: QueryDict,
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = MAX_INTEGER,
) -> int | None:
    """The parameter as a whole number between minimum and maximum (or default if absent)."""
    value = text(params, name).strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or not minimum <= int(value) <= maximum:
        raise BadParameter(
            f"Le paramètre « {name} » doit être un nombre entier compris entre {minimum} et "
            f"{maximum} (reçu : « {value[:30]} »)."
        )
    return int(value)


def choice(params: QueryDict, name: str, choices: Iterable[str], *, default: str = "") -> str:
    """The parameter if it is one of the choices (or default if absent or empty)."""
    choices = list(choices)
    value = text(params, name)
    if not value:
        return default
    if value not in choices:
        raise BadParameter(
            f"Valeur inconnue pour « {name} » : « {value[:30]} » (valeurs possibles : "
            f"{', '.join(choices)})."
        )
    return value


def only(params: QueryDict, allowed: Iterable[str]) -> None:
    """Refuse the parameters a page does not know (rather than ignoring them)."""
    allowed = list(allowed)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise BadParameter(
            f"Paramètre inconnu : {', '.join(unknown)} (paramètres possibles : "
            f"{', '.join(allowed) or 'aucun'})."
        )


def bad_request(request, error: BadParameter) -> HttpResponse:
    """The site's French 400 page, with the message of the refused parameter."""
    return render(request, "400.html", {"message": str(error)}, status=400)


def _integer_key(queryset, to_field_name: str | None) -> bool:
    meta = queryset.model._meta
    field = meta.get_field(to_field_name) if to_field_name else meta.pk
    while field.is_relation:  # a page's pk is its page_ptr: follow it to Page.id
        field = field.target_field
    return field.get_internal_type() in INTEGER_FIELDS


class IdCheckMixin:
    """For a model choice keyed by an integer: refuse a non-numeric or huge id before any query.

    (On SQLite a huge id raises OverflowError, a server error, instead of « choix invalide ».)
    """

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and value != getattr(self, "null_value", None)
            and _integer_key(self.queryset, self.to_field_name)
        ):
            key = str(value).strip()
            if not (key.isascii() and key.isdigit()) or int(key) > MAX_INTEGER:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelIdChoiceField(IdCheckMixin, forms.ModelChoiceField):
    """A ModelChoiceField for filter forms (see IdCheckMixin)."""


def install_filter_id_check() -> None:
    """Every django-filter ModelChoiceFilter (the Wagtail admin listings' filters) checks ids."""
    from django_filters import fields, filters

    if issubclass(filters.ModelChoiceFilter.field_class, IdCheckMixin):
        return

    class FilterIdChoiceField(IdCheckMixin, fields.ModelChoiceField):
        pass

    filters.ModelChoiceFilter.field_class = FilterIdChoiceField

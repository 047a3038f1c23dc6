"""Import widgets that read French spreadsheets and fail with French messages (ValueError)."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify
from import_export import widgets

from charter.parsing.cleanup import fold


class TextWidget(widgets.CharWidget):
    """Text, stripped; an empty cell gives None (so that it leaves the value unchanged)."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        return text or None


class IntegerWidget(widgets.Widget):
    """A whole number: « 50 », « 50 % », 50.0 (spreadsheets)."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        text = str(value).replace("\u00a0", "").replace(" ", "").rstrip("%")
        if re.fullmatch(r"-?\d+(?:[.,]0+)?", text):
            return int(re.split(r"[.,]", text)[0])
        raise ValueError(f"{self.label} : nombre entier attendu, « {value} » reçu.")


class DecimalWidget(widgets.Widget):
    """A number written the French way (« 1 234,5 ») or the English way (« 1234.5 »)."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Decimal(str(value))
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
        if "," in text and "." in text:
            text = text.replace(".", "").replace(",", ".")
        text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite():
            raise ValueError(f"{self.label} : nombre attendu, « {value} » reçu.")
        return number


class DateWidget(widgets.Widget):
    """A date: AAAA-MM-JJ, JJ/MM/AAAA or a spreadsheet date cell."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(
            f"{self.label} : date invalide « {value} » (format attendu : AAAA-MM-JJ ou JJ/MM/AAAA)."
        )


class ChoiceWidget(widgets.Widget):
    """A value of a TextChoices, given as its code or its French label (any case, any accent)."""

    def __init__(self, choices, label: str, refuse: dict[str, str] | None = None):
        super().__init__()
        self.choices = choices
        self.label = label
        self.refuse = refuse or {}
        self.by_key = {}
        for value, text in choices.choices:
            self.by_key[fold(value)] = value
            self.by_key[fold(str(text))] = value
            self.by_key[fold(value.replace("_", " "))] = value

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        key = fold(str(value))
        if key in self.refuse:
            raise ValueError(self.refuse[key])
        if key not in self.by_key:
            allowed = ", ".join(str(text) for _value, text in self.choices.choices)
            raise ValueError(f"{self.label} inconnu : « {value} » (valeurs possibles : {allowed}).")
        return self.by_key[key]


class LookupWidget(widgets.Widget):
    """A reference to an existing record, resolved by a function of (value, row)."""

    def __init__(self, resolve, render=str):
        super().__init__()
        self.resolve = resolve
        self.render_value = render

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        return self.resolve(str(value).strip(), row or {})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.render_value(value)


def slug_for(text: str) -> str:
    """A URL identifier for a partner."""
    return slugify(text)[:100]

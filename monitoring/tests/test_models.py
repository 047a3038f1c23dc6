"""Indicator values: one per indicator and year, a number or a narrative by the indicator's kind."""

import pytest
from django.core.exceptions import ValidationError

from monitoring.choices import IndicatorKind
from monitoring.models import IndicatorValue

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_quantitative_indicator_values_need_a_number_and_qualitative_ones_a_narrative():
    quantitative = IndicatorFactory(kind=IndicatorKind.QUANTITATIVE)
    qualitative = IndicatorFactory(kind=IndicatorKind.QUALITATIVE)

    with pytest.raises(ValidationError, match="valeur chiffrée"):
        IndicatorValue(indicator=quantitative, year=2018).full_clean()
    with pytest.raises(ValidationError, match="commentaire"):
        IndicatorValue(indicator=qualitative, year=2018).full_clean()
    IndicatorValue(indicator=quantitative, year=2018, value=1234).full_clean()
    IndicatorValue(indicator=qualitative, year=2018, narrative="Cellule créée").full_clean()


def test_one_value_per_indicator_and_year():
    indicator = IndicatorFactory()
    IndicatorValue.objects.create(indicator=indicator, year=2019, value=10)
    with pytest.raises(ValidationError, match="existe déjà"):
        IndicatorValue(indicator=indicator, year=2019, value=12).full_clean()

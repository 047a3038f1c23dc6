"""factory_boy factories for the monitoring tests."""

import factory

from monitoring.models import Indicator


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    name = factory.Sequence(lambda n: f"Indicateur {n}")

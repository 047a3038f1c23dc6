"""Indicator library, yearly values with targets, year charts and public small-count masking."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape

from monitoring.charts import year_chart
from monitoring.models import Indicator, IndicatorTarget, IndicatorValue
from monitoring.selectors import indicator_series, public_count, public_indicator_values

pytestmark = pytest.mark.django_db

PROCEDURE_SERIES = [
    "Nombre d'assignations aux fins de résiliation du bail",
    "Nombre de décisions de justice ordonnant l'expulsion",
    "Nombre de commandements de quitter les lieux",
    "Nombre de demandes de concours de la force publique",
    "Nombre de concours de la force publique accordés",
    "Nombre d'expulsions effectives avec le concours de la force publique",
    "Nombre de commandements de payer reçus par la CCAPEX",
    "Nombre de dossiers examinés par la CCAPEX",
]


def test_library_holds_the_procedure_series_and_the_seed_indicators():
    names = set(Indicator.objects.values_list("name", flat=True))
    assert set(PROCEDURE_SERIES) <= names
    # The plan fiches' indicators are there too (e.g. the technical cell, tests/synthetic.py).
    assert any("cellule" in name.lower() for name in names)
    assert Indicator.objects.filter(name__in=PROCEDURE_SERIES, kind="quantitative").count() == 8


@pytest.fixture
def assignations():
    indicator = Indicator.objects.get(name=PROCEDURE_SERIES[0])
    IndicatorValue.objects.create(indicator=indicator, year=2017, value=5012, source="TJ Paris")
    IndicatorValue.objects.create(indicator=indicator, year=2018, value=4800, source="TJ Paris")
    IndicatorTarget.objects.create(indicator=indicator, year=2018, value=4500)
    IndicatorTarget.objects.create(indicator=indicator, year=2019, value=4000)
    return indicator


def test_series_merge_values_and_targets_by_year(assignations, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        series = indicator_series(indicators=Indicator.objects.filter(pk=assignations.pk))
    points = series[0].points
    assert [(p.year, p.value, p.target) for p in points] == [
        (2017, Decimal("5012"), None),
        (2018, Decimal("4800"), Decimal("4500")),
        (2019, None, Decimal("4000")),
    ]
    assert points[0].source == "TJ Paris"


def test_year_chart_draws_one_bar_per_value_and_one_mark_per_target(assignations):
    series = indicator_series(indicators=Indicator.objects.filter(pk=assignations.pk))[0]
    svg = year_chart(series=series, chart_id="x")
    assert svg.count("<rect") == 2 and svg.count("stroke-dasharray") == 2
    assert "<title>2018 : 4\u202f800</title>" in svg
    assert "role='img'" in svg and "aria-labelledby='x-title'" in svg


def test_chart_labels_are_escaped():
    indicator = Indicator.objects.create(name="<script>alert(1)</script>")
    IndicatorValue.objects.create(indicator=indicator, year=2020, value=3)
    series = indicator_series(indicators=Indicator.objects.filter(pk=indicator.pk))[0]
    assert "<script>" not in year_chart(series=series, chart_id="y")


def test_small_counts_are_hidden_below_the_threshold(settings):
    settings.INDICATOR_PUBLIC_MIN_COUNT = 11
    assert public_count(Decimal(10)) is None
    assert public_count(Decimal(11)) == 11
    assert public_count(0) == 0  # zero reveals nobody
    assert public_count(None) is None
    settings.INDICATOR_PUBLIC_MIN_COUNT = 3
    assert public_count(Decimal(10)) == 10


def test_public_values_and_template_filter(settings):
    settings.INDICATOR_PUBLIC_MIN_COUNT = 11
    indicator = Indicator.objects.create(name="Ménages orientés vers la cellule technique")
    IndicatorValue.objects.create(indicator=indicator, year=2019, value=4)
    IndicatorValue.objects.create(indicator=indicator, year=2020, value=1250)
    assert public_indicator_values(indicator=indicator) == [
        (2019, None, ""),
        (2020, Decimal("1250"), ""),
    ]
    template = Template("{% load monitoring_tags %}{{ a|public_count }}|{{ b|public_count }}")
    rendered = template.render(Context({"a": Decimal(4), "b": Decimal("1250.00")}))
    assert rendered == "moins de 11|1\u202f250"


def test_indicator_page_and_export(client, committee_user, assignations):
    client.force_login(committee_user)
    html = client.get(reverse("monitoring:indicators")).content.decode()
    assert f"{escape(assignations.name)} : valeurs annuelles et cibles</caption>" in html
    response = client.get(reverse("monitoring:indicators_export"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Indicateur;Unité;Année;Valeur;Cible" in content
    assert f"{assignations.name};assignations;2018;4800,00;4500,00;TJ Paris" in content


def test_source_partner_enters_its_own_yearly_value(client, small, contributor_user):
    own = Indicator.objects.create(name="Signalements CAF", source_partner=small.p1, unit="ménages")
    other = Indicator.objects.create(name="Saisines du SIAO", source_partner=small.p2)
    client.force_login(contributor_user)
    url = reverse("monitoring:indicator_values")
    page = client.get(url).content.decode()
    assert "Signalements CAF" in page and "Saisines du SIAO" not in page

    data = {
        "indicator": own.pk,
        "year": 2024,
        "value": "1234",
        "source": "CAF de Paris",
        "recorded_on": "2025-02-01",
        "narrative": "",
    }
    assert client.post(url, data).status_code == 302
    client.post(url, {**data, "value": "1300"})  # replaces the 2024 value
    value = IndicatorValue.objects.get(indicator=own, year=2024)
    assert (value.value, value.source, str(value.recorded_on)) == (
        Decimal("1300"),
        "CAF de Paris",
        "2025-02-01",
    )

    response = client.post(url, {**data, "indicator": other.pk})
    assert response.status_code == 200  # refused by the form: not one of its indicators
    assert not IndicatorValue.objects.filter(indicator=other).exists()


def test_quantitative_value_is_required_with_a_french_message(client, small, secretariat_user):
    indicator = Indicator.objects.create(name="Nombre de ménages accompagnés")
    client.force_login(secretariat_user)
    response = client.post(
        reverse("monitoring:indicator_values"),
        {"indicator": indicator.pk, "year": 2024, "value": "", "source": "DRIHL"},
    )
    assert "Un indicateur quantitatif demande une valeur chiffrée." in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


def test_users_without_indicators_are_refused(client, small, committee_user):
    client.force_login(committee_user)
    assert client.get(reverse("monitoring:indicator_values")).status_code == 403

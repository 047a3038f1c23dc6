"""Meetings and indicators moved from engagements to monitoring: tables, rows and rights kept."""

import datetime
from decimal import Decimal

import pytest

from conftest import migrate_to

BEFORE = [("engagements", "0010_markdown_help"), ("monitoring", "0004_review_permissions")]


@pytest.mark.django_db(transaction=True)
def test_rows_of_the_old_shape_are_found_through_the_monitoring_models():
    old = migrate_to(BEFORE)
    try:
        Indicator = old.get_model("engagements", "Indicator")
        IndicatorValue = old.get_model("engagements", "IndicatorValue")
        CommitteeMeeting = old.get_model("engagements", "CommitteeMeeting")
        ActionPage = old.get_model("charter", "ActionPage")
        Partner = old.get_model("charter", "Partner")
        Group = old.get_model("auth", "Group")
        Permission = old.get_model("auth", "Permission")
        partner = Partner.objects.create(name="Organisme de migration", slug="organisme-migration")
        action = ActionPage.objects.order_by("path").first()
        indicator = Indicator.objects.create(
            name="Indicateur de migration", unit="ménages", source_partner=partner
        )
        indicator.actions.add(action)
        IndicatorValue.objects.create(indicator=indicator, year=2021, value=Decimal("12.50"))
        old.get_model("monitoring", "IndicatorTarget").objects.create(
            indicator=indicator, year=2022, value=20
        )
        meeting = CommitteeMeeting.objects.create(date=datetime.date(2021, 6, 1), title="Comité")
        old.get_model("monitoring", "Decision").objects.create(meeting=meeting, text="Décidé")
        group = Group.objects.create(name="Lecteurs des indicateurs (migration)")
        group.permissions.add(
            Permission.objects.get(content_type__app_label="engagements", codename="view_indicator")
        )
    finally:
        new = migrate_to()

    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from monitoring.models import CommitteeMeeting, Indicator, IndicatorValue

    moved = Indicator.objects.get(pk=indicator.pk)
    assert (moved.name, moved.unit, moved.source_partner.name) == (
        "Indicateur de migration",
        "ménages",
        "Organisme de migration",
    )
    assert list(moved.actions.values_list("pk", flat=True)) == [action.pk]
    assert [(v.year, v.value) for v in moved.values.all()] == [(2021, Decimal("12.50"))]
    assert [(t.year, t.value) for t in moved.targets.all()] == [(2022, 20)]
    assert IndicatorValue.objects.filter(indicator=moved).count() == 1
    held = CommitteeMeeting.objects.get(pk=meeting.pk)
    assert [d.text for d in held.decisions.all()] == ["Décidé"]
    # The content types follow the models: the group keeps its right, under monitoring.
    assert not ContentType.objects.filter(
        app_label="engagements", model__in=["indicator", "indicatorvalue", "committeemeeting"]
    ).exists()
    rights = Group.objects.get(name=group.name).permissions.values_list(
        "content_type__app_label", "codename"
    )
    assert list(rights) == [("monitoring", "view_indicator")]
    assert new.get_model("monitoring", "Indicator")._meta.db_table == "engagements_indicator"


@pytest.mark.django_db(transaction=True)
def test_a_content_type_recreated_meanwhile_receives_the_old_ones_rights():
    """`migrate` back then forward: post_migrate has recreated monitoring's content type."""
    old = migrate_to(BEFORE)
    try:
        ContentType = old.get_model("contenttypes", "ContentType")
        Permission = old.get_model("auth", "Permission")
        Group = old.get_model("auth", "Group")
        recreated = ContentType.objects.create(app_label="monitoring", model="committeemeeting")
        Permission.objects.create(
            content_type=recreated, codename="view_committeemeeting", name="Can view"
        )
        group = Group.objects.create(name="Lecteurs des réunions (migration)")
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label="engagements", codename="view_committeemeeting"
            )
        )
    finally:
        migrate_to()

    from django.contrib.auth.models import Group, Permission

    rights = Group.objects.get(name=group.name).permissions.values_list(
        "content_type__app_label", "codename"
    )
    assert list(rights) == [("monitoring", "view_committeemeeting")]
    assert not Permission.objects.filter(
        content_type__app_label="engagements", codename__endswith="_committeemeeting"
    ).exists()

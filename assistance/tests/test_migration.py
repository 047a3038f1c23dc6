"""The data migration that moved the home page's procedure stages into help pages loses nothing,
both ways."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from assistance.models import HelpIndexPage, HelpStagePage

FIELDS = ("title", "description", "what_to_do", "who_helps")


def _state_apps(*targets):
    loader = MigrationLoader(connection)
    return loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_stages_go_back_to_the_home_page_and_forth_without_loss():
    index = HelpIndexPage.objects.get()
    before = [
        tuple(getattr(stage, name) for name in FIELDS)
        for stage in HelpStagePage.objects.child_of(index).order_by("path")
    ]
    intro, contacts = index.introduction, index.general_contacts
    assert len(before) == 7 and intro and contacts
    try:
        call_command("migrate", "pages", "0005_markdown_help", verbosity=0)
        call_command("migrate", "assistance", "0001_initial", verbosity=0)
        apps = _state_apps(("pages", "0005_markdown_help"), ("assistance", "0001_initial"))
        home = apps.get_model("pages", "HomePage").objects.get()
        stages = apps.get_model("pages", "ProcedureStage").objects.filter(page=home)
        restored = [
            tuple(getattr(stage, name) for name in FIELDS)
            for stage in stages.order_by("sort_order")
        ]
        assert restored == before
        assert (home.help_introduction, home.help_contacts) == (intro, contacts)
        assert not apps.get_model("assistance", "HelpIndexPage").objects.exists()
    finally:
        call_command("migrate", verbosity=0)
    index = HelpIndexPage.objects.get()
    after = [
        tuple(getattr(stage, name) for name in FIELDS)
        for stage in HelpStagePage.objects.child_of(index).order_by("path")
    ]
    assert after == before
    assert (index.introduction, index.general_contacts) == (intro, contacts)
    assert index.get_children().filter(slug="proprietaire").exists()
    assert index.url_path == "/home/aide/" or index.url_path.endswith("/aide/")

"""Project-wide pytest fixtures: the demo charter is loaded once into the test database."""

import datetime
import json

import pytest
from django.core.management import call_command

# Role users and partners' commitments of the partner workspace (issue 4).
pytest_plugins = ["engagements.tests.fixtures"]


# The database as the session set it up (migrations + demo charter), serialised once.
_SESSION_STATE: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real demo charter once; each test then runs inside a rolled-back transaction.

    Transactional tests flush the database: `_demo_charter_after_flush` restores it before
    each of them, and the teardown below after the last one.
    """
    from django.db import connection

    from demo.loader import load_demo

    with django_db_blocker.unblock():
        from wagtail.models import Site

        if not Site.objects.exists():
            # A reused test database that a transactional test left flushed (an interrupted
            # run).
            pytest.exit("La base de test réutilisée a été vidée : relancez avec --create-db.", 2)
        load_demo()
        _SESSION_STATE["default"] = connection.creation.serialize_db_to_string()
    yield
    # Before pytest-django's own teardown: a run that ended on a transactional test leaves the
    # reusable test database as it found it.
    with django_db_blocker.unblock():
        restore_session_state()


def restore_session_state() -> None:
    """Put back the session's database (migrations' data + demo charter) after a flush.

    A flush runs post_migrate, which re-creates content types and permissions with new ids that
    would collide with the serialised ones: flush again without it, restore the content types
    first (saving pages and Wagtail tasks looks them up), then the rest, and move the sequences
    past the restored ids (PostgreSQL).
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection

    from charter.models import Partner

    if "default" not in _SESSION_STATE or Partner.objects.exists():
        return
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()
    records = json.loads(_SESSION_STATE["default"])
    content_types = [r for r in records if r["model"] == "contenttypes.contenttype"]
    rest = [r for r in records if r["model"] != "contenttypes.contenttype"]
    for part in (content_types, rest):
        connection.creation.deserialize_db_from_string(json.dumps(part))
    ContentType.objects.clear_cache()
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture(autouse=True)
def _demo_charter_after_flush(request):
    """Transactional tests end with a flush of every table: restore the session's state first.

    pytest-django runs them after the other tests; each one then starts from the same database
    (migrations' data and the demo charter) as the rest of the suite.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional:
        restore_session_state()


@pytest.fixture
def paris_charter(db):
    from charter.models import CharterPage

    return CharterPage.objects.get(slug="charte-paris-2017")


@pytest.fixture
def public_version(paris_charter):
    """The demo charter's public version « Charte 2017 », as `make run` freezes it."""
    from publishing.services import version_create

    return version_create(
        charter=paris_charter,
        name="Charte 2017",
        effective_date=datetime.date(2017, 12, 14),
        user=None,
        is_public=True,
    )


@pytest.fixture
def plan(db):
    from charter.models import CharterPage

    return CharterPage.objects.get(slug="pdalhpd")


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="secretariat",
        email="secretariat@example.org",
        password="motdepasse-solide-42",  # noqa: S106
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client

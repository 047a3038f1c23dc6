"""Project-wide pytest fixtures: a small synthetic charter (tests/synthetic.py, built by the apps'
factories) is loaded once into the test database; the parsed Paris demo only where it is the
subject (`paris_demo`)."""

import datetime
import json

import pytest
from django.core.management import call_command

# Role users and partners' commitments of the partner workspace (issue 4).
pytest_plugins = ["engagements.tests.fixtures"]


# The database as the session set it up (migrations + synthetic charter), serialised once.
_SESSION_STATE: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the synthetic charter once; each test then runs inside a rolled-back transaction.

    Transactional tests flush the database: `_session_state_after_flush` restores it before
    each of them, and the teardown below after the last one.
    """
    from django.db import connection

    from tests.synthetic import build_synthetic_charter, clear_synthetic_charter

    with django_db_blocker.unblock():
        from wagtail.models import Site

        if not Site.objects.exists():
            # A reused test database that a transactional test left flushed (an interrupted
            # run).
            pytest.exit("La base de test réutilisée a été vidée : relancez avec --create-db.", 2)
        clear_synthetic_charter()  # a reused test database holds the last session's one
        build_synthetic_charter()
        _SESSION_STATE["default"] = connection.creation.serialize_db_to_string()
    yield
    # Before pytest-django's own teardown: a run that ended on a transactional test leaves the
    # reusable test database as it found it.
    with django_db_blocker.unblock():
        restore_session_state()


def restore_session_state() -> None:
    """Put back the session's database (migrations' data + synthetic charter) after a flush.

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
def _session_state_after_flush(request):
    """Transactional tests end with a flush of every table: restore the session's state first.

    pytest-django runs them after the other tests; each one then starts from the same database
    (migrations' data and the synthetic charter) as the rest of the suite.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional:
        restore_session_state()


@pytest.fixture(autouse=True)
def _public_memos_cleared():
    """Empty the memos of the site frame and home page (pages/memo.py) before each test: a
    rolled-back test leaves the cache generations they are keyed by where it moved them."""
    from pages.memo import clear_memos

    clear_memos()


@pytest.fixture
def charter_page(db):
    """The synthetic charter (tests/synthetic.py): published, in force."""
    from charter.models import CharterPage
    from tests.synthetic import CHARTER_SLUG

    return CharterPage.objects.get(slug=CHARTER_SLUG)


@pytest.fixture
def plan(db):
    """The synthetic départemental plan: orientation 3, fiches 3-1 to 3-4."""
    from charter.models import CharterPage
    from tests.synthetic import PLAN_SLUG

    return CharterPage.objects.get(slug=PLAN_SLUG)


@pytest.fixture
def public_version(charter_page):
    """A public version « Charte 2020 » of the synthetic charter, as `make run` freezes one."""
    from publishing.services import version_create

    return version_create(
        charter=charter_page,
        name="Charte 2020",
        effective_date=datetime.date(2020, 1, 15),
        user=None,
        is_public=True,
    )


@pytest.fixture(scope="module")
def paris_demo(django_db_setup, django_db_blocker):
    """The parsed Paris demo instead of the synthetic charter, for a module whose subject it is.

    Loaded once per module inside a transaction rolled back at its end; the module's tests run in
    savepoints inside it (not for transactional tests).
    """
    from django.db import transaction

    from demo.loader import load_demo
    from tests.synthetic import clear_synthetic_charter

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            clear_synthetic_charter()
            load_demo()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def paris_charter(paris_demo, db):
    """The parsed Paris 2017 charter (`paris_demo`)."""
    from charter.models import CharterPage

    return CharterPage.objects.get(slug="charte-paris-2017")


@pytest.fixture
def paris_plan(paris_demo, db):
    """The parsed plan's Orientation 3 (`paris_demo`)."""
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


@pytest.fixture
def public_page_cache(db):
    """The public page cache on (config.test disables it), empty before and after the test.

    The site settings row is created on first use (a save, hence an invalidation): it is created
    now, as any running site already has it.
    """
    from django.core.cache import cache
    from django.test import override_settings

    from pages.models import SiteSettings

    SiteSettings.load()
    cache.clear()
    with override_settings(PUBLIC_CACHE_SECONDS=600):
        yield
    cache.clear()


def migrate_to(targets=None):
    """Migrate the test database to `targets` (the leaf migrations when None); returns the
    historical apps of that state (the migration tests of each app)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps

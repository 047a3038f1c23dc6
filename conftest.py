"""Project-wide pytest fixtures: the demo charter is loaded once into the test database."""

import pytest

# Role users and partners' commitments of the partner workspace (issue 4).
pytest_plugins = ["engagements.tests.fixtures"]


# The database as the session set it up (migrations + demo charter), serialised once.
_SESSION_STATE: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real demo charter once; each test then runs inside a rolled-back transaction."""
    from django.db import connection

    from engagements.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
        _SESSION_STATE["default"] = connection.creation.serialize_db_to_string()


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
    if transactional and "default" in _SESSION_STATE:
        from django.db import connection

        from charter.models import Partner

        if not Partner.objects.exists():
            from django.contrib.contenttypes.models import ContentType

            connection.creation.deserialize_db_from_string(_SESSION_STATE["default"])
            ContentType.objects.clear_cache()


@pytest.fixture
def paris_charter(db):
    from charter.models import CharterPage

    return CharterPage.objects.get(slug="charte-paris-2017")


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

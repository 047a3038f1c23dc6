"""Project-wide pytest fixtures: the demo charter is loaded once into the test database."""

import pytest

# Role users and partners' commitments of the partner workspace (issue 4).
pytest_plugins = ["engagements.tests.fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real demo charter once; each test then runs inside a rolled-back transaction."""
    from engagements.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


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

import datetime

import pytest

from publishing.services import version_create


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test gets its own MEDIA_ROOT, hence its own DOCX cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def version_2017(charter_page, superuser):
    return version_create(
        charter=charter_page,
        name="Charte 2017",
        effective_date=datetime.date(2017, 12, 14),
        user=superuser,
        is_public=True,
    )

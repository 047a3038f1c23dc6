"""RGAA criterion 8.2: the HTML of every public page type, in both themes, is valid according to
the Nu Html Checker (`vnu.jar`, installed by `make vnu` under `.cache/vnu/`, run with the
machine's Java). The pages are rendered by the test client and checked in one Java run."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from .public_pages import PAGE_KINDS, THEMES, page_path

VNU_JAR = Path(settings.BASE_DIR) / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build"
VNU_JAR = VNU_JAR / "dist" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = pytest.mark.django_db


def run_vnu(files: list[Path]) -> list[dict]:
    """The errors the Nu Html Checker finds in these files (warnings are not failures)."""
    completed = subprocess.run(
        [JAVA, "-Xss1m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"vnu.jar a échoué ({completed.returncode}) : {completed.stderr}")
    return json.loads(completed.stderr or '{"messages": []}')["messages"]


@pytest.fixture(scope="module")
def vnu_errors(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, list[str]]:
    """Every public page type in both themes, rendered once and checked in one Java run: the
    errors of each (kind, theme), keyed `kind-theme`."""
    if JAVA is None:
        pytest.skip("Java absent : le validateur Nu Html Checker (RGAA 8.2) n'est pas lancé.")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} absent : lancez `make vnu` (make test le fait).")
    from django.test import Client

    from charter.models import CharterPage
    from publishing.services import version_create

    folder = tmp_path_factory.mktemp("vnu")
    files = []
    with django_db_blocker.unblock():
        from django.db import transaction

        from tests.synthetic import CHARTER_SLUG, PLAN_SLUG

        charter = CharterPage.objects.get(slug=CHARTER_SLUG)
        plan = CharterPage.objects.get(slug=PLAN_SLUG)
        with transaction.atomic():
            import datetime

            version_create(
                charter=charter,
                name="Charte 2017",
                effective_date=datetime.date(2017, 12, 14),
                user=None,
                is_public=True,
            )
            client = Client()
            for theme in THEMES:
                with override_settings(SITE_THEME=theme):
                    for kind in PAGE_KINDS:
                        response = client.get(page_path(kind, charter, plan))
                        file = folder / f"{kind}-{theme}.html"
                        file.write_bytes(response.content)
                        files.append(file)
            transaction.set_rollback(True)
    errors: dict[str, list[str]] = {file.stem: [] for file in files}
    for message in run_vnu(files):
        stem = Path(message["url"].removeprefix("file:")).stem
        line = message.get("lastLine", "?")
        errors[stem].append(f"l. {line} : {message['message']} « {message.get('extract', '')} »")
    return errors


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_public_page_html_is_valid(vnu_errors, kind, theme):
    errors = vnu_errors[f"{kind}-{theme}"]
    assert not errors, f"{kind} ({theme}) :\n" + "\n".join(errors)


def test_the_validator_reports_invalid_html(tmp_path):
    if JAVA is None or not VNU_JAR.exists():
        pytest.skip("Java ou vnu.jar absent.")
    page = tmp_path / "invalide.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
        '<body><ul><div>x</div></ul><p id="a"></p><p id="a"></p></body></html>'
    )
    messages = [message["message"] for message in run_vnu([page])]
    assert any("div" in message for message in messages), messages
    assert any("Duplicate ID" in message for message in messages), messages
    assert os.path.exists(page)

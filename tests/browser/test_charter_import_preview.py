"""The charter import preview in Chromium at 375 and 1280 px: the « À placer » lines with their
place in the user's file (screenshots in the test's tmp directory, looked at by hand)."""

import pytest
from django.contrib.auth import get_user_model

from conftest import restore_session_state
from imports.tests.corpus_files import CORPUS, docx_bytes
from tests.browser.conftest import WIDTHS

PASSWORD = "apercu-import-2026"


@pytest.fixture(scope="module")
def secretary(django_db_blocker):
    """A superuser committed for the live server, removed afterwards."""
    with django_db_blocker.unblock():
        restore_session_state()
        user = get_user_model().objects.create_superuser(
            "apercu-import", "apercu@example.org", PASSWORD
        )
    yield user
    with django_db_blocker.unblock():
        user.delete()


@pytest.mark.parametrize("width", WIDTHS.values())
def test_preview_lists_the_lines_to_place_with_their_paragraph(
    open_page, secretary, tmp_path, width
):
    path = tmp_path / "creuse.docx"
    path.write_bytes(docx_bytes(CORPUS / "axes-sans-actions.md"))
    page = open_page("/admin/login/?next=/admin/imports/charte/", width=width)
    page.fill("input[name=username]", secretary.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/imports/charte/")
    page.set_input_files("input[name=file]", str(path))
    page.click("text=Analyser le document")
    page.wait_for_selector("#trouve")
    heading = page.get_by_role("heading", name="À placer (5)")
    assert heading.is_visible()
    rows = page.locator("table.listing").first.locator("tbody tr")
    assert rows.count() == 5
    assert rows.first.locator("th").inner_text() == "Paragraphe 2"
    assert page.get_by_text("reconnu par").count() == 0  # no declaration in this document
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"apercu-{width}.png"), full_page=True)

from .test_secretariat_signatures import _login, journey  # noqa
from pathlib import Path
OUT = Path("/tmp/sig-screens")

def test_scratch(open_page, journey, tmp_path):
    charter, user = journey
    for width in (1280, 375):
        page = _login(open_page, user, width=width)
        page.screenshot(path=str(OUT / f"listing-{width}.png"))
        base = page.url.split("/admin/")[0]
        page.goto(base + f"/admin/signatures/charte/{charter.pk}/")
        rows = page.locator("fieldset.signature-row")
        rows.nth(1).locator("select[name$=-status]").select_option("signed")
        rows.nth(1).locator("input[name$=-signed_on]").fill("14/12/2017")
        page.keyboard.press("Escape")
        page.locator(".signature-sheet__help").click()
        page.get_by_role("button", name="Enregistrer les signatures").click()
        page.wait_for_load_state("load")
        page.screenshot(path=str(OUT / f"errors-{width}.png"), full_page=True)
        page.goto(base + f"/admin/signatures/charte/{charter.pk}/")
        rows.nth(2).get_by_role("button", name="Choisir ou téléverser l'exemplaire signé").click()
        page.wait_for_selector(".modal-dialog")
        page.wait_for_timeout(500)
        page.screenshot(path=str(OUT / f"modal-{width}.png"))
        page.locator(".modal-dialog").get_by_role("tab", name="Téléverser").click()
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUT / f"modal-upload-{width}.png"))
        page.goto(base + f"/admin/pages/{charter.pk}/edit/")
        page.wait_for_load_state("load")
        page.locator("[aria-label='Actions']").first.click()
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUT / f"editor-{width}.png"))

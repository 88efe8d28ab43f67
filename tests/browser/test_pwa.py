"""The app is installable: a valid manifest, an active service worker, an offline page."""

from __future__ import annotations

from playwright.async_api import Page, expect

# Resolves once the registration's worker has finished activating.
ACTIVATED = """
navigator.serviceWorker.ready.then(({active}) => active.state === "activated"
  ? active.state
  : new Promise(done => active.addEventListener("statechange", () =>
      active.state === "activated" && done(active.state))))
"""


async def test_the_manifest_is_valid(phone: Page) -> None:
    await phone.goto("/signup")
    href = await phone.locator('link[rel="manifest"]').get_attribute("href")
    manifest = await (await phone.request.get(href)).json()
    assert manifest["name"]
    assert manifest["short_name"] == "Handje"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/")
    assert manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any("maskable" in icon.get("purpose", "") for icon in manifest["icons"])
    for icon in manifest["icons"]:
        response = await phone.request.get(icon["src"])
        assert response.ok
        assert response.headers["content-type"] == "image/png"


async def test_the_service_worker_is_active_and_serves_the_offline_page(phone: Page) -> None:
    await phone.goto("/signup")
    state = await phone.evaluate(ACTIVATED)
    assert state == "activated"
    await phone.reload()  # now the service worker controls the page
    assert await phone.evaluate("navigator.serviceWorker.controller !== null")

    await phone.context.set_offline(True)
    await reload_until_offline_page(phone)
    await phone.context.set_offline(False)


async def reload_until_offline_page(page: Page, attempts: int = 3) -> None:
    """Reload ``page`` (offline) until it shows the offline page. Chromium can apply offline
    emulation to a service worker a moment late (microsoft/playwright#2311): a reload right
    after going offline may still reach the server.
    """
    heading = page.get_by_role("heading", name="offline")
    for attempt in range(1, attempts + 1):
        await page.reload()
        try:
            await expect(heading).to_be_visible(timeout=3_000)
            return
        except AssertionError:
            if attempt == attempts:
                raise

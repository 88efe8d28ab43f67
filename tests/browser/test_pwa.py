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
    await phone.reload()
    await expect(phone.get_by_role("heading", name="offline")).to_be_visible()
    await phone.context.set_offline(False)

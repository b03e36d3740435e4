"""The page of ``forewarn serve`` in a real headless Chromium (Playwright), against the real scan.

Needs Debian's chromium (``/usr/bin/chromium``, or set FOREWARN_CHROMIUM) and ``pip install
playwright``; skipped with the reason when either is missing. Never run ``playwright install``.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
uvicorn = pytest.importorskip("uvicorn")

from forewarn.server import Settings, create_app  # noqa: E402

CHROMIUM = os.environ.get("FOREWARN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

STORY = """Chapter 1

Ada and Tom walked along the harbour wall. The gulls argued over bread and the sea was calm.

They bought apples at the market and talked about the summer fair.

Chapter 2

At home Ada baked bread. Tom fixed the fence. Nothing much happened, and that was good.

Chapter 3

That night Ada locked the bathroom door, took a razor blade and cut her wrists until the blood ran into the sink. {payload}

She wanted to die. Tom found her unconscious on the floor and called an ambulance.
"""

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _skip_without_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium, or set FOREWARN_CHROMIUM)")


@pytest.fixture(scope="module")
def base_url():
    server = uvicorn.Server(uvicorn.Config(
        create_app(Settings(max_concurrent=1)), host="127.0.0.1", port=0, log_level="warning",
    ))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser():
    _skip_without_chromium()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = context.new_page()
    tab.dialogs = []  # any alert() would mean injected script ran
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(base_url + "/")
    tab.wait_for_selector("#avoid-groups fieldset", state="attached")
    yield tab
    context.close()


def _scan_file(page, path: Path) -> None:
    page.set_input_files("#file", str(path))
    page.click("#scan-button")
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)


def test_upload_shows_the_warning_card(page, tmp_path):
    story = tmp_path / "harbour.txt"
    story.write_text(STORY.format(payload=""), encoding="utf-8")
    page.click("#avoid-panel summary")
    page.check("#avoid-self-harm")
    page.check("#avoid-suicide")
    _scan_file(page, story)

    assert page.evaluate("document.activeElement.id") == "result"
    chips = page.locator("#detected .chip")
    assert chips.count() >= 1
    for text in chips.all_inner_texts():  # severity in words, not colour alone
        assert any(word in text.lower() for word in ("mentioned", "depicted", "graphic"))
    names = " ".join(chips.all_inner_texts()).lower()
    assert "self-harm" in names or "suicide" in names  # the razor scene in chapter 3

    findings = page.locator("#findings .finding")
    assert findings.count() == chips.count()
    # One strip for the whole story, whatever the number of categories; details stay closed.
    assert page.locator(".strip:visible").count() == 1
    strip = page.locator("#story-strip")
    assert strip.locator(".tick").count() == 3  # one tick per chapter
    assert strip.locator(".mark").count() == sum(
        f.locator(".location").count() for f in findings.all())
    label = strip.get_attribute("aria-label")
    assert "chapter 3" in label and "% through" in label
    legend = page.locator(".legend").inner_text().lower()
    assert all(word in legend for word in ("mentioned", "depicted", "graphic", "chapter start"))
    assert page.locator("#findings .finding[open]").count() == 0

    verdict = page.locator("#verdict").inner_text().lower()
    assert "not safe" in verdict or "safe until chapter 3" in verdict
    assert page.locator("#support").is_visible()

    strip.locator(".mark").last.click()  # a mark opens its category's details
    finding = page.locator("#findings .finding[open]")
    assert finding.count() == 1
    assert finding.locator(".strip").is_visible()
    quote = finding.locator(".quote").first
    toggle = finding.locator(".spoiler-toggle").first
    assert not quote.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert quote.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert quote.inner_text().strip()

    shot = tmp_path / "card.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_avoid_list_is_kept_in_the_browser(page):
    page.click("#avoid-panel summary")
    page.check("#avoid-suicide")
    page.select_option("#avoid-suicide-from", "depicted")
    stored = page.evaluate("localStorage.getItem('forewarn.avoid')")
    assert '"suicide":"depicted"' in stored
    page.reload()
    page.wait_for_selector("#avoid-groups fieldset", state="attached")
    assert page.is_checked("#avoid-suicide")
    assert page.input_value("#avoid-suicide-from") == "depicted"
    assert "Suicide" in page.inner_text("#avoid-summary")


def test_hostile_story_text_shows_as_text(page, tmp_path):
    story = tmp_path / "hostile.html"
    body = STORY.format(payload=HOSTILE).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    paragraphs = "".join(f"<p>{part}</p>" for part in body.split("\n\n"))
    title = '&lt;img src=x onerror="window.__pwned=3"&gt;'
    story.write_text(f"<html><head><title>{title}</title></head><body>{paragraphs}</body></html>",
                     encoding="utf-8")
    _scan_file(page, story)
    for toggle in page.locator(".finding > summary").all():
        toggle.click()
    for button in page.locator(".spoiler-toggle").all():
        button.click()
    page.wait_for_timeout(300)  # let any injected handler fire before checking it did not
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert page.locator("#result img, #result script").count() == 0
    shown = page.inner_text("#result")
    assert "<img" in shown or "<script>" in shown


def test_pasted_text_and_errors(page):
    page.fill("#text", "   ")
    page.click("#scan-button")
    assert page.locator("#error").is_visible()
    page.fill("#text", STORY.format(payload=HOSTILE))
    page.click("#scan-button")
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)
    assert page.locator("#error").is_hidden()
    for button in page.locator(".spoiler-toggle").all():
        button.evaluate("node => node.click()")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#result img, #result script").count() == 0


# A longer story of the team's own for the layout checks and the screenshots in docs/.
SAMPLE = """Chapter 1

Mira came home to the lighthouse for the summer. Her brother Jonah met her at the quay with the dog.

Chapter 2

They cleared out their grandmother's room. She had died in the spring, peacefully, and Mira cried over her letters.

Chapter 3

The fair came to town. Jonah won a goldfish and Mira ate too much candyfloss.

Chapter 4

Outside the pub a stranger punched Jonah in the face and kicked him while he lay on the ground. Blood ran from his nose onto the cobbles.

Chapter 5

At the hospital Jonah joked about his bruises. Mira held his hand and they laughed.

Chapter 6

Years before, Mira had cut her arms with a razor blade when things were bad. She told Jonah about the scars at last.

Chapter 7

On the last evening they climbed the lighthouse and watched the boats come in.
"""


def _card(browser, base_url, tmp_path, width: int, height: int, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(base_url + "/")
    tab.evaluate("localStorage.setItem('forewarn.avoid', JSON.stringify({'self-harm': 'mentioned'}))")
    tab.reload()
    tab.wait_for_selector("#avoid-groups fieldset", state="attached")
    story = tmp_path / "lighthouse.txt"
    story.write_text(SAMPLE, encoding="utf-8")
    _scan_file(tab, story)
    return context, tab


def _keep_screenshot(tab, name: str, tmp_path) -> None:
    """Screenshot the card; FOREWARN_SCREENSHOTS=docs also writes it into that folder."""
    folder = os.environ.get("FOREWARN_SCREENSHOTS")
    target = Path(folder) / name if folder else tmp_path / name
    tab.locator("#result").screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_card_fits_a_phone_and_a_desktop(browser, base_url, tmp_path):
    for width, name in ((1280, "screenshot-card.png"), (390, "screenshot-phone.png")):
        context, tab = _card(browser, base_url, tmp_path, width, 900)
        try:
            assert tab.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out
            zone = tab.locator("#dropzone").bounding_box()
            chooser = tab.locator("#file").bounding_box()
            assert chooser["x"] + chooser["width"] <= zone["x"] + zone["width"]
            assert tab.locator(".strip:visible").count() == 1
            assert tab.locator("#findings .finding").count() >= 2  # several categories, still one strip
            assert "safe until chapter" in tab.inner_text("#verdict").lower()
            card = tab.locator("#result").bounding_box()
            assert card["height"] < 2500  # was 4,100 px (desktop) and 5,400 px (phone) for three chapters, a strip per category
            tab.locator("#findings .finding > summary").first.click()  # one category's detail, on demand
            _keep_screenshot(tab, name, tmp_path)
        finally:
            context.close()


def test_dark_mode_follows_the_system(browser, base_url, tmp_path):
    context, tab = _card(browser, base_url, tmp_path, 1280, 900, scheme="dark")
    try:
        background = tab.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        ink = tab.evaluate("getComputedStyle(document.querySelector('#result')).color")
        channels = [int(x) for x in background[background.index("(") + 1:-1].split(",")[:3]]
        assert max(channels) < 60, background  # dark page
        assert min(int(x) for x in ink[ink.index("(") + 1:-1].split(",")[:3]) > 180, ink  # light text
        _keep_screenshot(tab, "screenshot-dark.png", tmp_path)
    finally:
        context.close()

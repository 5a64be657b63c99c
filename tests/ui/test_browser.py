"""The workbench driven as a person would: Debian's Chromium (headless, through its chromedriver and
Selenium) against a real `redline serve` on loopback over a throwaway REDLINE_HOME. One browser and
one server for the module; the tests run in order, as one session of work.

Screenshots of each page are kept under the pytest tmp path (printed); with REDLINE_UI_SHOTS set,
they are copied there too. Without chromium the module is skipped, unless REDLINE_REQUIRE_BROWSER
is set (CI sets it), where that is a failure."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ui_bench import REAL_HIT, SANCTIONED, Bench, make_bench, upload_for_review

pytestmark = pytest.mark.network
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
HIT_CAPTION = "Hangzhou Hikvision Digital Technology Co., Ltd."


def _require_browser() -> None:
    if CHROMIUM and CHROMEDRIVER:
        return
    missing = "chromium" if not CHROMIUM else "chromedriver"
    if os.environ.get("REDLINE_REQUIRE_BROWSER"):
        pytest.fail(f"REDLINE_REQUIRE_BROWSER is set but {missing} is not installed (scripts/system-deps.sh installs it)")
    pytest.skip(f"{missing} is not installed (scripts/system-deps.sh installs chromium and chromium-driver)")


class Served:
    def __init__(self, bench: Bench, url: str, shots: Path) -> None:
        self.bench = bench
        self.url = url
        self.shots = shots

    def screen(self, who: str, name: str) -> None:
        """A screening through the HTTP API as the key `who` (the API path that raises review items)."""
        body = {"queries": {"q": {"schema": "Company", "properties": {"name": [name]}}}}
        answer = httpx.post(f"{self.url}/match/default", json=body, headers=self.bench.bearer(who), timeout=60)
        assert answer.status_code == 200, answer.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Served]:
    _require_browser()
    home = tmp_path_factory.mktemp("ui-browser-home")
    bench = make_bench(home, data_dir)
    port = _free_port()
    env = {**os.environ, "REDLINE_HOME": str(home), "REDLINE_DATA": str(data_dir)}
    env.pop("REDLINE_DB", None)
    redline = Path(sys.executable).with_name("redline")
    log = (home / "serve.log").open("w")
    server = subprocess.Popen([str(redline), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (home / "serve.log").read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "redline serve did not become ready in 90 s"
            time.sleep(0.3)
        shots = tmp_path_factory.mktemp("ui-shots")
        print(f"\nworkbench screenshots: {shots}")
        yield Served(bench, url, shots)
        copy_to = os.environ.get("REDLINE_UI_SHOTS")
        if copy_to:
            shutil.copytree(shots, copy_to, dirs_exist_ok=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser(served: Served) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                "--disable-extensions", "--no-first-run", "--disable-background-networking"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


UNLABELLED = """return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button'))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
  .map(e => e.outerHTML.slice(0, 80))
  .concat(Array.from(document.querySelectorAll('img:not([alt]), svg[role=img]:not(:has(title))')).map(e => e.outerHTML.slice(0, 80)))"""


def shot(driver, served: Served, name: str) -> Path:  # type: ignore[no-untyped-def]
    """A full-page screenshot: the window is stretched to the page's height first. Every page shot is
    also checked for form controls without a label and pictures without a text alternative."""
    assert driver.execute_script(UNLABELLED) == [], name
    assert driver.execute_script("return document.documentElement.lang") == "en"
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    driver.set_window_size(1280, min(int(height) + 160, 6000))
    path = served.shots / f"{len(list(served.shots.glob('*.png'))) + 1:02d}-{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path


def navigate(driver, act) -> None:  # type: ignore[no-untyped-def]
    """Run `act` (a click or a key that leaves the page) and wait until the next page has replaced this one."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")

    def replaced(_: object) -> bool:
        try:
            old.is_enabled()
        except WebDriverException:  # stale; chromedriver sometimes says so as "node does not belong to the document"
            return driver.execute_script("return document.readyState") == "complete"
        return False

    act()
    WebDriverWait(driver, 15).until(replaced)


def sign_in(driver, served: Served, who: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(f"{served.url}/ui/queue")
    assert driver.current_url.startswith(f"{served.url}/ui/signin")
    field = driver.find_element(By.ID, "key")
    assert driver.switch_to.active_element == field  # the key field has the focus
    field.send_keys(served.bench.keys[who])
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click)
    assert driver.current_url == f"{served.url}/ui/queue", driver.page_source[:500]


def queue_captions(driver) -> list[str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.implicitly_wait(0)
    try:
        return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "a.row-link")]
    finally:
        driver.implicitly_wait(5)


def test_sign_in_with_a_key_and_a_wrong_key_is_refused(browser, served: Served) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{served.url}/ui/queue")
    shot(driver, served, "signin")
    driver.execute_script("document.forms[0].appendChild(document.createElement('input'))")
    assert len(driver.execute_script(UNLABELLED)) == 1  # the label check finds an unlabelled field
    driver.refresh()
    driver.find_element(By.ID, "key").send_keys("rl_wrong")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click)
    assert "unknown or revoked" in driver.find_element(By.CSS_SELECTOR, "p.problem").text
    shot(driver, served, "signin-refused")
    sign_in(driver, served, "ana")
    assert "ana · analyst" in driver.find_element(By.CSS_SELECTOR, ".whoami").text
    cookie = driver.get_cookie("redline_ui")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert driver.execute_script("return document.cookie") == ""  # no script can read the session


def test_decide_a_hit_with_the_keyboard_then_it_leaves_the_queue_and_is_in_the_ledger(browser, served: Served) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    served.screen("ana", SANCTIONED)
    served.screen("ana", REAL_HIT)  # the newest item: first in the queue
    driver.get(f"{served.url}/ui/queue")
    assert queue_captions(driver)[:2] == [HIT_CAPTION, SANCTIONED.upper()]
    shot(driver, served, "queue")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)  # the first stop is the skip link
    assert driver.switch_to.active_element.text == "Skip to content"
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("j")  # the first row
    assert driver.switch_to.active_element.text == HIT_CAPTION
    navigate(driver, lambda: driver.switch_to.active_element.send_keys(Keys.ENTER))
    assert "/ui/queue/" in driver.current_url
    assert "China Electronics Technology Group Corporation" in driver.find_element(By.ID, "h-via").find_element(
        By.XPATH, "..").text
    shot(driver, served, "item")
    driver.find_element(By.TAG_NAME, "body").send_keys("x")  # x: cleared, the focus goes to the reason
    assert driver.find_element(By.CSS_SELECTOR, 'input[value="cleared"]').is_selected()
    assert driver.switch_to.active_element.get_attribute("id") == "reason"
    driver.switch_to.active_element.send_keys("A retailer of the same name in Leeds; address and registry differ.")
    navigate(driver, driver.find_element(By.ID, "decide-submit").click)
    notice = driver.find_element(By.ID, "decided").text
    assert HIT_CAPTION in notice and "cleared" in notice
    shot(driver, served, "after-decision")
    driver.get(f"{served.url}/ui/queue")
    assert HIT_CAPTION not in queue_captions(driver) and SANCTIONED.upper() in queue_captions(driver)
    driver.get(f"{served.url}/ui/ledger?kind=review.decide")
    rows = driver.find_elements(By.CSS_SELECTOR, 'tr[data-kind="review.decide"]')
    assert rows and "address and registry differ" in rows[0].text and "ana" in rows[0].text
    shot(driver, served, "ledger")
    navigate(driver, driver.find_element(By.ID, "verify-link").click)
    assert "are intact" in driver.find_element(By.ID, "verdict").text
    shot(driver, served, "ledger-verify")


def test_a_cleared_pair_is_not_raised_again(browser, served: Served) -> None:
    driver = browser
    served.screen("ana", REAL_HIT)
    served.screen("ana", REAL_HIT.upper())  # the same query, as the review library compares it
    driver.get(f"{served.url}/ui/queue?status=open")
    assert HIT_CAPTION not in queue_captions(driver)
    driver.get(f"{served.url}/ui/queue?status=cleared")
    assert queue_captions(driver).count(HIT_CAPTION) == 1
    shot(driver, served, "queue-cleared")


def test_confirming_a_sanctions_match_takes_a_second_person(browser, served: Served) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{served.url}/ui/queue")
    navigate(driver, driver.find_element(By.LINK_TEXT, SANCTIONED.upper()).click)
    item_url = driver.current_url
    driver.find_element(By.TAG_NAME, "body").send_keys("c")
    driver.switch_to.active_element.send_keys("Registry number and address agree with the UK listing.")
    navigate(driver, driver.find_element(By.ID, "decide-submit").click)
    assert "awaiting second" in driver.find_element(By.ID, "decided").text  # still in the queue, for a second person
    driver.get(item_url)
    assert "awaiting second" in driver.find_element(By.ID, "item-status").text
    assert driver.find_elements(By.ID, "decide-submit")  # the form is there, but the library will refuse ana:
    driver.find_element(By.CSS_SELECTOR, 'input[value="confirmed"]').click()
    driver.find_element(By.ID, "reason").send_keys("Me again.")
    navigate(driver, driver.find_element(By.ID, "decide-submit").click)
    assert "four-eyes" in driver.find_element(By.ID, "decide-problem").text
    sign_in(driver, served, "bea")
    driver.get(item_url)
    shot(driver, served, "item-awaiting-second")
    driver.find_element(By.CSS_SELECTOR, 'input[value="confirmed"]').click()
    driver.find_element(By.ID, "reason").send_keys("Checked the OFSI notice.")
    navigate(driver, driver.find_element(By.ID, "decide-submit").click)
    driver.get(item_url)
    assert "confirmed" in driver.find_element(By.ID, "item-status").text
    deciders = [r.find_elements(By.TAG_NAME, "td")[1].text for r in driver.find_elements(By.CSS_SELECTOR, "table.decisions tbody tr")]
    assert deciders == ["ana (analyst)", "bea (analyst)"]
    shot(driver, served, "item-confirmed")


def test_an_organisation_sees_nothing_of_the_others(browser, served: Served) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    sign_in(driver, served, "other-ana")
    assert queue_captions(driver) == []
    driver.get(f"{served.url}/ui/queue?status=confirmed")
    assert queue_captions(driver) == []
    driver.get(f"{served.url}/ui/media")
    assert "not to an organisation" in driver.find_element(By.CSS_SELECTOR, "p.problem").text
    shot(driver, served, "other-org-queue")


def test_a_held_upload_beside_its_bank_item_and_its_appeal(browser, served: Served, data_dir: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    acted = upload_for_review(served.bench.context, data_dir)
    sign_in(driver, served, "ana")
    driver.get(f"{served.url}/ui/media")
    shot(driver, served, "media-queue")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, f'a[href="/ui/media/{acted["review_id"]}"]').click)
    image = driver.find_element(By.CSS_SELECTOR, "figure img")
    assert driver.execute_script("return arguments[0].naturalWidth", image) > 0  # the thumbnail decodes
    shot(driver, served, "media-item")
    driver.find_element(By.TAG_NAME, "body").send_keys("x")
    driver.switch_to.active_element.send_keys("A bridge, not violent extremist content.")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "#decide button[type=submit]").click)
    assert "false positive by ana" in driver.find_element(By.ID, "item-status").text
    driver.find_element(By.CSS_SELECTOR, 'input[value="overturned"]').click()
    driver.find_element(By.ID, "appeal-note").send_keys("Restored on appeal.")
    navigate(driver, driver.find_element(By.XPATH, "//button[text()='Record the appeal']").click)
    assert driver.find_element(By.ID, "action-status").text == "overturned"
    shot(driver, served, "media-after-appeal")


def test_a_licence_case_and_its_assessment(browser, served: Served) -> None:
    from selenium.webdriver.common.by import By

    from redline.context import set_context
    from redline.licensing import cases
    from redline.licensing.application import load_application

    driver = browser
    set_context(served.bench.context)  # the licensing library screens with the process's context: the served store
    application = Path(__file__).resolve().parent.parent / "licensing" / "applications" / "affiliate_chengdu_dahua.yaml"
    case = cases.open_case(served.bench.context.acting_as("bea"), load_application(application), policy="echri",
                           role="analyst")
    driver.get(f"{served.url}/ui/licensing")
    shot(driver, served, "licensing-cases")
    navigate(driver, driver.find_element(By.LINK_TEXT, case["application_id"]).click)
    assert "E04_listed_party_other_item" in driver.find_element(By.CSS_SELECTOR, "table.reasons").text
    driver.find_element(By.TAG_NAME, "body").send_keys("x")  # x: deny
    driver.switch_to.active_element.send_keys("End user affiliated with an Entity List party.")
    navigate(driver, driver.find_element(By.ID, "decide-submit").click)
    assert "denied" in driver.find_element(By.ID, "case-status").text
    shot(driver, served, "licensing-case")


def test_a_report_page_and_its_pdf(browser, served: Served) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{served.url}/ui/reports")
    shot(driver, served, "reports-form")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "#report-form button").click)
    assert "/ui/reports/media?" in driver.current_url
    assert driver.find_elements(By.CSS_SELECTOR, ".report-frame svg")  # the charts, inline
    shot(driver, served, "report-media")
    cookie = driver.get_cookie("redline_ui")["value"]
    for link, kind, holds in (("report-pdf", "application/pdf", b"%PDF-"), ("report-csv", "text/csv", b"Art. 7(3)")):
        answer = httpx.get(driver.find_element(By.ID, link).get_attribute("href"), cookies={"redline_ui": cookie}, timeout=120)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(kind)
        assert holds in answer.content[:4000]
        (served.shots / f"report-media.{link.split('-')[1]}").write_bytes(answer.content)


def test_sign_out_ends_the_session(browser, served: Served) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{served.url}/ui/queue")
    copied = driver.get_cookie("redline_ui")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, ".signout button").click)
    assert driver.current_url.startswith(f"{served.url}/ui/signin")
    answer = httpx.get(f"{served.url}/ui/queue", cookies={"redline_ui": copied["value"]}, follow_redirects=False)
    assert answer.status_code == 303

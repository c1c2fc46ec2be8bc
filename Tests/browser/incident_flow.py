#!/usr/bin/env python3
"""A resident reports an incident in Ukrainian on a phone-sized screen using only the keyboard,
lands on the confirmation page at its own address (post/redirect/get: a reload shows the same
code and does not send the report again), keeps the case code and passphrase, and checks the
status. With --session, the incident handler then finds the case by its code typed in lower case
without the prefix, sees that no classification is chosen for them, assesses it, and closes it
as a test report through the confirmation step; screenshots of each step.

Usage: incident_flow.py BASE_URL SCREENSHOT_DIR [--session HANDLER_SESSION_TOKEN]
Exits non-zero when a step fails. Chromium and chromedriver from Debian; Selenium from PyPI.
"""
import os
import re
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.support.ui import WebDriverWait


def driver():
    options = Options()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu"]:
        options.add_argument(flag)
    # A phone's viewport (headless windows cannot be narrower than 500px, an emulated device can).
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2}})
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def focused(browser):
    return browser.switch_to.active_element


def tab_to(browser, predicate, limit=80):
    """Presses Tab until the focused element satisfies predicate; fails after `limit` presses."""
    for _ in range(limit):
        focused(browser).send_keys(Keys.TAB)
        element = focused(browser)
        if predicate(element):
            return element
    raise AssertionError("could not reach the element with the keyboard")


def handle(browser, base, shots, session, code):
    """The handler finds the case by a code typed loosely, assesses it and closes it as a test."""
    browser.get(base + "/pl/incidents")
    browser.add_cookie({"name": "otwarty_session", "value": session, "path": "/"})
    body = code[3:].replace("-", "").lower()
    browser.get(base + "/pl/incidents?q=" + body)
    browser.save_screenshot(os.path.join(shots, "5-queue-search.png"))
    browser.find_element(By.LINK_TEXT, code).click()
    page = browser.find_element(By.TAG_NAME, "main")
    checked = [e for e in browser.find_elements(By.CSS_SELECTOR, "input[name=classification]") if e.is_selected()]
    assert not checked, "a classification is preselected"
    browser.save_screenshot(os.path.join(shots, "6-case.png"))
    # Assessing without a choice is refused, naming the field.
    browser.find_element(By.XPATH, "//button[normalize-space()='Zapisz klasyfikację']").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/triage"))
    links = [a.get_attribute("href") or "" for a in browser.find_elements(By.CSS_SELECTOR, "#error-summary a")]
    assert any(link.endswith("#classification") for link in links), f"no error naming the field: {links}"
    browser.find_element(By.CSS_SELECTOR, "input[name=classification][value=not-bias-motivated]").click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Zapisz klasyfikację']").click()
    WebDriverWait(browser, 10).until(lambda b: not b.current_url.endswith("/triage"))
    assert "Zapisano klasyfikację" in browser.find_element(By.TAG_NAME, "main").text, "no banner after assessing"
    browser.find_element(By.CSS_SELECTOR, "input[name=outcomeKind][value=test]").click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Zamknij sprawę']").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/close"))
    browser.save_screenshot(os.path.join(shots, "7-close-confirm.png"))
    assert "confirmed" in browser.page_source, "closing did not ask for confirmation"
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: not b.current_url.endswith("/close"))
    text = browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(os.path.join(shots, "8-closed.png"))
    assert "zamknięt" in text.lower(), text[:400]
    width, view = browser.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= view, f"the case page is {width}px wide in a {view}px viewport"


def main():
    base, shots = sys.argv[1], sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    browser = driver()
    try:
        browser.get(base + "/uk/report-incident")
        browser.save_screenshot(os.path.join(shots, "1-form.png"))
        body = browser.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)  # the skip link comes first
        assert "skip-link" in (focused(browser).get_attribute("class") or ""), "the skip link is not the first stop"

        def named(name, value=None):
            return lambda e: e.get_attribute("name") == name and (value is None or e.get_attribute("value") == value)

        # A radio group is one tab stop; arrow keys choose within it.
        radio = tab_to(browser, named("category"))
        radio.send_keys(Keys.SPACE)
        for _ in range(3):
            focused(browser).send_keys(Keys.ARROW_DOWN)  # → verbal abuse
        tab_to(browser, named("narrative")).send_keys("На зупинці трамвая кричали образи через мою мову.")
        tab_to(browser, named("place")).send_keys("трамвайна зупинка")
        tab_to(browser, named("motivation", "language")).send_keys(Keys.SPACE)
        role = tab_to(browser, named("reporterRole"))
        role.send_keys(Keys.SPACE)
        submit = tab_to(browser, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit")
        browser.save_screenshot(os.path.join(shots, "2-filled.png"))
        submit.send_keys(Keys.ENTER)
        # The post answers a redirect; wait for the confirmation page rather than read the form.
        WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/uk/report-incident/received"),
                                         "the report did not redirect to its confirmation")

        text = browser.find_element(By.TAG_NAME, "main").text
        browser.save_screenshot(os.path.join(shots, "3-received.png"))
        code = re.search(r"KR-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
        passphrase = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", text)
        assert code and passphrase, "no case code and passphrase on the page:\n" + text[:500]
        assert "Повідомлення отримано" in text, text[:300]
        assert "Що далі" in text and "112" in text, "what happens next and where to get help are missing"
        # A reload is a GET of the confirmation: the same code, no second report.
        browser.refresh()
        again = browser.find_element(By.TAG_NAME, "main").text
        assert code.group(0) in again and passphrase.group(0) in again, "a reload within the window lost the receipt"
        width, view = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width <= view, f"the confirmation is {width}px wide in a {view}px viewport"

        browser.get(base + "/uk/report-incident/status")
        tab_to(browser, named("caseCode")).send_keys(code.group(0).lower())
        field = tab_to(browser, named("passphrase"))
        field.send_keys(passphrase.group(0))
        field.send_keys(Keys.ENTER)
        status = browser.find_element(By.TAG_NAME, "main").text
        browser.save_screenshot(os.path.join(shots, "4-status.png"))
        assert code.group(0) in status and "отримано" in status, status[:500]
        # No horizontal scrolling at phone width.
        for page in ["/uk/report-incident", "/uk/report-incident/status", "/uk/incident-statistics"]:
            browser.get(base + page)
            width, view = browser.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert view <= 390 and width <= view, f"{page} is {width}px wide in a {view}px viewport"
        if "--session" in sys.argv:
            handle(browser, base, shots, sys.argv[sys.argv.index("--session") + 1], code.group(0))
        print(f"incident flow: reported {code.group(0)} in Ukrainian with the keyboard at 390px and read its status")
        return 0
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

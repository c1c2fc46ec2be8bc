#!/usr/bin/env python3
"""A resident reports an incident in Ukrainian on a phone-sized screen using only the keyboard,
keeps the case code and passphrase, and checks the status; screenshots of each step.

Usage: incident_flow.py BASE_URL SCREENSHOT_DIR
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

        text = browser.find_element(By.TAG_NAME, "main").text
        browser.save_screenshot(os.path.join(shots, "3-received.png"))
        code = re.search(r"KR-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
        passphrase = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", text)
        assert code and passphrase, "no case code and passphrase on the page:\n" + text[:500]
        assert "Повідомлення отримано" in text, text[:300]

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
        print(f"incident flow: reported {code.group(0)} in Ukrainian with the keyboard at 390px and read its status")
        return 0
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

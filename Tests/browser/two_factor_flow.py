#!/usr/bin/env python3
"""A programme coordinator's first sign-in on a phone-sized screen (390 px), without JavaScript of
ours: the password, then the two-factor enrolment page (QR code with a text alternative and the key
in text) checked with axe-core in four languages, confirmed with a code; the recovery codes; signing
in again with a code; then with a recovery code. Screenshots of each step.

Usage: two_factor_flow.py BASE_URL EMAIL PASSWORD SCREENSHOT_DIR
The account must exist (programme-coordinator, no second factor yet).
"""
import base64
import json
import os
import re
import sys

import axe_playwright_python
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from incident_flow import driver  # noqa: E402
from totp import totp  # noqa: E402

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def shot(browser, folder, name):
    """The whole page, not only the viewport."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    data = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": 390, "height": height, "scale": 1}})
    with open(os.path.join(folder, name), "wb") as f:
        f.write(base64.b64decode(data["data"]))


def axe(browser, source):
    browser.execute_script(source)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(r => done(r)).catch(e => done({error: String(e)}));"
        % json.dumps(WCAG))
    assert "error" not in result, result
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]


def fits_phone(browser, page):
    width, view = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert view <= 390 and width <= view, f"{page} is {width}px wide in a {view}px viewport"


def wait_for_next_page(browser, old):
    """Waits until `old` (the previous page's root) is gone and the new page has loaded. Chromium
    reports a node of a replaced document in more than one way, so any error means gone."""
    def gone(_):
        try:
            old.is_enabled()
            return False
        except Exception:
            return True
    WebDriverWait(browser, 15).until(gone)
    WebDriverWait(browser, 15).until(lambda b: b.execute_script("return document.readyState") == "complete")


def submit(browser, field):
    """Submits the field's form and waits for the page it leads to."""
    page = browser.find_element(By.TAG_NAME, "html")
    field.submit()
    wait_for_next_page(browser, page)


def sign_in(browser, base, email, password):
    browser.get(base + "/pl/login")
    assert browser.find_elements(By.ID, "email"), browser.find_element(By.TAG_NAME, "main").text[:300]
    browser.find_element(By.ID, "email").send_keys(email)
    field = browser.find_element(By.ID, "password")
    field.send_keys(password)
    submit(browser, field)


def sign_out(browser):
    page = browser.find_element(By.TAG_NAME, "html")
    # At phone width sign-out is inside the closed menu: open it as a person would.
    menu = browser.find_elements(By.CSS_SELECTOR, "details.menu:not([open]) > summary")
    if menu and menu[0].is_displayed():
        menu[0].click()
    browser.find_element(By.CSS_SELECTOR, "nav.account form button").click()
    wait_for_next_page(browser, page)
    assert not browser.find_elements(By.CSS_SELECTOR, "nav.account form button"), "still signed in"


def main():
    base, email, password, shots = sys.argv[1:5]
    os.makedirs(shots, exist_ok=True)
    source = open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")).read()
    browser = driver()
    browser.set_script_timeout(60)
    try:
        sign_in(browser, base, email, password)
        assert browser.current_url.endswith("/pl/account/two-factor"), browser.current_url
        # Until enrolled, other pages lead back here.
        browser.get(base + "/pl/dashboard")
        assert browser.current_url.endswith("/pl/account/two-factor"), browser.current_url
        for lang in ["pl", "en", "uk", "ru"]:
            browser.get(f"{base}/{lang}/account/two-factor")
            problems = axe(browser, source)
            assert not problems, f"{lang}: {problems}"
            fits_phone(browser, f"/{lang}/account/two-factor")
            image = browser.find_element(By.CSS_SELECTOR, ".qr img")
            assert image.get_attribute("alt") and email in image.get_attribute("alt"), "the QR code has no text alternative"
            assert browser.execute_script("return arguments[0].naturalWidth", image) > 0, "the QR code did not load"
            shot(browser, shots, f"1-enrolment-{lang}.png")
        browser.get(base + "/pl/account/two-factor")
        key = browser.find_element(By.CSS_SELECTOR, ".otp-key").text
        assert re.fullmatch(r"[A-Z2-7 ]+", key), key
        field = browser.find_element(By.ID, "code")
        field.send_keys(totp(key))
        submit(browser, field)
        text = browser.find_element(By.TAG_NAME, "main").text
        codes = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".recovery-codes code")]
        assert len(codes) == 10, text[:500]
        assert not axe(browser, source)
        fits_phone(browser, "recovery codes")
        shot(browser, shots, "2-recovery-codes.png")

        sign_out(browser)
        sign_in(browser, base, email, password)
        assert "/pl/login/code" in browser.current_url, browser.current_url
        assert not axe(browser, source)
        fits_phone(browser, "/pl/login/code")
        shot(browser, shots, "3-code-step.png")
        field = browser.find_element(By.ID, "code")
        field.send_keys(totp(key, offset=1))  # the enrolment used this step's code; the next one is within the drift
        submit(browser, field)
        assert browser.current_url.endswith("/pl/"), browser.current_url
        shot(browser, shots, "4-signed-in.png")

        sign_out(browser)
        sign_in(browser, base, email, password)
        field = browser.find_element(By.ID, "code")
        field.send_keys(codes[0])
        submit(browser, field)
        assert browser.current_url.endswith("/pl/account/two-factor"), browser.current_url
        text = browser.find_element(By.TAG_NAME, "main").text
        assert "Niewykorzystane kody odzyskiwania: 9." in text, text[:400]
        shot(browser, shots, "5-recovery-code-used.png")

        sign_out(browser)
        sign_in(browser, base, email, password)
        field = browser.find_element(By.ID, "code")
        field.send_keys(codes[0])
        submit(browser, field)
        text = browser.find_element(By.TAG_NAME, "main").text
        assert "/pl/login/code" in browser.current_url and "Pozostałe próby: 4." in text, text[:400]
        shot(browser, shots, "6-recovery-code-reused.png")
        print("two-factor: enrolled as coordinator at 390px (axe clean in four languages), signed in with a code, "
              "a recovery code worked once")
        return 0
    except Exception:
        print(f"two-factor: failed at {browser.current_url}:\n{browser.page_source[:800]}", file=sys.stderr)
        raise
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

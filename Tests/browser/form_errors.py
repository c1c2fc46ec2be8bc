#!/usr/bin/env python3
"""The error summary in a real browser (issue 12, item 3): after a failed submission, sent with the
keyboard and no script of ours, focus is on the summary; the page title starts with the error
prefix in the page's language; every summary line names its field and its link moves focus to
that field; each wrong input shows the error state (a red border, also on number, date and url
inputs). Phone width, screenshots of each step.

Usage: form_errors.py BASE_URL SCREENSHOT_DIR [--session PARTNER_SESSION_TOKEN]
"""
import argparse
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(__file__))
from incident_flow import driver, focused, tab_to  # noqa: E402

DANGER = "164, 22, 26"  # --danger in otwarty.css, as rgb() or rgba(…, 1)


def named(name):
    return lambda e: e.get_attribute("name") == name


def submit_with_keyboard(browser, fill):
    """Tabs through the form filling what `fill` names, then presses Enter on the submit button."""
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    for name, text in fill:
        field = tab_to(browser, named(name))
        if field.get_attribute("type") in ("date", "number"):
            # Date pickers differ between browsers; the value is what is sent.
            browser.execute_script("arguments[0].value = arguments[1]", field, text)
        else:
            field.send_keys(text)
    tab_to(browser, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit"
           and e.find_elements(By.XPATH, "ancestor::main")).send_keys(Keys.ENTER)


def check_summary(browser, shots, name, prefix, expected_fields):
    """Focus on the summary, the title's prefix, one named line per field, links that reach the field."""
    active = focused(browser)
    assert active.get_attribute("id") == "error-summary", \
        f"{name}: focus is on <{active.tag_name} id={active.get_attribute('id')!r}>, not the error summary"
    assert browser.title.startswith(prefix + " "), f"{name}: title {browser.title!r} lacks {prefix!r}"
    browser.save_screenshot(os.path.join(shots, f"{name}-summary.png"))
    links = browser.find_elements(By.CSS_SELECTOR, "#error-summary a")
    anchors = [link.get_attribute("href").split("#", 1)[1] for link in links]
    assert anchors == expected_fields, f"{name}: summary links {anchors}, expected {expected_fields}"
    for link in links:
        assert ": " in link.text, f"{name}: summary line {link.text!r} names no field"
    for anchor in anchors:
        # From the summary, Tab reaches each link; Enter follows it and the field takes focus.
        browser.execute_script("document.getElementById('error-summary').focus()")
        link = tab_to(browser, lambda e, a=anchor: e.tag_name == "a" and (e.get_attribute("href") or "").endswith("#" + a), limit=20)
        link.send_keys(Keys.ENTER)
        target = browser.find_element(By.ID, anchor)
        assert focused(browser) == target, f"{name}: following #{anchor} left focus on {focused(browser).get_attribute('id')!r}"
        if target.tag_name in ("input", "select", "textarea") and target.get_attribute("type") not in ("radio", "checkbox"):
            assert target.get_attribute("aria-invalid") == "true", f"{name}: #{anchor} is not marked aria-invalid"
            described = (target.get_attribute("aria-describedby") or "").split()
            assert any(browser.find_elements(By.ID, d) and "field-error" in browser.find_element(By.ID, d).get_attribute("class")
                       for d in described), f"{name}: #{anchor} is not described by its error message"
            colour = target.value_of_css_property("border-top-color")
            assert DANGER in colour and not colour.endswith(", 0)"), f"{name}: #{anchor} ({target.get_attribute('type')}) has border {colour}, not the error red"
    browser.save_screenshot(os.path.join(shots, f"{name}-field.png"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("shots")
    parser.add_argument("--session", help="a partner's session token: the activity form is checked too")
    args = parser.parse_args()
    os.makedirs(args.shots, exist_ok=True)
    browser = driver()
    try:
        # The public patronage form in Ukrainian, sent with only a project name and an end date.
        browser.get(args.base + "/uk/patronage")
        submit_with_keyboard(browser, [("project", "Фестиваль культур"), ("endsOn", "2030-06-03")])
        check_summary(browser, args.shots, "patronage-uk", "Помилка:", ["applicant", "startsOn", "description", "contact"])
        checked = ["patronage (uk)"]

        if args.session:
            # The partner's activity form: the four wrong fields of issue 12, one submission.
            browser.get(args.base + "/pl/login")
            browser.add_cookie({"name": "otwarty_session", "value": args.session, "path": "/"})
            browser.get(args.base + "/uk/activities/new")
            submit_with_keyboard(browser, [("startDate", "2025-06-14"), ("endDate", "2025-06-10"), ("participants", "-5"),
                                           ("evidenceURL", "не адреса")])
            check_summary(browser, args.shots, "activity-uk", "Помилка:", ["title", "endDate", "participants", "evidenceURL"])
            checked.append("activity (uk)")
        print(f"form errors: focus on the summary, title prefixed, fields named, linked and marked red — {', '.join(checked)}")
        return 0
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

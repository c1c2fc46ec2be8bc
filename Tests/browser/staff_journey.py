#!/usr/bin/env python3
"""The staff journey at phone width, keyboard only (Tab, Enter, Space and typing; no clicks):
a partner signs in in Ukrainian, records an event, submits it and reads the banners; the
programme coordinator signs in (password, then a two-factor code) in Polish, opens the review
queue, finds the record by searching, approves it from the queue and reads the banner naming
the measures the record moved, with the link to the next record waiting. Screenshots of each step.

Usage: staff_journey.py BASE_URL SCREENSHOT_DIR PARTNER_EMAIL COORDINATOR_EMAIL COORDINATOR_KEY_FILE
(both accounts use the CI password; the coordinator's second factor is already enrolled, its key
in the file, as .ci/lib.sh's login_as leaves it). The queue should hold other waiting records
(the demo history), so the banner has a next record to offer.
"""
import os
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(__file__))
from incident_flow import driver, focused, tab_to  # noqa: E402
from totp import totp  # noqa: E402

PASSWORD = "zielony rower nad Wisłą"


def named(name, value=None):
    return lambda e: e.get_attribute("name") == name and (value is None or e.get_attribute("value") == value)


def submits_to(suffix):
    """A submit button of a form whose action ends with `suffix`."""
    def predicate(element):
        if element.tag_name != "button":
            return False
        forms = element.find_elements(By.XPATH, "./ancestor::form")
        return bool(forms) and (forms[0].get_attribute("action") or "").endswith(suffix)
    return predicate


def start(browser, url):
    browser.get(url)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)


def banner(browser):
    found = browser.find_elements(By.CSS_SELECTOR, "main .banner")
    assert found, "no banner after the action: " + browser.find_element(By.TAG_NAME, "main").text[:400]
    return found[0].text


def no_sideways_scroll(browser, step):
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"{step}: the page is {width}px wide at 390px"


def sign_in(browser, base, language, email, key_file=None):
    start(browser, f"{base}/{language}/login")
    tab_to(browser, named("email")).send_keys(email)
    tab_to(browser, named("password")).send_keys(PASSWORD)
    tab_to(browser, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit").send_keys(Keys.ENTER)
    if key_file:
        with open(key_file) as f:
            key = f.read().strip()
        # The page asking for the code: its field is the first stop after the skip link and menu.
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        # The enrolment used this step's code; the next step's is within the allowed drift.
        tab_to(browser, named("code")).send_keys(totp(key, offset=1))
        focused(browser).send_keys(Keys.ENTER)
    # Enter on a submit button does not wait for the next page: reading the address at once can
    # still see the form's (a CI run failed so, its message already showing the page after).
    deadline = time.monotonic() + 10
    while "/login" in browser.current_url and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "/login" not in browser.current_url, f"{email} is still on {browser.current_url}"


def main():
    base, shots, partner, coordinator, key_file = sys.argv[1:6]
    os.makedirs(shots, exist_ok=True)
    shot = lambda browser, name: browser.save_screenshot(os.path.join(shots, name))  # noqa: E731
    title = "Вечір української поезії " + time.strftime("%H%M%S")
    browser = driver()
    try:
        # The partner, in Ukrainian: sign in, open the form from the list, record an event.
        sign_in(browser, base, "uk", partner)
        start(browser, base + "/uk/activities")
        tab_to(browser, lambda e: (e.get_attribute("href") or "").endswith("/uk/activities/new")).send_keys(Keys.ENTER)
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        tab_to(browser, named("task")).send_keys("4.1")  # a select picks the option its typed text begins
        tab_to(browser, named("title")).send_keys(title)
        field = tab_to(browser, named("startDate"))
        browser.execute_script("arguments[0].value = '2026-10-02'", field)  # date pickers differ; the value is what is sent
        tab_to(browser, named("participants")).send_keys("45")
        tab_to(browser, named("audience", "migrants")).send_keys(Keys.SPACE)
        save = tab_to(browser, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit", limit=120)
        shot(browser, "1-partner-form.png")
        save.send_keys(Keys.ENTER)
        saved = banner(browser)
        shot(browser, "2-partner-saved.png")
        assert "Чернетку збережено" in saved and "Надіслати на затвердження" in saved, saved
        no_sideways_scroll(browser, "saved")

        # Submit from the record page.
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        tab_to(browser, submits_to("/submit")).send_keys(Keys.ENTER)
        sent = banner(browser)
        shot(browser, "3-partner-submitted.png")
        assert "Координатор Програми перегляне запис" in sent, sent
        state = browser.find_element(By.CSS_SELECTOR, "main .state-text").text
        assert "Чекає на координатора" in state, state
        browser.delete_all_cookies()

        # The coordinator, in Polish: sign in with the second factor, open the queue, search.
        sign_in(browser, base, "pl", coordinator, key_file)
        start(browser, base + "/pl/review")
        shot(browser, "4-coordinator-queue.png")
        no_sideways_scroll(browser, "queue")
        tab_to(browser, named("search")).send_keys("вечір української " + title[-6:])
        focused(browser).send_keys(Keys.ENTER)  # Enter in the search field sends the filter form
        rows = browser.find_elements(By.CSS_SELECTOR, "table.stack tbody tr")
        assert len(rows) == 1 and title in rows[0].text, (browser.current_url, [r.text for r in rows])
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        approve = tab_to(browser, submits_to("/approve"), limit=120)
        shot(browser, "5-coordinator-found.png")
        no_sideways_scroll(browser, "search result")
        approve.send_keys(Keys.ENTER)
        approved = banner(browser)
        shot(browser, "6-coordinator-approved.png")
        assert "Wpis zatwierdzony" in approved and "Wpis liczy się teraz do:" in approved, approved
        assert "4.1.a" in approved and "Wskaźnik rezultatu celu 4" in approved, approved
        assert "Następny do zatwierdzenia:" in approved, approved
        assert "/pl/review?search=" in browser.current_url, browser.current_url
        no_sideways_scroll(browser, "approved")
        # The next record is a keyboard stop away: follow it.
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        tab_to(browser, lambda e: e.tag_name == "a" and e.text.startswith("Następny do zatwierdzenia")).send_keys(Keys.ENTER)
        assert "/pl/activities/" in browser.current_url, browser.current_url
        shot(browser, "7-coordinator-next.png")
        no_sideways_scroll(browser, "next record")
        # Its actions: approve alone, returning in its own section with its own comment field.
        sections = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "main .review-action h2")]
        assert sections == ["Zatwierdzenie", "Zwrot do poprawy"], sections
        browser.execute_script("document.getElementById('approve-heading').scrollIntoView()")
        shot(browser, "8-coordinator-next-actions.png")
        print("staff journey: a partner recorded and submitted an event (Ukrainian), the coordinator found it in the "
              "queue and approved it (Polish), keyboard only at 390px; banners named the measures and the next record")
        return 0
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

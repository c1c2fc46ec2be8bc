#!/usr/bin/env python3
"""Two of the usability pass's five journeys, walked as their people would at 390 px, following
links rather than typing addresses (the other three are staff_journey.py — a partner in Ukrainian,
the coordinator in Polish — and incident_flow.py — the incident handler):

- a council member reads the dashboard in English: signs in, reads the weighted index and how it is
  formed, follows a result's drill-down to the records behind it, opens the reports and the
  report of the last full year;
- a Russian-speaking resident with no account: the home page in Russian, the service points from
  its first cards, then reports an incident, keeps the case code and passphrase from the
  confirmation (post/redirect/get), and reads the report's status.

Every step: no error page, no sideways scrolling, a screenshot. A step that cannot be reached by
a link from the page before is a dead end and fails the run.

Usage: journeys.py BASE_URL SCREENSHOT_DIR COUNCIL_EMAIL
(the council member's account uses the CI password; a viewer signs in without a second factor).
"""
import os
import re
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from incident_flow import driver, focused, tab_to  # noqa: E402

PASSWORD = "zielony rower nad Wisłą"


class Walk:
    def __init__(self, browser, base, shots, name):
        self.browser, self.base, self.shots, self.name, self.step = browser, base, shots, name, 0

    def main_text(self):
        return self.browser.find_element(By.TAG_NAME, "main").text

    def check(self, label):
        """The page reached is no error page and fits the phone; photographed."""
        self.step += 1
        b = self.browser
        title = b.title
        assert not re.search(r"\b(404|403|500)\b|Błąd serwera|Not found|Nie znaleziono", title), \
            f"{self.name} step {self.step} ({label}): error page '{title}' at {b.current_url}"
        width = b.execute_script("return document.documentElement.scrollWidth")
        view = b.execute_script("return window.innerWidth")
        assert width <= view, f"{self.name} step {self.step} ({label}): {width}px wide in {view}px at {b.current_url}"
        b.save_screenshot(os.path.join(self.shots, f"{self.name}-{self.step}-{label}.png"))

    def follow(self, predicate, label):
        """Follows a link of the page that satisfies predicate(href, text): a dead end fails."""
        for link in self.browser.find_elements(By.CSS_SELECTOR, "main a[href], header a[href]"):
            href, text = link.get_attribute("href") or "", link.text.strip()
            if predicate(href, text):
                self.browser.get(href)
                self.check(label)
                return href
        raise AssertionError(f"{self.name}: no link for '{label}' on {self.browser.current_url}:\n{self.main_text()[:600]}")


def council_member(browser, base, shots, email):
    w = Walk(browser, base, shots, "council-en")
    browser.get(base + "/en/login")
    w.check("sign-in")
    browser.find_element(By.NAME, "email").send_keys(email)
    password = browser.find_element(By.NAME, "password")
    password.send_keys(PASSWORD)
    password.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: "/login" not in b.current_url, "the council member is still signing in")
    w.check("after-sign-in")
    # The menu (a disclosure at this width) leads to the dashboard.
    w.follow(lambda href, _: href.endswith("/en/dashboard"), "dashboard")
    text = w.main_text()
    assert "Weighted achievement index" in text, text[:500]
    # The index explains itself on the page: a link to the explanation, the explanation's table.
    w.follow(lambda href, _: href.endswith("#index-explained"), "index-explained")
    explained = browser.find_element(By.ID, "index-explained").find_element(By.XPATH, "..").text
    assert "100" in explained and "%" in explained, explained[:500]
    assert not re.search(r"reference statistic|foreign-residents|\{[a-z]+\}", w.main_text()), "an internal key leaks"
    # A past year: the results table's drill-down leads to the approved records behind a result.
    w.follow(lambda href, _: href.endswith("/en/dashboard?year=2025"), "year-2025")
    w.follow(lambda href, _: "/en/activities?" in href and ("result=" in href or "measure=" in href), "records-behind-a-figure")
    assert browser.find_elements(By.CSS_SELECTOR, "main table tbody tr"), "no records behind the figure"
    # The reports: the list, then one year's report as the council receives it.
    w.follow(lambda href, _: href.endswith("/en/reports"), "reports")
    w.follow(lambda href, _: re.search(r"/en/reports/20\d\d$", href) is not None, "a-report")
    print("journey: a council member read the dashboard in English at 390px — the index and how it is formed, "
          "the records behind a result, the reports")


def resident(browser, base, shots):
    w = Walk(browser, base, shots, "resident-ru")
    browser.get(base + "/ru/")
    w.check("home")
    first = browser.find_element(By.CSS_SELECTOR, "main h3 a")
    assert "/ru/report-incident" in first.get_attribute("href"), "reporting an incident is not the first task"
    assert re.search(r"[А-Яа-я]", first.text), f"the first task is not in Russian: {first.text}"
    w.follow(lambda href, _: href.endswith("/ru/service-points"), "service-points")
    assert browser.find_elements(By.CSS_SELECTOR, "main h2, main h3"), "no service point shown"
    w.follow(lambda href, _: href.endswith("/ru/"), "home-again")
    w.follow(lambda href, _: href.endswith("/ru/report-incident"), "report-form")
    browser.find_element(By.CSS_SELECTOR, "input[name=category][value=verbal-abuse]").send_keys(Keys.SPACE)
    browser.find_element(By.NAME, "narrative").send_keys("На остановке кричали оскорбления из-за моего языка.")
    browser.find_element(By.CSS_SELECTOR, "input[name=motivation][value=language]").send_keys(Keys.SPACE)
    browser.find_element(By.CSS_SELECTOR, "input[name=reporterRole]").send_keys(Keys.SPACE)
    w.check("report-filled")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/ru/report-incident/received"),
                                     "the report did not redirect to its confirmation")
    w.check("received")
    text = w.main_text()
    code = re.search(r"KR-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
    passphrase = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", text)
    assert code and passphrase, "no case code and passphrase on the confirmation:\n" + text[:600]
    assert "112" in text, "the confirmation does not say where to get help now"
    # A refresh does not send the report again: the page is a GET at its own address.
    browser.refresh()
    assert code.group(0) in w.main_text(), "the confirmation changed on refresh"
    w.follow(lambda href, _: href.endswith("/ru/report-incident/status"), "status-form")
    browser.find_element(By.NAME, "caseCode").send_keys(code.group(0))
    field = browser.find_element(By.NAME, "passphrase")
    field.send_keys(passphrase.group(0))
    field.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: code.group(0) in b.find_element(By.TAG_NAME, "main").text,
                                     "the status page does not show the case")
    w.check("status")
    assert code.group(0) in w.main_text(), w.main_text()[:500]
    print(f"journey: a Russian-speaking resident found the service points, reported {code.group(0)} and read its "
          "status at 390px, without an account")


def main():
    base, shots, council = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(shots, exist_ok=True)
    browser = driver()
    try:
        council_member(browser, base, shots, council)
        browser.delete_all_cookies()
        resident(browser, base, shots)
        return 0
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Keyboard-only runs through the public forms: rating a service point in Ukrainian and requesting
patronage in English, at a phone-sized viewport, with screenshots of each step.

Usage: forms_keyboard.py BASE_URL SCREENSHOT_DIR
"""
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(__file__))
from incident_flow import driver, focused, tab_to  # noqa: E402


def named(name, value=None):
    return lambda e: e.get_attribute("name") == name and (value is None or e.get_attribute("value") == value)


def main():
    base, shots = sys.argv[1], sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    browser = driver()
    try:
        # A rating of the first service point, keyboard only.
        browser.get(base + "/uk/service-points")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        tab_to(browser, named("rating", "positive")).send_keys(Keys.SPACE)
        tab_to(browser, named("comment")).send_keys("Дуже допомогли, дякую")
        submit = tab_to(browser, lambda e: e.tag_name == "button")
        browser.save_screenshot(os.path.join(shots, "1-rating.png"))
        submit.send_keys(Keys.ENTER)
        text = browser.find_element(By.TAG_NAME, "main").text
        browser.save_screenshot(os.path.join(shots, "2-rated.png"))
        assert "Дякуємо за вашу оцінку" in text and "завдання 1.5" in text, text[:400]  # the banner after the redirect

        # A patronage request, keyboard only.
        browser.get(base + "/en/patronage")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        tab_to(browser, named("applicant")).send_keys("Fundacja Most")
        tab_to(browser, named("project")).send_keys("Festival of Cultures")
        field = tab_to(browser, named("startsOn"))
        browser.execute_script("arguments[0].value = '2030-06-01'", field)  # date pickers differ; the value is what is sent
        field = tab_to(browser, named("endsOn"))
        browser.execute_script("arguments[0].value = '2030-06-03'", field)
        tab_to(browser, named("description")).send_keys("Three days of music and food from Kraków's communities.")
        tab_to(browser, named("contact")).send_keys("most@example.org")
        submit = tab_to(browser, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit")
        browser.save_screenshot(os.path.join(shots, "3-patronage.png"))
        submit.send_keys(Keys.ENTER)
        text = browser.find_element(By.TAG_NAME, "main").text
        browser.save_screenshot(os.path.join(shots, "4-patronage-received.png"))
        assert "Patronage request sent" in text and "Request number:" in text, text[:400]
        # A nomination for the Ambassador, keyboard only, in Ukrainian.
        browser.get(base + "/uk/ambassador")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        tab_to(browser, named("nominee")).send_keys("Фундація «Зустріч»")
        tab_to(browser, named("category")).send_keys(Keys.SPACE)
        tab_to(browser, named("justification")).send_keys("Багато років навчає дітей польської мови та знайомить сусідів.")
        tab_to(browser, named("contact")).send_keys("nominator@example.org")
        submit = tab_to(browser, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit")
        browser.save_screenshot(os.path.join(shots, "5-nomination.png"))
        submit.send_keys(Keys.ENTER)
        text = browser.find_element(By.TAG_NAME, "main").text
        browser.save_screenshot(os.path.join(shots, "6-nominated.png"))
        assert "Номінацію надіслано" in text and "після гали" in text, text[:400]
        print("forms: rated a service point, nominated an Ambassador (Ukrainian) and requested patronage (English) "
              "with the keyboard at 390px")
        return 0
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

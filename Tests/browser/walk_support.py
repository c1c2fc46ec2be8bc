"""What every "tried as a new user" walk does on each page (issue13_walk.py, issue14_walk.py): open an
address, read <main>, check the page (no error page, no sideways scrolling at 390 px) and photograph it
scrolled to what the step is about, and read the banner an action leaves."""

import os
import re

from selenium.webdriver.common.by import By


class PhoneWalk:
    def __init__(self, browser, base, shots):
        self.browser, self.base, self.shots, self.step = browser, base, shots, 0

    def open(self, path):
        self.browser.get(self.base + path)

    def main_text(self):
        return self.browser.find_element(By.TAG_NAME, "main").text

    def more_checks(self, label):
        """A walk's own checks of every page (none here)."""

    def check(self, label, element=None):
        """No error page, no sideways scrolling at 390 px; photographed (scrolled to `element`)."""
        self.step += 1
        b = self.browser
        assert not re.search(r"\b(404|403|500)\b|Błąd serwera|Not found", b.title), \
            f"{label}: error page '{b.title}' at {b.current_url}"
        self.more_checks(label)
        width, view = b.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= view, f"{label}: {width}px wide in {view}px at {b.current_url}"
        if element is not None:
            # What leads to the element stays in the picture: it starts a fifth of the way down.
            b.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY"
                             " - window.innerHeight / 5)", element)
        b.save_screenshot(os.path.join(self.shots, f"{self.step:02d}-{label}.png"))

    def banner(self, what="the action"):
        found = self.browser.find_elements(By.CSS_SELECTOR, "main .banner")
        assert found, f"no banner after {what}: " + self.main_text()[:400]
        return found[0].text

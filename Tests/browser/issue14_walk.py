#!/usr/bin/env python3
"""Issue 14's "Done when", tried as a new user would, at phone width (390 px):

1. a resident reports an incident in Ukrainian through the public form and keeps the case code and
   the passphrase the confirmation page shows;
2. an incident handler (whose account existed before the report, so the report is sealed to their
   key) signs in in Polish, finds the case by its code, reads the description and adds an action
   marked for the reporter (a public update);
3. the resident opens the status page with the code and the passphrase and reads that update's
   text (sealed to the key the passphrase derives); with a wrong passphrase the page refuses and
   shows nothing of the case;
4. the handler forgot their password: the programme coordinator proposes a new-password link, the
   administrator approves it (two people, each in their own session) and passes the link on; the
   handler sets a new password with it (the second factor stays: the same authenticator signs
   in), and the case opens locked: the page says a handler must grant access and shows no text;
5. the programme coordinator, who can read the case, grants the handler access on the case page;
   the handler reloads it and reads the description again.

Every page is photographed and checked for sideways scrolling; a wrong state fails the walk with
a message saying what was seen. Usage:
issue14_walk.py BASE_URL SCREENSHOT_DIR ADMIN_EMAIL ADMIN_KEY_FILE COORDINATOR_EMAIL COORDINATOR_KEY_FILE
                HANDLER_EMAIL HANDLER_KEY_FILE
(accounts with the CI password and an enrolled second factor, keys in the files, as .ci/lib.sh's
create_admin and login_as leave them; the handler and the coordinator made before this walk).
"""
import os
import re
import secrets
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from incident_flow import driver  # noqa: E402
from totp import totp  # noqa: E402
from walk_support import PhoneWalk  # noqa: E402

PASSWORD = "zielony rower nad Wisłą"
NEW_PASSWORD = "jesienny tramwaj przy Kazimierzu"
STEP = 30


class Codes:
    """Second-factor codes as an authenticator gives them: each time step is accepted once per
    account (the server stores the last one used, ±1 step of drift), so a second sign-in of the same
    account waits for a step it has not used yet."""

    def __init__(self):
        # The enrolment (login_as) used the step of its moment, at the latest the current one.
        self.last = {}

    def next(self, key):
        current = int(time.time() // STEP)
        last = self.last.get(key, current)
        step = max(current, last + 1)
        while step > int(time.time() // STEP) + 1:
            time.sleep(0.2)
        self.last[key] = step
        return totp(key, at=step * STEP)


class Walk(PhoneWalk):
    def __init__(self, browser, base, shots):
        super().__init__(browser, base, shots)
        self.codes = Codes()
        self.jars = {}

    def more_checks(self, label):
        """Words, not catalogue keys: a missing translation shows as `incident.access.choose`."""
        keys = [w for w in re.findall(r"[^\s()\[\]:;,]+", self.main_text())
                if re.fullmatch(r"[a-z][a-z0-9-]*(\.[a-z0-9-]+){2,}", w)]
        assert not keys, f"{label}: catalogue keys instead of words at {self.browser.current_url}: {keys[:5]}"

    def submit(self, element):
        """Sends the form `element` belongs to with its submit button, and waits for the next page."""
        button = element.find_element(By.XPATH, "./ancestor-or-self::form[1]//button[@type='submit']")
        old = self.browser.find_element(By.TAG_NAME, "html")
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        WebDriverWait(self.browser, 15).until(lambda b: _stale(old), "the form's answer did not load")

    # People share this one browser, each with their own cookies (session and CSRF), as they
    # would each have their own phone.
    def become(self, person):
        self.browser.get(self.base + "/healthz")
        self.browser.delete_all_cookies()
        for cookie in self.jars.get(person, []):
            self.browser.add_cookie({k: v for k, v in cookie.items() if k in ("name", "value", "path", "httpOnly", "secure")})

    def keep(self, person):
        self.jars[person] = self.browser.get_cookies()

    def sign_in(self, person, email, key, password=PASSWORD):
        self.become(None)
        self.open("/pl/login")
        self.browser.find_element(By.NAME, "email").send_keys(email)
        field = self.browser.find_element(By.NAME, "password")
        field.send_keys(password)
        self.submit(field)
        self.second_factor(person, key)

    def second_factor(self, person, key):
        """The code step after a right password; then the list of account changes a handler
        acknowledges, when there is one."""
        assert "/login/code" in self.browser.current_url or self.browser.find_elements(By.NAME, "code"), \
            f"{person}: no second step after the password ({self.browser.current_url}): {self.main_text()[:300]}"
        code = self.browser.find_element(By.NAME, "code")
        code.send_keys(self.codes.next(key))
        self.submit(code)
        assert "/login" not in self.browser.current_url, \
            f"{person}: the code was refused ({self.browser.current_url}): {self.main_text()[:300]}"
        if "/account/handler-changes" in self.browser.current_url:
            self.check(f"{person}-account-changes")
            self.submit(self.browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        self.keep(person)


def _stale(element):
    try:
        element.tag_name
        return False
    except Exception:  # StaleElementReferenceException: the next page has replaced it
        return True


def report(walk, sentinel):
    """1. The resident's report in Ukrainian; the code and passphrase from the confirmation."""
    walk.become("resident")
    walk.open("/uk/report-incident")
    walk.check("resident-form")
    b = walk.browser

    def choose(name, value):
        box = b.find_element(By.CSS_SELECTOR, f"input[name={name}][value='{value}']")
        b.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        if not box.is_selected():
            box.click()

    choose("category", "verbal-abuse")
    b.find_element(By.NAME, "narrative").send_keys(
        f"Біля трамвайної зупинки чоловік кричав на мене образи через те, що я розмовляла українською. {sentinel}")
    Select(b.find_element(By.NAME, "district")).select_by_index(1)
    b.find_element(By.NAME, "place").send_keys("зупинка біля ринку")
    choose("motivation", "language")
    choose("reporterRole", "victim")
    choose("policeInformed", "no")
    walk.check("resident-form-filled", b.find_element(By.NAME, "narrative"))
    walk.submit(b.find_element(By.NAME, "narrative"))
    assert b.current_url.endswith("/uk/report-incident/received"), \
        f"the report did not reach its confirmation ({b.current_url}): {walk.main_text()[:600]}"
    code = b.find_element(By.ID, "receipt-code").text.strip()
    passphrase = b.find_element(By.ID, "receipt-passphrase").text.strip()
    assert re.fullmatch(r"KR-[0-9A-Z]{4}-[0-9A-Z]{4}", code), f"no case code on the confirmation: {code!r}"
    assert len(passphrase) >= 20, f"no passphrase on the confirmation: {passphrase!r}"
    walk.check("resident-received", b.find_element(By.ID, "receipt-code"))
    walk.keep("resident")
    return code, passphrase


def open_case(walk, code):
    """2. The handler's queue, searched by the case code; the case page."""
    walk.open("/pl/incidents")
    search = walk.browser.find_element(By.NAME, "q")
    search.send_keys(code)
    walk.submit(search)
    walk.check("handler-queue-search")
    links = walk.browser.find_elements(By.LINK_TEXT, code)
    assert links, f"the queue does not list {code} when searched: {walk.main_text()[:600]}"
    links[0].click()
    WebDriverWait(walk.browser, 15).until(lambda b: re.search(r"/pl/incidents/\d+$", b.current_url),
                                          "the case did not open from the queue")
    return walk.browser.current_url[len(walk.base):]


def assert_readable(walk, who, sentinel):
    text = walk.main_text()
    locked = walk.browser.find_elements(By.ID, "case-locked")
    assert not locked, f"{who}: the case is locked: {locked[0].text[:400]}"
    assert sentinel in text, f"{who}: the case page does not show the description: {text[:800]}"


def public_update(walk, update):
    """2. An action marked for the reporter."""
    b = walk.browser
    text = b.find_element(By.ID, "a-text")
    text.send_keys(update)
    form = text.find_element(By.XPATH, "./ancestor::form[1]")
    tell = form.find_element(By.CSS_SELECTOR, "input[name=public]")
    b.execute_script("arguments[0].scrollIntoView({block: 'center'})", tell)
    tell.click()
    walk.check("handler-public-update-filled", form)
    walk.submit(text)
    walk.banner("the action")
    trail = b.find_element(By.ID, "events-title").find_element(By.XPATH, "./ancestor::section[1]")
    assert update in trail.text, f"the action is not in the case's history: {trail.text[:600]}"
    walk.check("handler-action-saved", trail)


def status(walk, code, passphrase, label):
    walk.become("resident")
    walk.open("/uk/report-incident/status")
    b = walk.browser
    b.find_element(By.NAME, "caseCode").send_keys(code)
    field = b.find_element(By.NAME, "passphrase")
    field.send_keys(passphrase)
    walk.submit(field)
    walk.check(label)
    return walk.main_text()


def propose_reset(walk, handler):
    """4. The coordinator proposes a new-password link for the handler."""
    walk.open("/pl/admin/handler-accounts")
    b = walk.browser
    select = Select(b.find_element(By.ID, "password-user"))
    options = [o for o in select.options if handler in o.text]
    assert options, f"the handler is not in the new-password list: {[o.text for o in select.options]}"
    account = options[0].get_attribute("value")
    select.select_by_value(account)
    walk.check("coordinator-propose-password", b.find_element(By.ID, "password-user"))
    walk.submit(b.find_element(By.ID, "password-user"))
    text = walk.main_text()
    assert handler in text, f"the proposal does not name the handler: {text[:600]}"
    walk.check("coordinator-proposed")
    return account


def approve_reset(walk, handler):
    """4. The administrator approves; the link is shown once."""
    walk.open("/pl/admin/handler-accounts")
    b = walk.browser
    rows = [r for r in b.find_elements(By.CSS_SELECTOR, "#pending-heading ~ table tbody tr") if handler in r.text]
    assert rows, f"the administrator sees no pending change for {handler}: {walk.main_text()[:600]}"
    approve = rows[0].find_elements(By.CSS_SELECTOR, "form[action$='/approve'] button")
    assert approve, f"the administrator cannot approve the coordinator's proposal: {rows[0].text}"
    walk.check("admin-pending", rows[0])
    walk.submit(approve[0])
    link = b.find_elements(By.CSS_SELECTOR, "main code.link-box")
    assert link, f"no new-password link after approving: {walk.main_text()[:600]}"
    walk.check("admin-link", link[0].find_element(By.XPATH, "./ancestor::div[1]"))
    return link[0].text.strip()


def set_new_password(walk, link, key):
    """4. The handler opens the link, sets a new password, gives a code from the same authenticator."""
    walk.become(None)
    walk.browser.get(link)
    b = walk.browser
    walk.check("handler-new-password-form")
    b.find_element(By.NAME, "password").send_keys(NEW_PASSWORD)
    field = b.find_element(By.NAME, "passwordConfirmation")
    field.send_keys(NEW_PASSWORD)
    walk.submit(field)
    walk.check("handler-after-new-password")
    walk.second_factor("handler", key)


def grant(walk, handler, account):
    """5. The coordinator grants the handler access on the case page (the choice's value is the
    account's id: CI's handlers all share one display name)."""
    b = walk.browser
    sections = b.find_elements(By.ID, "access")
    assert sections, "the case page has no access section (id=access)"
    section = sections[0]
    selects = section.find_elements(By.CSS_SELECTOR, "form[action$='/access/grant'] select[name=user]")
    assert selects, f"the access section has no grant form with a 'user' choice: {section.text[:600]}"
    select = Select(selects[0])
    values = [o.get_attribute("value") for o in select.options]
    assert account in values, f"the handler (account {account}) cannot be chosen to be granted: " \
        f"{[(o.get_attribute('value'), o.text) for o in select.options]}"
    select.select_by_value(account)
    walk.check("coordinator-grant", section)
    walk.submit(selects[0])
    walk.banner("granting")
    section = b.find_element(By.ID, "access")
    walk.check("coordinator-granted", section)
    return section.text


def main():
    base, shots, admin, admin_key, coordinator, coordinator_key, handler, handler_key = sys.argv[1:9]
    keys = {}
    for name, path in [("admin", admin_key), ("coordinator", coordinator_key), ("handler", handler_key)]:
        with open(path) as f:
            keys[name] = f.read().strip()
    os.makedirs(shots, exist_ok=True)
    tag = secrets.token_hex(4)
    sentinel = f"[опис {tag}]"
    update = f"Ми зв'язалися з міською службою; справа в роботі. Aktualizacja {tag}."
    browser = driver()
    walk = Walk(browser, base, shots)
    started = time.monotonic()
    try:
        # 1. The resident.
        code, passphrase = report(walk, sentinel)

        # 2. The handler.
        walk.sign_in("handler", handler, keys["handler"])
        case = open_case(walk, code)
        assert_readable(walk, "the handler", sentinel)
        walk.check("handler-case", walk.browser.find_element(By.ID, "report-title"))
        public_update(walk, update)
        walk.keep("handler")
        old_handler_session = walk.jars["handler"]

        # 3. The resident's status page: the update with the passphrase, nothing without it.
        text = status(walk, code, passphrase, "resident-status")
        assert update in text, f"the status page does not show the public update's text: {text[:800]}"
        wrong = passphrase[:-1] + ("A" if passphrase[-1] != "A" else "B")
        text = status(walk, code, wrong, "resident-status-wrong-passphrase")
        assert walk.browser.find_elements(By.CSS_SELECTOR, "main .alert.error"), \
            f"a wrong passphrase is not refused with an error: {text[:600]}"
        assert update not in text and tag not in text, f"a wrong passphrase shows the case: {text[:800]}"

        # 4. The reset, two people; the handler's new password opens nothing.
        walk.sign_in("coordinator", coordinator, keys["coordinator"])
        account = propose_reset(walk, handler)
        walk.sign_in("admin", admin, keys["admin"])
        link = approve_reset(walk, handler)
        set_new_password(walk, link, keys["handler"])
        # The new password ended the sessions the old one opened.
        walk.jars["handler-before-reset"] = old_handler_session
        walk.become("handler-before-reset")
        walk.open(case)
        assert "/login" in walk.browser.current_url, \
            f"the handler's session from before the new password still works ({walk.browser.current_url})"
        walk.become("handler")
        walk.open(case)
        locked = walk.browser.find_elements(By.ID, "case-locked")
        text = walk.main_text()
        assert locked, f"after the reset the case page shows no locked notice (id=case-locked): {text[:800]}"
        assert len(locked[0].text.strip()) > 40, f"the locked notice says nothing: {locked[0].text!r}"
        assert sentinel not in text and tag not in walk.browser.page_source, \
            "after the reset the case page shows the description or the update"
        walk.check("handler-case-locked", locked[0])

        # 5. The coordinator, who can read, grants; the handler reads again.
        walk.become("coordinator")
        walk.open(case)
        assert_readable(walk, "the coordinator", sentinel)
        access = grant(walk, handler, account)
        walk.become("handler")
        walk.open(case)
        assert_readable(walk, "the handler after the grant", sentinel)
        assert update in walk.main_text(), "after the grant the handler does not see their public update"
        walk.check("handler-case-granted", walk.browser.find_element(By.ID, "report-title"))
        print(f"issue 14 walk: {code} reported in Ukrainian at 390px, read by the handler, public update read with the "
              f"passphrase (refused with a wrong one); after a two-person password reset the case stayed locked until "
              f"the coordinator granted access; {time.monotonic() - started:.1f}s; access: {' / '.join(access.splitlines()[:3])}")
        return 0
    except Exception:
        browser.save_screenshot(os.path.join(shots, "failed.png"))
        print(f"issue 14 walk failed at {browser.current_url}; screenshot failed.png", file=sys.stderr)
        raise
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

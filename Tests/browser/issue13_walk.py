#!/usr/bin/env python3
"""Issue 13's "Done when", walked as the programme coordinator would at 390 px:

1. imports a CSV file whose training for the City Office, the Municipal Guard and the police gives
   participants by audience (`participants_by_audience`), through upload → preview → confirm, and
   sees the goal 6 share on the dashboard grow by the City Office and Guard parts only
   (hand-computed: + 100 × (30 + 15) ÷ the staff figure the dashboard divides by; the 15 police
   officers do not count);
2. publishes a document, marks task 5.2's product delivered today with that document as evidence,
   and sees the task "delivered by the deadline" in the draft report of the year;
3. the dashboard (signed in) and the public progress page (anonymous) in pl, en, uk and ru: the
   methodology ("how it is counted") and the ranges beside the values, no sideways scrolling,
   axe-core (WCAG 2.0/2.1 A and AA) with 0 violations.

Screenshots of every step. Usage:
issue13_walk.py BASE_URL SCREENSHOT_DIR COORDINATOR_EMAIL COORDINATOR_KEY_FILE
(the coordinator's account uses the CI password; its second factor is enrolled, the key in the
file, as .ci/lib.sh's login_as leaves it).
"""
import json
import os
import re
import sys
import tempfile
import time

import axe_playwright_python
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from incident_flow import driver  # noqa: E402
from staff_journey import sign_in  # noqa: E402
from walk_support import PhoneWalk  # noqa: E402

LANGUAGES = ["pl", "en", "uk", "ru"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The training's parts: 30 City Office staff and 15 Municipal Guard officers count for goal 6,
# the 15 police officers do not.
COUNTED = 30 + 15


class Walk(PhoneWalk):
    def __init__(self, browser, base, shots):
        super().__init__(browser, base, shots)
        self.axe = open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")).read()

    def axe_violations(self):
        self.browser.execute_script(self.axe)
        result = self.browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(r => done(r)).catch(e => done({error: String(e)}));"
            % json.dumps(WCAG))
        assert "error" not in result, result
        return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes'][:3]]})" for v in result["violations"]]


def number(text):
    """'0.77%' / '1,45%' / '6,585' → float."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("%", "")
    if "," in cleaned and "." not in cleaned and re.fullmatch(r"\d+,\d{1,2}", cleaned):
        cleaned = cleaned.replace(",", ".")
    return float(cleaned.replace(",", ""))


def goal6(walk, year):
    """Goal 6's share on the English dashboard, and the staff figure it is divided by."""
    walk.open(f"/en/dashboard?year={year}")
    link = walk.browser.find_element(By.CSS_SELECTOR, f"main td a[href*='result=6&year={year}']")
    cell = link.find_element(By.XPATH, "./ancestor::td[1]")
    row = link.find_element(By.XPATH, "./ancestor::tr[1]")
    divided = [dd.get_attribute("textContent") for dd in cell.find_elements(By.XPATH, ".//dt[normalize-space()='Divided by']/following-sibling::dd[1]")]
    assert divided, "the goal 6 value does not say what it is divided by: " + cell.text[:400]
    staff = re.search(r":\s*([\d,]+)", divided[0])
    assert staff, divided[0]
    return number(link.text), number(staff.group(1)), row


def import_breakdowns(walk, year):
    before, staff, cell = goal6(walk, year)
    walk.check("dashboard-goal6-before", cell)
    csv = ("date,task,kind,title,organisation,district,participants,beneficiaries,audience,amount,institution,languages,notes,"
           "participants_by_audience,participants_new\n"
           f"{year}-11-20,6.3,training,Reagowanie na incydenty rasistowskie: szkolenie łączone UMK SM KMP {time.strftime('%H%M%S')},"
           "Stowarzyszenie Interkulturalni PL,1,60,,city_office;municipal_guard;police,,,pl,,"
           "city_office:30;municipal_guard:15;police:15,\n")
    path = os.path.join(tempfile.mkdtemp(), "szkolenia-6-3.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(csv)
    walk.open("/pl/import")
    walk.check("import-form")
    walk.browser.find_element(By.ID, "file").send_keys(path)
    Select(walk.browser.find_element(By.NAME, "status")).select_by_value("approved")
    box = walk.browser.find_element(By.NAME, "createOrganisations")
    if not box.is_selected():
        box.click()
    box.find_element(By.XPATH, "./ancestor::form[1]//button[@type='submit']").click()
    WebDriverWait(walk.browser, 20).until(lambda b: "/import/pending/" in b.current_url, "no preview after the upload")
    preview = walk.main_text()
    assert "city_office" in preview or "Urząd" in preview or "30" in preview, preview[:800]
    walk.check("import-preview")
    confirm = walk.browser.find_element(By.ID, "confirmApproved")
    walk.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", confirm)
    confirm.click()
    walk.check("import-preview-ticked", confirm)
    confirm.find_element(By.XPATH, "./ancestor::form[1]//button[@type='submit']").click()
    WebDriverWait(walk.browser, 20).until(lambda b: "/import/pending/" not in b.current_url, "the import was not confirmed")
    text = walk.banner()
    walk.check("import-stored")
    assert "1" in text, text

    after, staff_after, cell = goal6(walk, year)
    assert staff_after == staff, (staff, staff_after)
    expected = before + 100 * COUNTED / staff
    # Both values are shown to two decimals: they may each be off by 0.005.
    assert abs(after - expected) <= 0.011, f"goal 6: {before}% → {after}%, expected about {expected:.3f}% (+{COUNTED} of {staff})"
    walk.check("dashboard-goal6-after", cell)
    return before, after, staff


def deliver_product(walk, year, task="5.2"):
    # A document in Otwarty's documents: the recommendations, published by the coordinator.
    title = f"Rekomendacje rozwoju edukacji międzykulturowej {time.strftime('%H%M%S')}"
    path = os.path.join(tempfile.mkdtemp(), "rekomendacje.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("Rekomendacje dla placówek szkolnych dotyczące procesów inkluzji społecznej.\n")
    walk.open("/pl/manage/documents")
    walk.check("documents-form")
    form = walk.browser.find_element(By.ID, "file").find_element(By.XPATH, "./ancestor::form[1]")
    form.find_element(By.NAME, "title").send_keys(title)
    language = form.find_element(By.NAME, "language")
    language.clear()
    language.send_keys("pl")
    form.find_element(By.ID, "file").send_keys(path)
    form.find_element(By.XPATH, ".//button[@type='submit']").click()
    WebDriverWait(walk.browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, "main .banner"), "no banner after publishing")
    walk.check("document-published")

    # The task's products on the report pages lead to the product's form.
    walk.open("/pl/reports/products")
    walk.check("products-list")
    links = [a for a in walk.browser.find_elements(By.CSS_SELECTOR, "main a[href]")
             if a.get_attribute("href").endswith(f"/pl/reports/products/{task}/1")]
    assert links, f"no link to task {task}'s product on the products page"
    walk.browser.get(links[0].get_attribute("href"))
    Select(walk.browser.find_element(By.ID, "status")).select_by_value("delivered")
    walk.browser.execute_script("arguments[0].value = arguments[1]", walk.browser.find_element(By.ID, "deliveredOn"),
                                time.strftime("%Y-%m-%d"))
    Select(walk.browser.find_element(By.ID, "documentID")).select_by_visible_text(
        next(o.text for o in walk.browser.find_elements(By.CSS_SELECTOR, "#documentID option") if o.text.startswith(title)))
    walk.check("product-form")
    walk.browser.find_element(By.ID, "status").find_element(By.XPATH, "./ancestor::form[1]//button[@type='submit']").click()
    WebDriverWait(walk.browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, "main .banner"), "no banner after saving the product")
    walk.check("product-saved")

    # The draft report of the year: the task is met, its product delivered with the document.
    walk.open(f"/pl/reports/{year}")
    heading = [h for h in walk.browser.find_elements(By.CSS_SELECTOR, "main article.task h3")
               if h.text.startswith(f"Zadanie {task}")]
    assert heading, f"no section for task {task} in the report"
    section = heading[0].find_element(By.XPATH, "./ancestor::article[1]")
    text = section.text
    assert "zrealizowano w terminie" in text, f"task {task} is not met in the report: {text[:800]}"
    assert title in text, f"the report does not name the product's document: {text[:800]}"
    walk.check("report-task-met", heading[0])


def methodology_and_ranges(walk, session_cookie):
    """The dashboard (signed in) and the public progress page (anonymous) in four languages."""
    problems = []
    for signed_in in (True, False):
        if not signed_in:
            walk.browser.delete_all_cookies()
        for lang in LANGUAGES:
            page = "dashboard" if signed_in else "progress"
            walk.open(f"/{lang}/{page}")
            main = walk.browser.find_element(By.TAG_NAME, "main")
            counted = main.find_elements(By.CSS_SELECTOR, "details.how-counted")
            ranges = main.find_elements(By.CSS_SELECTOR, ".value-range")
            if not counted:
                problems.append(f"{lang}/{page}: no 'how it is counted' beside the values")
            if not ranges:
                problems.append(f"{lang}/{page}: no range beside a share")
            walk.check(f"{lang}-{page}-top")
            if counted:
                summary = counted[0].find_element(By.TAG_NAME, "summary")
                walk.browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", summary)
                summary.click()
                walk.check(f"{lang}-{page}-how-counted", summary)
            if ranges:
                walk.check(f"{lang}-{page}-range", ranges[0])
            violations = walk.axe_violations()
            problems += [f"{lang}/{page}: {v}" for v in violations]
            print(f"{lang}/{page}: {len(counted)} methodology blocks, {len(ranges)} ranges, {len(violations)} axe violations")
    assert not problems, "\n".join(problems)


def main():
    base, shots, coordinator, key_file = sys.argv[1:5]
    os.makedirs(shots, exist_ok=True)
    year = int(time.strftime("%Y"))
    browser = driver()
    browser.set_script_timeout(60)
    walk = Walk(browser, base, shots)
    try:
        sign_in(browser, base, "pl", coordinator, key_file)
        before, after, staff = import_breakdowns(walk, year)
        deliver_product(walk, year)
        methodology_and_ranges(walk, None)
        print(f"issue 13 walk: goal 6 {before}% → {after}% (+{COUNTED} of {staff:.0f} staff; police not counted); "
              f"task 5.2 met in the {year} report draft; dashboard and progress page in 4 languages at 390px, axe clean")
        return 0
    finally:
        browser.quit()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Gives the demo server the objects the routes need (an incident case, a service point, an open
Ambassador edition with a nomination, a patronage request, a document) through the same forms
people use, and finds the target user for the administrator's user routes.
Usage: setup.py BASE_URL
"""
import re
import sys

from common import LANGUAGE, identities, read_page, same_site_path, save_json
from forms import fill

L = f"/{LANGUAGE}"


def submit(who, page, action_pattern):
    response = who.request("GET", page)
    forms = [f for f in read_page(response.text).forms if re.search(action_pattern, f["action"] or page)]
    if not forms:
        print(f"setup: no form matching {action_pattern} on {page} for {who.name} ({response.status_code})")
        return None
    form = forms[-1]
    data, files = fill(form)
    action = same_site_path(form["action"], page) or page
    result = who.request("POST", action, data=data, files=files or None)
    print(f"setup: {who.name} POST {action} → {result.status_code}")
    return result


def main():
    base = sys.argv[1]
    people = identities(base)
    for name, who in people.items():
        if who.session_token:
            status = who.request("GET", f"{L}/dashboard").status_code
            if status != 200:
                print(f"setup: {name}'s session does not reach the dashboard ({status})")
                return 1
    admin, anonymous = people["administrator"], people["anonymous"]
    submit(admin, f"{L}/manage/service-points", r"service-points")
    submit(admin, f"{L}/manage/ambassador", r"manage/ambassador$")
    submit(admin, f"{L}/manage/documents", r"manage/documents")
    submit(anonymous, f"{L}/report-incident", r"report-incident")
    submit(anonymous, f"{L}/patronage", r"patronage")
    submit(anonymous, f"{L}/ambassador", r"ambassador")
    submit(anonymous, f"{L}/service-points", r"feedback")
    # The administrator's user routes act on the target user, never on a user the suite signs in as.
    page = admin.request("GET", f"{L}/admin/users").text
    fixed = {}
    match = re.search(r"target@attack\.test.*?/admin/users/(\d+)/", page, re.S)
    if match:
        for action in ("disable", "enable", "link"):
            fixed[f"/:lang/admin/users/:id/{action}"] = f"{L}/admin/users/{match.group(1)}/{action}"
        for other in re.findall(r'action="([^"]*/admin/users/:?\d+/[^"]*)"', page):
            pattern = re.sub(r"/admin/users/\d+/", "/admin/users/:id/", re.sub(r"^/[a-z]{2}/", "/:lang/", other))
            fixed.setdefault(pattern, re.sub(r"/admin/users/\d+/", f"/admin/users/{match.group(1)}/", other))
    else:
        print("setup: the target user is not on the administrator's page")
    save_json("fixed-urls.json", fixed)
    return 0


if __name__ == "__main__":
    sys.exit(main())

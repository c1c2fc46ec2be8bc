"""Filling a crawled form with valid values (and, for the XSS part, a payload in chosen fields)."""
import datetime
import re

# Forms the suite never submits: they would end the sessions or accounts the suite itself uses, or
# start a browser on the server.
NEVER_SUBMIT = re.compile(r"(/logout$|/disable$|/two-factor|/second-factor|/2fa|/freeze$|/password|/setup/|/invitation/)")

TEXT_TYPES = {"text", "search", "textarea", "url", "email", "tel"}
NEUTRAL = {"languages": "polski, English", "amount": "100", "email": "attack@example.org", "year": None,
           "evidenceURL": "https://example.org/attack", "code": "KR-0000-0000"}


def today(offset=0):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


def date_for(name):
    lowered = name.lower()
    if any(word in lowered for word in ("close", "end", "gala", "meeting", "until")):
        return today(60)
    if any(word in lowered for word in ("open", "start", "occurred", "from")):
        return today(-5)
    return today(-5)


def fill(form, payload=None, payload_fields=None):
    """(data, files) for a form: hidden fields kept, choices take their first option, text takes
    the payload where asked (all text fields when payload_fields is None) or a neutral value."""
    data, files, seen_radio = [], {}, set()
    for field in form["fields"]:
        name, kind, value = field["name"], field["type"], field.get("value", "")
        if kind in ("submit", "button", "reset", "image"):
            continue
        if kind == "hidden":
            data.append((name, value))
        elif kind == "radio":
            if name not in seen_radio:
                seen_radio.add(name)
                data.append((name, value))
        elif kind == "checkbox":
            if name not in seen_radio:  # one box per group, enough for "at least one"
                seen_radio.add(name)
                data.append((name, value or "1"))
        elif kind == "select":
            options = [o for o in field.get("options", []) if o]
            data.append((name, value or (options[0] if options else "")))
        elif kind == "file":
            files[name] = ("attack.pdf", b"%PDF-1.4\n% attack suite\n", "application/pdf")
        elif kind == "date":
            data.append((name, value or date_for(name)))
        elif kind == "number":
            data.append((name, value or field.get("min") or "1"))
        elif kind in TEXT_TYPES:
            if payload is not None and (payload_fields is None or name in payload_fields):
                data.append((name, payload))
            elif name in NEUTRAL and NEUTRAL[name] is not None:
                data.append((name, NEUTRAL[name]))
            elif kind == "email":
                data.append((name, "attack@example.org"))
            elif kind == "url":
                data.append((name, "https://example.org/attack"))
            else:
                data.append((name, value or "Atak testowy"))
        else:
            data.append((name, value or "1"))
    return data, files


def text_fields(form):
    return [f["name"] for f in form["fields"] if f["type"] in TEXT_TYPES]

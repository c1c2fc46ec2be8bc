import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Issue 12, item 9: the case page makes no choice for the handler, closing is confirmed and
/// records how the case ended (spam, tests and duplicates leave every public figure), the queue
/// shows age and finds codes however typed, the reporter's confirmation is post/redirect/get,
/// and the coordinator keeps the help contacts.
@Suite struct IncidentHandlingTests {
    static func report(_ app: TestApp, district: Int = 5) async throws -> (IncidentID, String) {
        let credentials = try await app.services.incidents.submit(IncidentReport(
            narrative: "case", occurredOn: CalendarDate(year: 2026, month: 3, day: 2), district: District(number: district), place: "",
            category: .verbalAbuse, motivations: [.nationality], reporterRole: .victim, policeInformed: .no, contact: "",
            consentToContact: false, language: "pl"))
        let id = try #require(try await app.services.repositories.incidents.incident(caseCode: credentials.caseCode)).id
        return (id, credentials.caseCode)
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ user: SignedInUser, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: user.formHeaders(), body: formBody([("_csrf", user.csrfToken)] + fields))
    }

    @Test func theCasePageChoosesNoClassificationAndATriageWithoutOneIsRefusedNamingTheField() async throws {
        try await TestApp.withApp { app, client in
            let handler = try await app.signedIn(.incidentHandler)
            let (id, _) = try await Self.report(app)
            let page = try await client.execute(uri: "/en/incidents/\(id)", method: .get, headers: handler.cookie)
            #expect(page.status == .ok)
            #expect(page.text.firstMatch(of: /name="classification" value="[^"]+" checked/) == nil, "nothing preselected")
            #expect(!page.text.contains("<option value=\"crime\" selected"))
            // Each step its own section with a button naming it; a new case cannot be referred yet.
            for button in ["Save classification", "Add action", "Close case"] { #expect(page.text.contains(">\(button)</button>"), "\(button)") }
            #expect(!page.text.contains(">Record referral</button>"))
            #expect(page.text.contains("Where the case stands") && page.text.contains("not assessed yet"))

            let refused = try await Self.post(client, "/en/incidents/\(id)/triage", handler, [("category", "threat"), ("note", "")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("href=\"#classification\"") && refused.text.contains("Classification"))
            #expect(try await app.services.repositories.incidents.incident(id: id)?.classification == nil)

            let triaged = try await Self.post(client, "/en/incidents/\(id)/triage", handler,
                                              [("category", "threat"), ("classification", "hate-speech"), ("note", "")])
            #expect(triaged.status == .seeOther && triaged.headers[.location] == "/en/incidents/\(id)")
            let cookie = try #require(triaged.cookie(NoticeMiddleware.cookie))
            let after = try await client.execute(uri: "/en/incidents/\(id)", method: .get,
                                                 headers: [.cookie: "otwarty_session=\(handler.sessionToken); otwarty_notice=\(cookie)"])
            #expect(after.text.contains("role=\"status\"") && after.text.contains(">Record referral</button>"))
            #expect(after.text.contains("name=\"classification\" value=\"hate-speech\" checked"))
        }
    }

    @Test func closingNeedsConfirmationAndIsFinal() async throws {
        try await TestApp.withApp { app, client in
            let handler = try await app.signedIn(.incidentHandler)
            let (id, _) = try await Self.report(app)
            let uri = "/pl/incidents/\(id)/close"
            let noKind = try await Self.post(client, uri, handler, [("outcome", "x")])
            #expect(noKind.status == .unprocessableContent && noKind.text.contains("href=\"#outcomeKind\""))
            let noText = try await Self.post(client, uri, handler, [("outcomeKind", "resolved"), ("outcome", " ")])
            #expect(noText.status == .unprocessableContent && noText.text.contains("href=\"#outcome\""))

            let asked = try await Self.post(client, uri, handler, [("outcomeKind", "resolved"), ("outcome", "Pomoc udzielona")])
            #expect(asked.status == .ok && asked.text.contains("name=\"confirmed\" value=\"yes\""))
            #expect(asked.text.contains("name=\"outcome\" value=\"Pomoc udzielona\""))
            #expect(try await app.services.repositories.incidents.incident(id: id)?.status == .received, "not closed by the first post")

            let closed = try await Self.post(client, uri, handler, [("outcomeKind", "resolved"), ("outcome", "Pomoc udzielona"),
                                                                    ("confirmed", "yes")])
            #expect(closed.status == .seeOther)
            #expect(closed.cookie(NoticeMiddleware.cookie)?.hasPrefix("incident-closed") == true)
            let stored = try #require(try await app.services.repositories.incidents.incident(id: id))
            #expect(stored.status == .closed && stored.outcomeKind == .resolved)
            let page = try await client.execute(uri: "/pl/incidents/\(id)", method: .get, headers: handler.cookie)
            #expect(!page.text.contains("action=\"/pl/incidents/\(id)/close\"") && !page.text.contains("/triage\""))
            // A second tab's step on the closed case is refused, not applied.
            let again = try await Self.post(client, "/pl/incidents/\(id)/action", handler, [("text", "x"), ("date", "2026-09-21")])
            #expect(again.status == .conflict)
        }
    }

    @Test func spamTestAndDuplicatesLeaveEveryPublicFigure() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let handler = try await app.signedIn(.incidentHandler)
            // 12 confirmed cases in district 5 (shown), then 3 of them closed as spam, test and duplicate.
            var cases: [(IncidentID, String)] = []
            for _ in 0..<12 {
                let (id, code) = try await Self.report(app)
                try await app.services.incidents.triage(id: id, category: .verbalAbuse, classification: .crime, note: "", by: handler.user, key: handler.incidentKey)
                cases.append((id, code))
            }
            let before = try await PublicFiguresTests.figures(client, reader: coordinator)
            #expect(try PublicFiguresTests.district(5, in: before) == 12)

            // A duplicate must name another existing case.
            for bad in ["", "KR-0000-0000", cases[0].1] {
                let refused = try await Self.post(client, "/pl/incidents/\(cases[0].0)/close", handler,
                                                  [("outcomeKind", "duplicate"), ("duplicateOf", bad), ("confirmed", "yes")])
                #expect(refused.status == .unprocessableContent && refused.text.contains("href=\"#duplicateOf\""), "\(bad)")
            }
            for (index, kind) in ["spam", "test", "duplicate"].enumerated() {
                let (id, _) = cases[index]
                let closed = try await Self.post(client, "/pl/incidents/\(id)/close", handler,
                                                 [("outcomeKind", kind), ("duplicateOf", cases[11].1.lowercased().replacingOccurrences(of: "-", with: "")),
                                                  ("outcome", ""), ("confirmed", "yes")])
                #expect(closed.status == .seeOther, "\(kind): \(closed.text.prefix(300))")
            }
            #expect(try await app.services.repositories.incidents.incident(id: cases[2].0)?.duplicateOf == cases[11].1)
            let after = try await PublicFiguresTests.figures(client, reader: coordinator)
            #expect(try PublicFiguresTests.district(5, in: after) == nil, "9 left: hidden")
            #expect(after["conflict-risk.csv"] != before["conflict-risk.csv"] && after["page"] != before["page"])
            // A case closed as resolved still counts.
            let facts = try await app.services.repositories.incidents.facts(year: 2026)
            #expect(facts.filter(\.countsInPublicFigures).count == 9)
        }
    }

    @Test func theQueueShowsAgeAndFindsACodeHoweverItIsTyped() async throws {
        try await TestApp.withApp { app, client in
            let (_, older) = try await Self.report(app)
            app.clock.advance(by: 86_400 * 3)
            // Signed in after the clock moved, so the session has not idled out.
            let handler = try await app.signedIn(.incidentHandler)
            let (_, newer) = try await Self.report(app)
            let queue = try await client.execute(uri: "/en/incidents", method: .get, headers: handler.cookie)
            #expect(queue.text.contains("3 days") && queue.text.contains("today"))
            #expect(try #require(queue.text.range(of: older)).lowerBound < (try #require(queue.text.range(of: newer))).lowerBound,
                    "oldest first")
            #expect(queue.text.contains("class=\"data stack\"") && queue.text.contains("data-label=\"Waiting\""))
            let newest = try await client.execute(uri: "/en/incidents?sort=newest", method: .get, headers: handler.cookie)
            #expect(try #require(newest.text.range(of: newer)).lowerBound < (try #require(newest.text.range(of: older))).lowerBound)

            let body = String(older.dropFirst(3))
            for typed in [older, older.lowercased(), body, body.replacingOccurrences(of: "-", with: ""), " kr \(body.lowercased()) ",
                          String(body.prefix(4))] {
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-")
                let found = try await client.execute(uri: "/en/incidents?q=\(typed.addingPercentEncoding(withAllowedCharacters: allowed)!)",
                                                     method: .get, headers: handler.cookie)
                #expect(found.status == .ok && found.text.contains(older), "\(typed)")
                if typed.count > 5 { #expect(!found.text.contains(newer), "\(typed)") }
            }
            let closedOnly = try await client.execute(uri: "/en/incidents?status=closed&q=\(body)", method: .get, headers: handler.cookie)
            #expect(!closedOnly.text.contains(older) && closedOnly.text.contains("No case in this state has such a code."))
            let nonsense = try await client.execute(uri: "/en/incidents?q=%25%27%3B", method: .get, headers: handler.cookie)
            #expect(nonsense.status == .unprocessableContent && !nonsense.text.contains(older))
        }
    }

    @Test func theReporterIsRedirectedAndThePassphraseIsShownOnlyWithinItsWindow() async throws {
        let logs = LogCapture()
        try await TestApp.withApp(logs: logs) { app, client in
            let csrf = try await anonymousCSRF(client, page: "/uk/report-incident")
            let posted = try await client.execute(
                uri: "/uk/report-incident", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                body: IncidentTests.reportForm(csrf))
            #expect(posted.status == .seeOther && posted.headers[.location] == "/uk/report-incident/received")
            #expect(!posted.text.contains("KR-"), "nothing in the redirect's body")
            let set = try #require(posted.setCookies.first { $0.hasPrefix("otwarty_receipt=") })
            #expect(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Max-Age=600"))
            let receipt = try #require(posted.cookie("otwarty_receipt"))

            let shown = try await client.execute(uri: "/uk/report-incident/received", method: .get, headers: [.cookie: "otwarty_receipt=\(receipt)"])
            let code = String(try #require(shown.text.firstMatch(of: /KR-[0-9A-Z]{4}-[0-9A-Z]{4}/)).output)
            let pass = String(try #require(shown.text.firstMatch(of: /[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/)).output)
            #expect(!receipt.contains(code) && !receipt.contains(pass), "the cookie is sealed")
            #expect(shown.text.contains("Що далі") && shown.text.contains("112"), "what happens next and 112 in Ukrainian")
            #expect(shown.text.contains("http://otwarty.test/uk/report-incident/status"), "the printout names the status page in full")
            let stored = try #require(try await app.services.repositories.incidents.incident(caseCode: code))
            #expect(CaseCredentials.matches(passphrase: pass, caseCode: code, digest: stored.passphraseDigest))

            // The file to keep: POST only, with the code, passphrase and status page's address.
            let file = try await client.execute(uri: "/uk/report-incident/received/receipt.txt", method: .post,
                                                headers: [.contentType: "application/x-www-form-urlencoded",
                                                          .cookie: "otwarty_csrf=\(csrf); otwarty_receipt=\(receipt)"],
                                                body: formBody([("_csrf", csrf)]))
            #expect(file.status == .ok && file.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(file.text.contains(code) && file.text.contains(pass) && file.text.contains("/uk/report-incident/status"))
            #expect(file.headers[.cacheControl] == "no-store")
            let noCSRF = try await client.execute(uri: "/uk/report-incident/received/receipt.txt", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_receipt=\(receipt)"],
                                                  body: formBody([]))
            #expect(noCSRF.status == .forbidden)

            // A reload within the window shows it again; after the window it is gone and the cookie cleared.
            app.clock.advance(by: 9 * 60)
            let reload = try await client.execute(uri: "/uk/report-incident/received", method: .get, headers: [.cookie: "otwarty_receipt=\(receipt)"])
            #expect(reload.text.contains(pass))
            app.clock.advance(by: 2 * 60)
            let late = try await client.execute(uri: "/uk/report-incident/received", method: .get, headers: [.cookie: "otwarty_receipt=\(receipt)"])
            #expect(late.status == .ok && !late.text.contains(pass) && !late.text.contains(code))
            #expect(late.setCookies.contains { $0.hasPrefix("otwarty_receipt=;") && $0.contains("Max-Age=0") })
            let lateFile = try await client.execute(uri: "/uk/report-incident/received/receipt.txt", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded",
                                                              .cookie: "otwarty_csrf=\(csrf); otwarty_receipt=\(receipt)"],
                                                    body: formBody([("_csrf", csrf)]))
            #expect(lateFile.status == .seeOther)
            // A forged or altered cookie shows nothing.
            let forged = try await client.execute(uri: "/uk/report-incident/received", method: .get,
                                                  headers: [.cookie: "otwarty_receipt=\(String(receipt.dropLast(2)))AA"])
            #expect(forged.status == .ok && !forged.text.contains("KR-"))
            #expect(!logs.text.contains(pass), "the passphrase is never logged")
        }
    }

    @Test func onlyTheCoordinatorKeepsTheHelpContactsAndEveryChangeIsAudited() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            for role in [Role.incidentHandler, .administrator, .partner, .viewer] {
                let user = try await app.signedIn(role)
                #expect(try await client.execute(uri: "/pl/manage/help-contacts", method: .get, headers: user.cookie).status == .forbidden)
                let post = try await Self.post(client, "/pl/manage/help-contacts", user, [("name-pl", "X"), ("phone", "112"), ("position", "1")])
                #expect(post.status == .forbidden, "\(role)")
            }
            // The seeded list: 112 shown; the examples listed for the coordinator but never to the public.
            let list = try await client.execute(uri: "/en/manage/help-contacts", method: .get, headers: coordinator.cookie)
            #expect(list.status == .ok && list.text.contains("EXAMPLE") && list.text.contains("examples added at installation"))
            let form = try await client.execute(uri: "/en/report-incident", method: .get)
            #expect(form.text.contains("href=\"tel:112\"") && !form.text.contains("EXAMPLE"))

            // Without the CSRF token nothing is stored.
            let forged = try await client.execute(uri: "/pl/manage/help-contacts", method: .post, headers: coordinator.formHeaders(),
                                                  body: formBody([("name-pl", "Fałszywy"), ("phone", "999"), ("position", "1")]))
            #expect(forged.status == .forbidden)
            let invalid = try await Self.post(client, "/en/manage/help-contacts", coordinator, [("name-pl", ""), ("phone", "12a"), ("position", "x")])
            #expect(invalid.status == .unprocessableContent && invalid.text.contains("href=\"#name-pl\"") && invalid.text.contains("href=\"#phone\""))

            let added = try await Self.post(client, "/pl/manage/help-contacts", coordinator,
                                            [("name-pl", "Poradnia prawna <b>X</b>"), ("name-uk", "Юридична консультація"), ("phone", "+48 12 345 67 89"),
                                             ("hours-pl", "pn–pt 9–17"), ("languagesSpoken", "polski, українська"), ("position", "40")])
            #expect(added.status == .seeOther)
            let contact = try #require(try await app.services.repositories.helpContacts.all().first { $0.phone == "+48 12 345 67 89" })
            let uk = try await client.execute(uri: "/uk/report-incident", method: .get)
            #expect(uk.text.contains("Юридична консультація") && uk.text.contains("href=\"tel:+48123456789\""))
            let pl = try await client.execute(uri: "/pl/report-incident", method: .get)
            #expect(pl.text.contains("Poradnia prawna &lt;b&gt;X&lt;/b&gt;"))

            let edited = try await Self.post(client, "/pl/manage/help-contacts/\(contact.id)", coordinator,
                                             [("name-pl", "Poradnia"), ("phone", "+48 12 345 67 89"), ("position", "40"), ("isExample", "1")])
            #expect(edited.status == .seeOther)
            #expect(!(try await client.execute(uri: "/pl/report-incident", method: .get)).text.contains("tel:+48123456789"), "an example is not public")

            let askDelete = try await Self.post(client, "/pl/manage/help-contacts/\(contact.id)/delete", coordinator, [])
            #expect(askDelete.status == .ok && askDelete.text.contains("name=\"confirmed\" value=\"yes\""))
            #expect(try await app.services.repositories.helpContacts.contact(id: contact.id) != nil)
            let deleted = try await Self.post(client, "/pl/manage/help-contacts/\(contact.id)/delete", coordinator, [("confirmed", "yes")])
            #expect(deleted.status == .seeOther)
            #expect(try await app.services.repositories.helpContacts.contact(id: contact.id) == nil)

            let actions = try await app.services.repositories.audit.entries(subject: "help-contact:\(contact.id)", limit: 50).map(\.action)
            #expect(actions.filter { $0 == "help-contact.saved" }.count == 2 && actions.contains("help-contact.deleted"))
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Issue 14, the case page's side of per-case keys: a handler whose key does not open a case sees
/// its metadata and a notice naming who can grant access (never the texts, and nothing is audited
/// as viewed); a reader grants and revokes from the access section, which lists every grant with
/// who made it; the last reader keeps access; the reporter's status page and API say when an
/// update's text is not readable yet.
@Suite struct IncidentAccessPageTests {
    /// How the access section names a person: two handlers may share a name, so with the address.
    static func named(_ signedIn: SignedInUser) -> String { "\(signedIn.user.displayName) (\(signedIn.user.email))" }

    static let narrative = "SENTINEL-narrative-5b1e Tramwaj 52, napis na przystanku"
    static let place = "SENTINEL-place-0c7d"

    /// A handler with their own name (the page lists handlers by name), signed in as at sign-in:
    /// the password unlocks their key and the session keeps it.
    static func handler(_ app: TestApp, _ name: String, role: Role = .incidentHandler, withKey: Bool = true) async throws -> SignedInUser {
        let user = try await app.services.accounts.createUser(
            email: "\(name.lowercased().replacingOccurrences(of: " ", with: "."))-\(UUID().uuidString.prefix(6))@example.org",
            displayName: name, role: role, organisationID: nil, password: TestApp.goodPassword)
        let key = try await app.services.incidentKeys.unlock(user: user, password: TestApp.goodPassword)
        let token = try await app.services.accounts.startSession(for: user, incidentKey: withKey ? key : nil)
        let session = try #require(try await app.services.repositories.sessions.session(tokenHash: SecretToken.digest(token)))
        return SignedInUser(user: user, sessionToken: token, csrfToken: session.csrfToken, incidentKey: withKey ? key : nil)
    }

    static func report(_ app: TestApp) async throws -> (id: IncidentID, credentials: CaseCredentials) {
        let credentials = try await app.services.incidents.submit(IncidentReport(
            narrative: narrative, occurredOn: CalendarDate(year: 2026, month: 3, day: 2), district: District(number: 5), place: place,
            category: .verbalAbuse, motivations: [.nationality], reporterRole: .victim, policeInformed: .no, contact: "",
            consentToContact: false, language: "pl"))
        let id = try #require(try await app.services.repositories.incidents.incident(caseCode: credentials.caseCode)).id
        return (id, credentials)
    }

    static func page(_ client: some TestClientProtocol, _ id: IncidentID, _ user: SignedInUser, language: String = "en") async throws -> TestResponse {
        try await client.execute(uri: "/\(language)/incidents/\(id)", method: .get, headers: user.cookie)
    }

    static func viewed(_ app: TestApp, _ code: String, by user: SignedInUser) async throws -> Int {
        try await app.services.repositories.audit.entries(subject: "incident:\(code)", limit: 100)
            .filter { $0.action == "incident.viewed" && $0.actorUserID == user.user.id }.count
    }

    @Test func aHandlerWithoutAccessSeesTheMetadataAndWhoToAskNeverTheTextAndIsNotAuditedAsReading() async throws {
        try await TestApp.withApp { app, client in
            // The first handler exists before the report (a first key made after it would receive
            // the reports nobody could read yet).
            let anna = try await Self.handler(app, "Anna Reader")
            let (id, credentials) = try await Self.report(app)
            let boris = try await Self.handler(app, "Boris Newcomer")

            let locked = try await Self.page(client, id, boris)
            #expect(locked.status == .ok)
            #expect(locked.text.contains("id=\"case-locked\"") && locked.text.contains("You cannot read this case yet"))
            #expect(!locked.text.contains("SENTINEL"), "no text of the case is on the page")
            // Who to ask: the handlers who can read it.
            let notice = try #require(locked.text.firstRange(of: "id=\"case-locked\"").map { String(locked.text[$0.lowerBound...].prefix(2000)) })
            #expect(notice.contains("<li>\(Self.named(anna))</li>"))
            // Metadata stays: the state, the category, the district.
            #expect(locked.text.contains("Where the case stands") && locked.text.contains(credentials.caseCode))
            // No step is offered: each needs the case's key.
            for step in ["triage", "refer", "action", "close"] { #expect(!locked.text.contains("/incidents/\(id)/\(step)\""), "\(step)") }
            // The access section lists the grant, but offers a locked handler no form.
            #expect(locked.text.contains("<section id=\"access\""))
            #expect(!locked.text.contains("/access/grant\"") && !locked.text.contains("/access/revoke\""))
            #expect(try await Self.viewed(app, credentials.caseCode, by: boris) == 0, "a locked page is not a reading")
            #expect(!locked.text.contains("Your view of this case has been recorded."), "and does not claim to be one")

            let read = try await Self.page(client, id, anna)
            #expect(read.text.contains(Self.narrative) && read.text.contains(Self.place) && !read.text.contains("id=\"case-locked\""))
            #expect(try await Self.viewed(app, credentials.caseCode, by: anna) == 1)
            #expect(read.text.contains("Your view of this case has been recorded."))

            // A disabled account cannot sign in to grant: it is not named, and the page says who can help.
            try await app.services.accounts.setDisabled(true, userID: anna.user.id, by: nil)
            let nobody = try await Self.page(client, id, boris)
            #expect(!nobody.text.contains("<li>\(Self.named(anna))</li>") && nobody.text.contains("No handler can read this case now"))
        }
    }

    @Test func aReaderGrantsAndRevokesFromTheCasePageAndTheTableSaysWhoDidIt() async throws {
        try await TestApp.withApp { app, client in
            let anna = try await Self.handler(app, "Anna Reader")
            let (id, credentials) = try await Self.report(app)
            let boris = try await Self.handler(app, "Boris Newcomer")

            let before = try await Self.page(client, id, anna)
            #expect(before.text.contains("action=\"/en/incidents/\(id)/access/grant\""))
            #expect(before.text.contains("<option value=\"\(boris.user.id)\">\(Self.named(boris))</option>"))
            #expect(before.text.contains("<option value=\"\" selected>"), "nobody is chosen for the reader")
            // Anna is the only handler who can read it: no revoke button is offered for her.
            #expect(!before.text.contains("/access/revoke\""))

            let granted = try await IncidentHandlingTests.post(client, "/en/incidents/\(id)/access/grant", anna, [("user", "\(boris.user.id)")])
            #expect(granted.status == .seeOther && granted.headers[.location] == "/en/incidents/\(id)")
            let cookie = try #require(granted.cookie(NoticeMiddleware.cookie))
            #expect(cookie == "incident-access-granted.\(id)")
            let banner = try await client.execute(uri: "/en/incidents/\(id)", method: .get,
                                                  headers: [.cookie: "otwarty_session=\(anna.sessionToken); otwarty_notice=\(cookie)"])
            #expect(banner.text.contains("role=\"status\"") && banner.text.contains("Access granted"))

            let opened = try await Self.page(client, id, boris)
            #expect(opened.text.contains(Self.narrative) && !opened.text.contains("id=\"case-locked\""))
            #expect(opened.text.contains("/incidents/\(id)/triage\""), "the steps are offered once the case opens")
            // The table names the grant and the granter; the system's own grants say "system".
            let table = try #require(opened.text.firstRange(of: "<section id=\"access\"").map { String(opened.text[$0.lowerBound...]) })
            #expect(table.contains("<th scope=\"row\" data-label=\"Person or key\">\(Self.named(boris))</th>"))
            #expect(table.contains("<td data-label=\"Granted (by, when)\">\(Self.named(anna)), "))
            #expect(table.contains("<td data-label=\"Granted (by, when)\">system, "))
            #expect(table.contains("class=\"data stack\""))
            let trail = try await app.services.repositories.audit.entries(subject: "incident:\(credentials.caseCode)", limit: 100)
            #expect(trail.contains { $0.action == "incident.access-granted" && $0.actorUserID == anna.user.id && $0.detail == "user:\(boris.user.id)" })

            // Two readers now: each can be revoked. Anna takes Boris's access back.
            #expect(opened.text.contains("name=\"user\" value=\"\(anna.user.id)\""))
            let revoked = try await IncidentHandlingTests.post(client, "/en/incidents/\(id)/access/revoke", anna, [("user", "\(boris.user.id)")])
            #expect(revoked.status == .seeOther && revoked.cookie(NoticeMiddleware.cookie) == "incident-access-revoked.\(id)")
            let lockedAgain = try await Self.page(client, id, boris)
            #expect(lockedAgain.text.contains("id=\"case-locked\"") && !lockedAgain.text.contains("SENTINEL"))
            #expect(lockedAgain.text.contains("\(Self.named(anna)), ") && lockedAgain.text.contains("revoked by a handler"))
            // Revoked, Boris is offered again in the grant list.
            let annaAfter = try await Self.page(client, id, anna)
            #expect(annaAfter.text.contains("<option value=\"\(boris.user.id)\">\(Self.named(boris))</option>"))
        }
    }

    @Test func theLastReaderCannotBeRevokedAndTheRefusalIsAPageNotAnError() async throws {
        try await TestApp.withApp { app, client in
            let anna = try await Self.handler(app, "Anna Reader")
            let (id, _) = try await Self.report(app)
            let refused = try await IncidentHandlingTests.post(client, "/pl/incidents/\(id)/access/revoke", anna, [("user", "\(anna.user.id)")])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("id=\"error-summary\"") && refused.text.contains("href=\"#access-title\""))
            #expect(refused.text.contains("Odebranie dostępu: nie można odebrać dostępu ostatniej osobie"))
            #expect(refused.text.contains(Self.narrative), "Anna still reads the case")
            // Revoking someone who holds no access names the section too (422).
            let boris = try await Self.handler(app, "Boris Newcomer")
            let nobody = try await IncidentHandlingTests.post(client, "/pl/incidents/\(id)/access/revoke", anna, [("user", "\(boris.user.id)")])
            #expect(nobody.status == .unprocessableContent && nobody.text.contains("href=\"#access-title\""))
            let garbage = try await IncidentHandlingTests.post(client, "/pl/incidents/\(id)/access/revoke", anna, [("user", "-3")])
            #expect(garbage.status == .unprocessableContent)
        }
    }

    @Test func badChoicesAreRefusedNamingTheFieldAndOnlyReadersAndHandlersMayAct() async throws {
        try await TestApp.withApp { app, client in
            let anna = try await Self.handler(app, "Anna Reader")
            let (id, _) = try await Self.report(app)
            let boris = try await Self.handler(app, "Boris Newcomer")
            let admin = try await app.signedIn(.administrator)
            // A handler invited who has never set a password: no key to seal to yet.
            let (keyless, _) = try await app.services.accounts.invite(email: "dawid-\(UUID().uuidString.prefix(6))@example.org",
                                                                     displayName: "Dawid Keyless", role: .incidentHandler,
                                                                     organisationID: nil, by: nil)
            let page = try await Self.page(client, id, anna)
            #expect(page.text.contains("Cannot be granted access yet") && page.text.contains("<li>Dawid Keyless (\(keyless.email))</li>"))
            #expect(!page.text.contains(">Dawid Keyless (\(keyless.email))</option>"))

            let uri = "/en/incidents/\(id)/access/grant"
            for bad in ["", "abc", "0", "-1", "99999999999999999999", "\(admin.user.id)", "\(keyless.id)", "424242"] {
                let refused = try await IncidentHandlingTests.post(client, uri, anna, [("user", bad)])
                #expect(refused.status == .unprocessableContent, "\(bad)")
                #expect(refused.text.contains("href=\"#access-user\"") && refused.text.contains("Grant access to: "), "\(bad)")
                #expect(refused.text.contains("aria-invalid=\"true\""), "\(bad)")
            }
            let noKey = try await IncidentHandlingTests.post(client, uri, anna, [("user", "\(keyless.id)")])
            #expect(noKey.text.contains("has no key yet"))

            // A handler who cannot read the case cannot grant it, not even to themselves.
            let locked = try await IncidentHandlingTests.post(client, uri, boris, [("user", "\(boris.user.id)")])
            #expect(locked.status == .forbidden)
            let lockedRevoke = try await IncidentHandlingTests.post(client, "/en/incidents/\(id)/access/revoke", boris,
                                                                    [("user", "\(anna.user.id)")])
            #expect(lockedRevoke.status == .forbidden)
            #expect(try await app.services.incidentKeys.accessList(incidentID: id).grants.filter(\.isLive).map(\.recipient)
                    == [.user(anna.user.id)], "nothing granted or revoked by the refused posts")
            // Roles outside case work get 403 from the route; an unknown case is 404.
            for path in ["grant", "revoke"] {
                let other = try await IncidentHandlingTests.post(client, "/en/incidents/\(id)/access/\(path)", admin, [("user", "\(boris.user.id)")])
                #expect(other.status == .forbidden, "\(path)")
                let unknown = try await IncidentHandlingTests.post(client, "/en/incidents/999999/access/\(path)", anna, [("user", "\(boris.user.id)")])
                #expect(unknown.status == .notFound, "\(path)")
            }
        }
    }

    @Test func aSessionWithoutTheKeySaysSignInAgain() async throws {
        try await TestApp.withApp { app, client in
            let anna = try await Self.handler(app, "Anna Reader")
            let (id, _) = try await Self.report(app)
            let keyless = try await app.services.accounts.startSession(for: anna.user, incidentKey: nil)
            let page = try await client.execute(uri: "/en/incidents/\(id)", method: .get, headers: [.cookie: "otwarty_session=\(keyless)"])
            #expect(page.status == .ok && page.text.contains("id=\"case-locked\"") && page.text.contains("Sign in again to unlock your key"))
            #expect(page.text.contains("action=\"/en/logout\"") && !page.text.contains("SENTINEL"))
            #expect(!page.text.contains("/incidents/\(id)/triage\"") && !page.text.contains("/access/grant\""))
        }
    }

    @Test func anUpdateWhoseCopyForTheReporterIsNotMadeYetIsListedWithANoteOnThePageAndInTheAPI() async throws {
        try await TestApp.withApp { app, client in
            _ = try await Self.handler(app, "Anna Reader")
            let (id, credentials) = try await Self.report(app)
            // As on a case from before reporter keys: a public update with a text, and no copy sealed
            // to the reporter's key yet (the next handler visit makes it). A second one has no text.
            try await app.services.repositories.incidents.addEvent(StoredIncidentEvent(
                incidentID: id, kind: .action, on: try #require(CalendarDate(year: 2026, month: 3, day: 4)), sealedText: "v1:not-opened-here",
                isPublic: true, sealedForReporter: nil))
            try await app.services.repositories.incidents.addEvent(StoredIncidentEvent(
                incidentID: id, kind: .referral, on: try #require(CalendarDate(year: 2026, month: 3, day: 5)), sealedText: nil, referral: .police,
                isPublic: true, sealedForReporter: nil))

            let csrf = try await anonymousCSRF(client, page: "/pl/report-incident/status")
            let status = try await client.execute(
                uri: "/pl/report-incident/status", method: .post,
                headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("_csrf", csrf), ("caseCode", credentials.caseCode), ("passphrase", credentials.passphrase)]))
            #expect(status.status == .ok)
            let pending = "Treść tej aktualizacji pojawi się tutaj, gdy osoba obsługująca zgłoszenie następnym razem otworzy sprawę."
            #expect(status.text.components(separatedBy: pending).count == 2, "one note: the referral without text gets none")
            #expect(status.text.contains("4 marca 2026") && status.text.contains("5 marca 2026"))

            let api = try await client.execute(uri: "/api/v1/incidents/status", method: .post, headers: [.contentType: "application/json"],
                                               body: try jsonBody(["caseCode": credentials.caseCode, "passphrase": credentials.passphrase]))
            #expect(api.status == .ok)
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(api.text.utf8)) as? [String: Any])
            let updates = try #require(answer["updates"] as? [[String: Any]])
            #expect(updates.count == 2)
            #expect(updates[0]["textPending"] as? Bool == true && updates[0]["text"] is NSNull)
            #expect(updates[1]["textPending"] as? Bool == false && updates[1]["text"] is NSNull)
        }
    }
}

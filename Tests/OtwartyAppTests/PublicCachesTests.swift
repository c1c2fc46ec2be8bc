import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import OtwartyTestSupport
import Testing

/// The incident form and the indicator API are served from caches (issue 15, point 4): what is
/// shared is rendered once per data version, what is per visitor (the CSRF token and its cookie)
/// stays per request, and a write shows in the very next answer.
@Suite struct PublicCachesTests {
    /// The token in the form's hidden `_csrf` field.
    static func formToken(_ html: String) -> String? {
        html.firstMatch(of: /name="_csrf" value="([0-9a-f]*)"/).map { String($0.output.1) }
    }

    @Test func everyAnonymousVisitorGetsTheirOwnTokenInTheSharedForm() async throws {
        try await TestApp.withApp { app, client in
            let first = try await client.execute(uri: "/pl/report-incident", method: .get)
            let second = try await client.execute(uri: "/pl/report-incident", method: .get)
            #expect(first.status == .ok && second.status == .ok)
            let one = try #require(first.cookie("otwarty_csrf")), two = try #require(second.cookie("otwarty_csrf"))
            #expect(one != two)
            // Each page carries its own visitor's token, never the other's, never the placeholder.
            #expect(Self.formToken(first.text) == one && Self.formToken(second.text) == two)
            #expect(!first.text.contains(two) && !second.text.contains(one))
            #expect(!first.text.contains("csrf-placeholder"))
            // Otherwise the same bytes: one rendering, shared.
            #expect(second.text == first.text.replacingOccurrences(of: one, with: two))
            #expect(first.headers[.cacheControl] == "no-store")
            // Kept per language and per day: another language is its own page, and the date field's
            // latest day moves with the office's date.
            let ukrainian = try await client.execute(uri: "/uk/report-incident", method: .get)
            #expect(ukrainian.text.contains("<html lang=\"uk\">") && first.text.contains("<html lang=\"pl\">"))
            let today = app.services.clock.today
            #expect(first.text.contains("max=\"\(today)\""))
            app.clock.advance(by: 86_400)
            let tomorrow = try await client.execute(uri: "/pl/report-incident", method: .get)
            #expect(tomorrow.text.contains("max=\"\(app.services.clock.today)\"") && app.services.clock.today != today)
            // A returning visitor gets the token of the cookie they brought, and no new cookie.
            let back = try await client.execute(uri: "/pl/report-incident", method: .get, headers: [.cookie: "otwarty_csrf=\(one)"])
            #expect(Self.formToken(back.text) == one && back.cookie("otwarty_csrf") == nil)
            // The token from the shared page is accepted with its cookie; another visitor's is refused.
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(two)"]
            let refused = try await client.execute(uri: "/pl/report-incident", method: .post, headers: headers,
                                                   body: IncidentTests.reportForm(one))
            #expect(refused.status == .forbidden)
            let sent = try await client.execute(uri: "/pl/report-incident", method: .post, headers: headers,
                                                body: IncidentTests.reportForm(two))
            #expect(sent.status == .seeOther)
            // Signed in, the form carries the session's token (rendered for the user, not shared).
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let signed = try await client.execute(uri: "/pl/report-incident", method: .get, headers: coordinator.cookie)
            #expect(Self.formToken(signed.text) == coordinator.csrfToken && signed.text.contains("Test programme-coordinator"))
            // Sent back with errors, the form shows what was typed (rendered in full).
            let invalid = try await client.execute(uri: "/pl/report-incident", method: .post, headers: headers,
                                                   body: IncidentTests.reportForm(two, narrative: ""))
            #expect(invalid.status == .unprocessableContent && Self.formToken(invalid.text) == two)
            #expect(invalid.text.contains(IncidentTests.sentinelPlace))
        }
    }

    @Test func aHelpContactChangeShowsInTheFormAtOnce() async throws {
        try await TestApp.withApp { app, client in
            let name = "Poradnia Testowa 5c1e", phone = "+48 12 345 67 89"
            let before = try await client.execute(uri: "/pl/report-incident", method: .get)
            #expect(before.status == .ok && !before.text.contains(name))
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let service = HelpContactService(contacts: app.services.repositories.helpContacts, audit: app.services.repositories.audit,
                                             clock: app.services.clock)
            var contact = try await service.save(HelpContact(position: 1, names: ["pl": name], phone: phone, hours: ["pl": "pn–pt"],
                                                             languagesSpoken: "polski"), by: coordinator.user)
            let after = try await client.execute(uri: "/pl/report-incident", method: .get)
            #expect(after.text.contains(name) && after.text.contains(phone))
            contact.phone = "+48 12 999 99 99"
            _ = try await service.save(contact, by: coordinator.user)
            let changed = try await client.execute(uri: "/pl/report-incident", method: .get)
            #expect(changed.text.contains("+48 12 999 99 99") && !changed.text.contains(phone))
            try await service.delete(id: contact.id, by: coordinator.user)
            #expect(!(try await client.execute(uri: "/pl/report-incident", method: .get).text.contains(name)))
        }
    }

    @Test func theIndicatorAPIShowsAWriteInTheNextAnswer() async throws {
        try await TestApp.withApp { app, client in
            _ = try await PublicSideTests.seed(app)
            let uri = "/api/v1/indicators?year=2025"
            let first = try await client.execute(uri: uri, method: .get)
            #expect(first.status == .ok)
            #expect(try await client.execute(uri: uri, method: .get).text == first.text)
            // The programme named or not: the same answer.
            let named = try await client.execute(uri: uri + "&programme=\(PublicSideTests.slug)", method: .get)
            #expect(named.text == first.text)
            // An approval: the next answer has it.
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let record = try #require(try await app.services.repositories.activities.list(
                ActivityFilter(programmeSlug: PublicSideTests.slug, statuses: [.submitted]), limit: 1, offset: 0).first)
            _ = try await app.services.activities.approve(id: record.id, as: coordinator.user)
            let approved = try await client.execute(uri: uri, method: .get)
            let changed = approved.text != first.text
            #expect(approved.status == .ok && changed, "the approval left the cached answer")
            #expect(try await client.execute(uri: uri + "&programme=\(PublicSideTests.slug)", method: .get).text == approved.text)
            // A register entry (measure 3.4.a counts dialogue bodies): the next answer has it too.
            _ = try await app.services.repositories.registers.saveDialogueBody(DialogueBody(name: "Rada", memberKinds: [.minorities]))
            let registered = try await client.execute(uri: uri, method: .get)
            let moved = registered.text != approved.text
            #expect(moved, "adding a dialogue body left the cached answer")
            // Unknown programmes and years outside the period answer as before (not kept, see the handler).
            #expect(try await client.execute(uri: uri + "&programme=no-such-programme", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/indicators?year=1899", method: .get).status == .unprocessableContent)
            let outside = try await client.execute(uri: "/api/v1/indicators?year=1950", method: .get)
            #expect(try await client.execute(uri: "/api/v1/indicators?year=1950", method: .get).text == outside.text)
        }
    }
}

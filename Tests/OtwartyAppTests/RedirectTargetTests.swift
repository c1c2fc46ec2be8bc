import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Issue 10, item 2: `next` after sign-in is an open redirect unless it follows a strict grammar.
@Suite struct RedirectTargetTests {
    /// Known ways to smuggle another host past a same-site check: each must fall back to the home page.
    static let bypasses: [String] = [
        "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\r/evil.example", "\t//evil.example",
        "/\u{0}/evil.example", "/\u{7f}/evil.example", "/ /evil.example",
        "//evil.example", "///evil.example", "//evil.example/pl/", "/pl//evil.example",
        "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "\\/evil.example",
        "/%09/evil.example", "/%0a/evil.example", "/%0D%0A/evil.example", "/%00/evil.example",
        "/%2F%2Fevil.example", "%2F%2Fevil.example", "/%2f/evil.example", "/%5Cevil.example", "/%5c%5cevil.example",
        "/%2e%2e/evil.example", "/%2E%2E%2Fevil.example", "/../evil.example", "/pl/../../evil.example", "/./evil.example",
        "/%252F%252Fevil.example", "/%", "/%2", "/%zz/evil",
        "／／evil.example", "/／evil.example", "/\u{2215}evil.example", "/%EF%BC%8F%EF%BC%8Fevil.example",
        "/\u{3002}evil.example", "/pl/é",
        "https://evil.example", "http:evil.example", "HTTPS://evil.example/pl/", "//evil.example@otwarty.test",
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,hi",
        "evil.example", "pl/", "?next=//evil.example", "#//evil.example", "/@evil.example", "/:evil.example",
        "/" + String(repeating: "a", count: RedirectTarget.maximumLength), "",
    ]

    @Test(arguments: bypasses)
    func theGrammarRefusesKnownBypasses(next: String) {
        #expect(RedirectTarget.sameSite(next) == nil)
        #expect(RedirectTarget.sameSite(next, or: "/pl/") == "/pl/")
    }

    @Test func ordinaryPagesAreAccepted() {
        for next in ["/", "/pl/", "/en/programmes/otwarty-krakow-2024-2028", "/pl/activities?year=2025&status=submitted",
                     "/uk/incidents/cases/12", "/pl/search?q=a%20b", "/pl/a-b_c.d~e",
                     "/pl/account/handler-changes?next=%2Fpl%2Factivities"] {
            #expect(RedirectTarget.sameSite(next) == next, "\(next)")
        }
    }

    @Test func signInNeverSendsAnyoneOffSite() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await app.signedIn(.viewer, email: "v@krakow.test")
            let csrf = try await anonymousCSRF(client)
            for next in Self.bypasses {
                let response = try await client.execute(
                    uri: "/pl/login", method: .post,
                    headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                    body: formBody([("_csrf", csrf), ("email", "v@krakow.test"), ("password", TestApp.goodPassword),
                                    ("next", next)]))
                #expect(response.status == .seeOther, "\(next.debugDescription)")
                #expect(response.headers[.location] == "/pl/", "\(next.debugDescription)")
                // The form does not carry it on either.
                var query = CharacterSet.alphanumerics
                query.insert(charactersIn: "-._~")
                let form = try await client.execute(
                    uri: "/pl/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: query) ?? ""), method: .get)
                #expect(form.status == .ok)
                #expect(form.text.contains("name=\"next\" value=\"\""), "\(next.debugDescription)")
            }
            // A page on the site is where sign-in leads.
            let response = try await client.execute(
                uri: "/pl/login", method: .post,
                headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("_csrf", csrf), ("email", "v@krakow.test"), ("password", TestApp.goodPassword),
                                ("next", "/en/activities?year=2025")]))
            #expect(response.headers[.location] == "/en/activities?year=2025")
        }
    }

    @Test func theAnonymousRedirectToSignInCarriesOnlyASafePath() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let response = try await client.execute(uri: "/pl/admin/users", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/pl/login?next=%2Fpl%2Fadmin%2Fusers")
        }
    }
}

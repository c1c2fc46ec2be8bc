import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Issue 14 F: a signed-in user changes their own password (`/{lang}/account/password`). The
/// current password is checked under the sign-in throttle; every session ends and this browser gets
/// a new one; a handler's key pair stays the same, re-wrapped under the new password, so the cases
/// granted before still open.
@Suite struct PasswordChangeTests {
    static let newPassword = "jesienne liście nad Rudawą"

    static func change(_ client: some TestClientProtocol, _ user: SignedInUser, current: String,
                       new: String = newPassword, repeat confirmation: String? = nil) async throws -> TestResponse {
        try await client.execute(uri: "/en/account/password", method: .post, headers: user.formHeaders(),
                                 body: formBody([("_csrf", user.csrfToken), ("currentPassword", current), ("password", new),
                                                 ("passwordConfirmation", confirmation ?? new)]))
    }

    static func storedHash(_ app: TestApp, _ user: SignedInUser) async throws -> String? {
        try await app.services.repositories.users.user(id: user.user.id)?.passwordHash
    }

    @Test func thePageHasTheThreeFieldsWithTheirAutocompleteAndEverySignedInMenuLinksIt() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let viewer = try await app.signedIn(.viewer)
            let page = try await client.execute(uri: "/en/account/password", method: .get, headers: viewer.cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Change your password</h1>"))
            #expect(page.text.contains(#"name="currentPassword" type="password" autocomplete="current-password""#))
            #expect(page.text.contains(#"name="password" type="password" autocomplete="new-password""#))
            #expect(page.text.contains(#"name="passwordConfirmation" type="password" autocomplete="new-password""#))
            #expect(page.text.contains(#"name="_csrf" value="\#(viewer.csrfToken)""#))
            #expect(page.text.contains(#"href="/en/account/password" aria-current="page""#))
            // Only those who hold an incident key are told what happens to it.
            #expect(!page.text.contains("key to incident cases"))
            let dashboard = try await client.execute(uri: "/pl/dashboard", method: .get, headers: viewer.cookie)
            #expect(dashboard.text.contains(#"<a href="/pl/account/password">Hasło</a>"#))
            let handler = try await app.signedIn(.incidentHandler)
            let handlerPage = try await client.execute(uri: "/en/account/password", method: .get, headers: handler.cookie)
            #expect(handlerPage.text.contains("key to incident cases"))
            // Without a session: the sign-in form first.
            let anonymous = try await client.execute(uri: "/en/account/password", method: .get)
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test func aWrongCurrentPasswordIsRefusedChangesNothingAndCountsAsAFailedSignIn() async throws {
        try await TestApp.withApp { app, client in
            let viewer = try await app.signedIn(.viewer, email: "viewer@krakow.test")
            let before = try await Self.storedHash(app, viewer)
            let refused = try await Self.change(client, viewer, current: "not my password at all")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(##"<a href="#currentPassword">Current password: this is not your current password</a>"##))
            #expect(refused.text.contains(#"aria-invalid="true""#))
            #expect(try await Self.storedHash(app, viewer) == before)
            #expect(try await app.services.accounts.resolveSession(token: viewer.sessionToken) != nil, "the session stays")
            #expect(try await app.services.repositories.audit.entries(subject: "user:\(viewer.user.id)", limit: 50)
                .contains { $0.action == "user.password-change-refused" })
            // Four more wrong ones fill the sign-in throttle's (account, client) limit of five…
            for attempt in 0..<4 {
                let again = try await Self.change(client, viewer, current: "wrong guess \(attempt)")
                #expect(again.status == .unprocessableContent)
            }
            // …so even the right password waits now, here and on the sign-in form alike.
            let throttled = try await Self.change(client, viewer, current: TestApp.goodPassword)
            #expect(throttled.status == .tooManyRequests)
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(throttled.text.contains("Too many wrong passwords for this account."))
            #expect(try await Self.storedHash(app, viewer) == before)
            let signIn = try await app.services.accounts.signIn(email: "viewer@krakow.test", password: TestApp.goodPassword,
                                                                client: "unknown")
            guard case .throttled = signIn else { Issue.record("sign-in should be throttled: \(signIn)"); return }
        }
    }

    @Test func theNewPasswordsProblemsAreNamedWithoutSpendingAnAttempt() async throws {
        try await TestApp.withApp { app, client in
            let viewer = try await app.signedIn(.viewer)
            let before = try await Self.storedHash(app, viewer)
            let short = try await Self.change(client, viewer, current: TestApp.goodPassword, new: "short")
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains(##"<a href="#password">New password: "##))
            let mismatch = try await Self.change(client, viewer, current: "", new: Self.newPassword, repeat: "something else entirely")
            #expect(mismatch.status == .unprocessableContent)
            #expect(mismatch.text.contains(##"<a href="#currentPassword">Current password: enter your current password</a>"##))
            #expect(mismatch.text.contains(##"<a href="#passwordConfirmation">"##))
            let same = try await Self.change(client, viewer, current: TestApp.goodPassword, new: TestApp.goodPassword)
            #expect(same.status == .unprocessableContent)
            #expect(same.text.contains("The new password must differ from the current one."))
            #expect(try await Self.storedHash(app, viewer) == before)
            // None of these reached the password check, so none counts against the throttle.
            let counted = try await app.services.repositories.loginFailures.count(
                key: ThrottleKey.account(viewer.user.email), since: app.clock.now.addingTimeInterval(-3600))
            #expect(counted == 0)
        }
    }

    @Test func aRightChangeEndsEverySessionGivesThisBrowserANewOneAndOnlyTheNewPasswordSignsIn() async throws {
        try await TestApp.withApp { app, client in
            let viewer = try await app.signedIn(.viewer, email: "changer@krakow.test")
            let elsewhere = try await app.services.accounts.startSession(for: viewer.user)
            // Someone who had the old password and is at the second step (code not given yet).
            let pending = PendingSignIn(tokenHash: SecretToken.digest("pending"), userID: viewer.user.id,
                                        expiresAt: app.clock.now.addingTimeInterval(300))
            try await app.services.repositories.secondFactors.createPending(pending)
            let apiToken = try await app.apiToken(for: viewer.user)
            let changed = try await Self.change(client, viewer, current: TestApp.goodPassword)
            #expect(changed.status == .seeOther)
            #expect(changed.headers[.location] == "/en/account/password")
            let newToken = try #require(changed.cookie("otwarty_session"))
            #expect(newToken != viewer.sessionToken)
            #expect(try await app.services.accounts.resolveSession(token: viewer.sessionToken) == nil, "the old cookie opens nothing")
            #expect(try await app.services.accounts.resolveSession(token: elsewhere) == nil, "other sessions end")
            #expect(try await app.services.accounts.resolveSession(token: newToken) != nil)
            #expect(try await app.services.repositories.secondFactors.pending(tokenHash: pending.tokenHash) == nil,
                    "a second step begun with the old password cannot finish")
            let api = try await client.execute(uri: "/api/v1/activities", method: .get, headers: bearer(apiToken))
            #expect(api.status == .unauthorized, "API tokens end with the old password")
            // The banner, on the page the redirect leads to, in the new session.
            let notice = try #require(changed.cookie(NoticeMiddleware.cookie))
            let page = try await client.execute(uri: "/en/account/password", method: .get,
                                                headers: [.cookie: "otwarty_session=\(newToken); otwarty_notice=\(notice)"])
            #expect(page.status == .ok && page.text.contains("Password changed"))
            let old = try await app.services.accounts.signIn(email: "changer@krakow.test", password: TestApp.goodPassword, client: "a")
            #expect(old == .invalidCredentials)
            let new = try await app.services.accounts.signIn(email: "changer@krakow.test", password: Self.newPassword, client: "b")
            guard case .signedIn = new else { Issue.record("the new password should sign in: \(new)"); return }
            let trail = try await app.services.repositories.audit.entries(subject: "user:\(viewer.user.id)", limit: 50)
            #expect(trail.contains { $0.action == "user.password-changed" && $0.actorUserID == viewer.user.id })
            #expect(trail.contains { $0.action == "token.revoked" && $0.detail.contains("password changed") })
        }
    }

    @Test func aHandlerKeepsTheSameKeyPairAndStillReadsACaseGrantedBefore() async throws {
        try await TestApp.withApp { app, client in
            let handler = try await app.signedIn(.incidentHandler, email: "handler@krakow.test")
            let publicKey = try #require(try await app.services.repositories.incidentKeys.handlerKey(userID: handler.user.id)).publicKey
            let sentinel = "SENTINEL-PASSWORD-CHANGE-5e2a"
            let credentials = try await app.services.incidents.submit(IncidentReport(
                narrative: sentinel, occurredOn: CalendarDate(year: 2026, month: 3, day: 2), district: District(number: 5), place: "",
                category: .verbalAbuse, motivations: [.nationality], reporterRole: .victim, policeInformed: .no, contact: "",
                consentToContact: false, language: "en"))
            let id = try #require(try await app.services.repositories.incidents.incident(caseCode: credentials.caseCode)).id

            let changed = try await Self.change(client, handler, current: TestApp.goodPassword)
            #expect(changed.status == .seeOther)
            let pair = try #require(try await app.services.repositories.incidentKeys.handlerKey(userID: handler.user.id))
            #expect(pair.publicKey == publicKey, "the same key pair: grants to it stay valid")
            #expect(try await app.services.repositories.incidentKeys.grants(incidentID: id)
                .contains { $0.recipient == .user(handler.user.id) && $0.isLive })
            // The browser's new session carries the key: the case page shows the text.
            let newToken = try #require(changed.cookie("otwarty_session"))
            let casePage = try await client.execute(uri: "/en/incidents/\(id)", method: .get,
                                                    headers: [.cookie: "otwarty_session=\(newToken)"])
            #expect(casePage.status == .ok && casePage.text.contains(sentinel))
            // Signing in afresh: the new password opens the key, the old one no longer does.
            let key = try #require(try await app.services.incidentKeys.unlock(user: handler.user, password: Self.newPassword))
            #expect(key.publicKey == publicKey)
            let opened = try await app.services.incidents.open(id: id, by: handler.user, key: key)
            #expect(opened.access == .readable && opened.narrative == sentinel)
            #expect(throws: (any Error).self) {
                try IncidentCrypto.unwrap(pair.wrappedPrivateKey, password: TestApp.goodPassword, context: "user:\(handler.user.id)")
            }
            let signIn = try await app.services.accounts.signIn(email: "handler@krakow.test", password: Self.newPassword, client: "c")
            guard case .signedIn = signIn else { Issue.record("the new password should sign in: \(signIn)"); return }
            let trail = try await app.services.repositories.audit.entries(subject: "user:\(handler.user.id)", limit: 50)
            #expect(trail.contains { $0.action == "user.password-changed" })
            #expect(trail.contains { $0.action == "incident-keys.rewrapped" })
            #expect(!trail.contains { $0.action == "incident-keys.replaced" })
        }
    }

    @Test func aKeyTheOldPasswordDoesNotOpenIsReplacedAsAfterAReset() async throws {
        try await TestApp.withApp { app, client in
            let handler = try await app.signedIn(.incidentHandler)
            let publicKey = try #require(try await app.services.repositories.incidentKeys.handlerKey(userID: handler.user.id)).publicKey
            // An operator's database edit: the password is no longer the one the key is wrapped under.
            let edited = "operator set this one by hand"
            try await app.services.repositories.users.setPasswordHash(try await app.services.accounts.hasher.hash(edited),
                                                                      userID: handler.user.id)
            let changed = try await Self.change(client, handler, current: edited)
            #expect(changed.status == .seeOther)
            let pair = try #require(try await app.services.repositories.incidentKeys.handlerKey(userID: handler.user.id))
            #expect(pair.publicKey != publicKey)
            #expect(try IncidentCrypto.unwrap(pair.wrappedPrivateKey, password: Self.newPassword,
                                              context: "user:\(handler.user.id)").publicKey == pair.publicKey)
            let trail = try await app.services.repositories.audit.entries(subject: "user:\(handler.user.id)", limit: 50)
            #expect(trail.contains { $0.action == "incident-keys.replaced" && $0.detail.contains("did not open with the old password") })
        }
    }
}

/// The password change page from a mock model, with the script payload in every text.
extension TemplateTests {
    @Test func passwordChangePage() throws {
        let errors = [FormErrorItem(field: "currentPassword", message: Self.payload, summary: Self.payload, anchor: "currentPassword")]
        try check(PasswordChangeShow.template, PasswordChangeShow.Model(
            page: chrome(), action: "/en/account/password", email: Self.payload, holdsIncidentKey: true, errors: errors,
            currentError: Self.payload, passwordError: Self.payload, confirmationError: Self.payload, minimumLength: 12),
            contains: ["autocomplete=\"current-password\"", "autocomplete=\"new-password\"", "href=\"#currentPassword\"",
                       "value=\"\(Self.escaped)\" autocomplete=\"username\"", "aria-invalid=\"true\"",
                       "aria-describedby=\"password-hint password-error\"", "key to incident cases"])
    }
}

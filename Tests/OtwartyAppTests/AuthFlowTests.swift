import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
import Testing

@Suite struct AuthFlowTests {
    static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    func anonymousPost(_ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)],
                       csrf: String, origin: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"]
        if let origin { headers[.origin] = origin }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: formBody([("_csrf", csrf)] + fields))
    }

    @Test func firstAdministratorThroughTheSetupLink() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            #expect(try await app.services.accounts.needsSetup())
            let token = try #require(try await app.services.accounts.issueSetupToken())
            let form = try await client.execute(uri: "/en/setup/\(token)", method: .get)
            #expect(form.status == .ok && form.text.contains("First administrator"))
            let csrf = try #require(form.cookie("otwarty_csrf"))

            let weak = try await anonymousPost(client, "/en/setup/\(token)", [
                ("displayName", "Anna Nowak"), ("email", "anna@krakow.test"),
                ("password", "qwerty123456"), ("passwordConfirmation", "qwerty123456")], csrf: csrf)
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains("This password is too common or too easy to guess."))
            #expect(weak.text.contains("value=\"anna@krakow.test\""), "the form keeps what was typed")

            let mismatch = try await anonymousPost(client, "/en/setup/\(token)", [
                ("displayName", "Anna Nowak"), ("email", "anna@krakow.test"),
                ("password", TestApp.goodPassword), ("passwordConfirmation", "something else entirely")], csrf: csrf)
            #expect(mismatch.status == .unprocessableContent && mismatch.text.contains("The passwords do not match."))

            let done = try await anonymousPost(client, "/en/setup/\(token)", [
                ("displayName", "Anna Nowak"), ("email", "Anna@Krakow.test"),
                ("password", TestApp.goodPassword), ("passwordConfirmation", TestApp.goodPassword)], csrf: csrf)
            // An administrator must set up two-factor sign-in first (TwoFactorTests covers the rest).
            #expect(done.status == .seeOther && done.headers[.location] == "/en/account/two-factor")
            let session = try #require(done.cookie("otwarty_session"))
            let admin = try #require(try await app.services.repositories.users.user(email: "anna@krakow.test"))
            #expect(admin.role == .administrator)
            #expect(!(try await app.services.accounts.needsSetup()))

            let enrolment = try await client.execute(uri: "/en/account/two-factor", method: .get, headers: [.cookie: "otwarty_session=\(session)"])
            #expect(enrolment.status == .ok && enrolment.text.contains("anna@krakow.test"))

            // The link is single-use, and no new one is issued once an administrator exists.
            #expect(try await client.execute(uri: "/en/setup/\(token)", method: .get).status == .notFound)
            #expect(try await app.services.accounts.issueSetupToken() == nil)
        }
    }

    @Test func signInAndSignOutEndTheSessionOnTheServer() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            // A viewer: roles that require a second factor sign in through TwoFactorTests' flow.
            let user = try await app.signedIn(.viewer, email: "coord@krakow.test")
            let csrf = try await anonymousCSRF(client)
            let response = try await anonymousPost(client, "/pl/login", [
                ("email", "COORD@krakow.test"), ("password", TestApp.goodPassword), ("next", "/en/programmes/otwarty-krakow-2024-2028")],
                csrf: csrf)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/en/programmes/otwarty-krakow-2024-2028")
            let token = try #require(response.cookie("otwarty_session"))
            #expect(token != user.sessionToken, "a new session id at every sign-in")
            let cookieLine = try #require(response.setCookies.first { $0.hasPrefix("otwarty_session=") })
            #expect(cookieLine.contains("HttpOnly") && cookieLine.contains("SameSite=Lax"))

            let home = try await client.execute(uri: "/pl/", method: .get, headers: [.cookie: "otwarty_session=\(token)"])
            #expect(home.text.contains("Test viewer"))
            let sessionCSRF = try #require(try await app.services.repositories.sessions.session(tokenHash: SecretToken.digest(token))).csrfToken

            let out = try await client.execute(uri: "/pl/logout", method: .post,
                                               headers: [.cookie: "otwarty_session=\(token)", .contentType: "application/x-www-form-urlencoded"],
                                               body: formBody([("_csrf", sessionCSRF)]))
            #expect(out.status == .seeOther)
            #expect(try await app.services.repositories.sessions.session(tokenHash: SecretToken.digest(token)) == nil)
            let after = try await client.execute(uri: "/pl/", method: .get, headers: [.cookie: "otwarty_session=\(token)"])
            #expect(!after.text.contains("Test viewer"))
        }
    }

    @Test func openRedirectsAreRefused() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await app.signedIn(.viewer, email: "v@krakow.test")
            let csrf = try await anonymousCSRF(client)
            for next in ["https://evil.example/", "//evil.example/", "/\\evil.example"] {
                let response = try await anonymousPost(client, "/pl/login", [
                    ("email", "v@krakow.test"), ("password", TestApp.goodPassword), ("next", next)], csrf: csrf)
                #expect(response.headers[.location] == "/pl/", "\(next)")
            }
        }
    }

    @Test func wrongPasswordsAndThrottling() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await app.signedIn(.partner, email: "p@krakow.test")
            let csrf = try await anonymousCSRF(client)
            for _ in 0..<5 {
                let wrong = try await anonymousPost(client, "/en/login", [("email", "p@krakow.test"), ("password", "not the password!")], csrf: csrf)
                #expect(wrong.status == .unauthorized)
                #expect(wrong.text.contains("The e-mail address or password is not correct."))
            }
            let blocked = try await anonymousPost(client, "/en/login", [("email", "p@krakow.test"), ("password", TestApp.goodPassword)], csrf: csrf)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers[.retryAfter] == "900")
            #expect(blocked.cookie("otwarty_session") == nil)
            // After the window the right password works again.
            app.clock.advance(by: 16 * 60)
            let ok = try await anonymousPost(client, "/en/login", [("email", "p@krakow.test"), ("password", TestApp.goodPassword)], csrf: csrf)
            #expect(ok.status == .seeOther && ok.cookie("otwarty_session") != nil)
        }
    }

    @Test func unknownEmailAndDisabledAccountLookLikeWrongPasswords() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let user = try await app.signedIn(.viewer, email: "gone@krakow.test")
            try await app.services.accounts.setDisabled(true, userID: user.user.id, by: nil)
            let csrf = try await anonymousCSRF(client)
            let unknown = try await anonymousPost(client, "/en/login", [("email", "nobody@krakow.test"), ("password", TestApp.goodPassword)], csrf: csrf)
            let disabled = try await anonymousPost(client, "/en/login", [("email", "gone@krakow.test"), ("password", TestApp.goodPassword)], csrf: csrf)
            #expect(unknown.status == .unauthorized && disabled.status == .unauthorized)
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let admin = try await app.signedIn(.administrator)
            let target = try await app.signedIn(.viewer)
            // No token, a wrong token, the anonymous token instead of the session's, another origin.
            let attempts: [(HTTPFields, [(String, String)])] = [
                (admin.formHeaders(), []),
                (admin.formHeaders(), [("_csrf", String(repeating: "a", count: 64))]),
                ([.cookie: "otwarty_session=\(admin.sessionToken); otwarty_csrf=\(String(repeating: "b", count: 64))",
                  .contentType: "application/x-www-form-urlencoded"], [("_csrf", String(repeating: "b", count: 64))]),
            ]
            for (headers, fields) in attempts {
                let response = try await client.execute(uri: "/pl/admin/users/\(target.user.id)/disable", method: .post,
                                                        headers: headers, body: formBody(fields))
                #expect(response.status == .forbidden)
                #expect(response.text.contains("Formularz wygasł"))
            }
            var crossOrigin = admin.formHeaders()
            crossOrigin[.origin] = "https://evil.example"
            let response = try await client.execute(uri: "/pl/admin/users/\(target.user.id)/disable", method: .post,
                                                    headers: crossOrigin, body: formBody([("_csrf", admin.csrfToken)]))
            #expect(response.status == .forbidden)
            #expect(try await app.services.repositories.users.user(id: target.user.id)?.isDisabled == false)

            // An anonymous form post with no CSRF cookie at all.
            let login = try await client.execute(uri: "/pl/login", method: .post, headers: Self.formType,
                                                 body: formBody([("email", "a@b.cd"), ("password", "x")]))
            #expect(login.status == .forbidden)
        }
    }

    @Test func disablingAUserEndsTheirSessions() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let admin = try await app.signedIn(.administrator)
            let partner = try await app.signedIn(.partner)
            #expect(try await client.execute(uri: "/pl/", method: .get, headers: partner.cookie).text.contains("Test partner"))
            let response = try await client.execute(uri: "/pl/admin/users/\(partner.user.id)/disable", method: .post,
                                                    headers: admin.formHeaders(), body: formBody([("_csrf", admin.csrfToken)]))
            #expect(response.status == .seeOther)
            #expect(try await app.services.repositories.sessions.session(tokenHash: SecretToken.digest(partner.sessionToken)) == nil)
            #expect(!(try await client.execute(uri: "/pl/", method: .get, headers: partner.cookie).text.contains("Test partner")))
            // An administrator cannot lock themselves out.
            let own = try await client.execute(uri: "/pl/admin/users/\(admin.user.id)/disable", method: .post,
                                               headers: admin.formHeaders(), body: formBody([("_csrf", admin.csrfToken)]))
            #expect(own.status == .conflict)
        }
    }

    @Test func sessionsExpireWhenIdleAndAtTheAbsoluteLimit() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let idle = try await app.signedIn(.viewer)
            app.clock.advance(by: 31 * 60)
            #expect(!(try await client.execute(uri: "/pl/", method: .get, headers: idle.cookie).text.contains("Test viewer")))

            let busy = try await app.signedIn(.viewer)
            for _ in 0..<25 { // 25 × 29 minutes: never idle, but past 12 hours
                app.clock.advance(by: 29 * 60)
                _ = try await client.execute(uri: "/pl/", method: .get, headers: busy.cookie)
            }
            #expect(!(try await client.execute(uri: "/pl/", method: .get, headers: busy.cookie).text.contains("Test viewer")))
        }
    }

    @Test func invitationLinkLetsTheUserChooseAPassword() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let admin = try await app.signedIn(.administrator)
            let organisation = try await app.services.repositories.organisations.create(name: "Fundacja Test", kind: .ngo)
            let invite = try await client.execute(uri: "/en/admin/users", method: .post, headers: admin.formHeaders(), body: formBody([
                ("_csrf", admin.csrfToken), ("email", "ola@ngo.test"), ("displayName", "Ola <b>Kowalska</b>"),
                ("role", "partner"), ("organisation", String(organisation.id))]))
            #expect(invite.status == .created)
            #expect(invite.text.contains("Ola &lt;b&gt;Kowalska&lt;/b&gt;") && !invite.text.contains("<b>Kowalska"))
            let link = try #require(invite.text.firstMatch(of: /http:\/\/otwarty\.test(\/en\/invitation\/[0-9a-f]{64})/)?.1)
            let path = String(link)

            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok && page.text.contains("ola@ngo.test"))
            let csrf = try #require(page.cookie("otwarty_csrf"))
            let done = try await anonymousPost(client, path, [("password", TestApp.goodPassword), ("passwordConfirmation", TestApp.goodPassword)], csrf: csrf)
            #expect(done.status == .seeOther && done.cookie("otwarty_session") != nil)
            let user = try #require(try await app.services.repositories.users.user(email: "ola@ngo.test"))
            #expect(user.role == .partner && user.organisationID == organisation.id && user.canSignIn)
            #expect(try await client.execute(uri: path, method: .get).status == .notFound)

            // A partner must belong to an organisation.
            let orphan = try await client.execute(uri: "/en/admin/users", method: .post, headers: admin.formHeaders(), body: formBody([
                ("_csrf", admin.csrfToken), ("email", "lone@ngo.test"), ("displayName", "Lone"), ("role", "partner")]))
            #expect(orphan.status == .unprocessableContent && orphan.text.contains("Choose an organisation"))
            let duplicate = try await client.execute(uri: "/en/admin/users", method: .post, headers: admin.formHeaders(), body: formBody([
                ("_csrf", admin.csrfToken), ("email", "OLA@ngo.test"), ("displayName", "Again"), ("role", "viewer")]))
            #expect(duplicate.status == .conflict && duplicate.text.contains("already in use"))
        }
    }
}

@Suite struct SetupEdgeTests {
    @Test func aTakenAddressAtSetupKeepsTheLinkUsable() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await app.signedIn(.viewer, email: "taken@krakow.test")
            let token = try #require(try await app.services.accounts.issueSetupToken())
            let csrf = try await anonymousCSRF(client, page: "/en/setup/\(token)")
            let headers: HTTPFields = [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"]
            let taken = try await client.execute(uri: "/en/setup/\(token)", method: .post, headers: headers, body: formBody([
                ("_csrf", csrf), ("displayName", "Admin"), ("email", "taken@krakow.test"),
                ("password", TestApp.goodPassword), ("passwordConfirmation", TestApp.goodPassword)]))
            #expect(taken.status == .unprocessableContent && taken.text.contains("already in use"))
            #expect(try await app.services.accounts.isUsableSetupToken(token))
            let done = try await client.execute(uri: "/en/setup/\(token)", method: .post, headers: headers, body: formBody([
                ("_csrf", csrf), ("displayName", "Admin"), ("email", "admin@krakow.test"),
                ("password", TestApp.goodPassword), ("passwordConfirmation", TestApp.goodPassword)]))
            #expect(done.status == .seeOther)
        }
    }
}

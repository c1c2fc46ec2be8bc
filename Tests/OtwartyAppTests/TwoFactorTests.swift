import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OtwartyApp
import OtwartyCore
import OtwartyStorage
import Testing

/// Two-factor sign-in (docs/security.md, "Two-factor sign-in (TOTP)"), through the router as a
/// browser uses it: enrolment with the QR code and key, the second step with codes and recovery
/// codes, replay, drift, expiry, throttling, required roles, removal and the audit trail.
@Suite struct TwoFactorTests {
    static let totp = HummingbirdTOTP()

    @Test func hummingbirdTOTPGivesRFC6238sReferenceCodes() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890"; the last six of its eight digits.
        let secret = "12345678901234567890"
        for (time, code) in [(59, 287082), (1_111_111_109, 81804), (1_111_111_111, 50471), (1_234_567_890, 5924),
                             (2_000_000_000, 279037), (20_000_000_000, 353130)] as [(Int64, Int)] {
            #expect(Self.totp.code(secret: secret, step: time / 30) == code, "T=\(time)")
        }
        let uri = Self.totp.provisioningURI(secret: secret, account: "anna@krakow.test", issuer: "Otwarty")
        #expect(uri == "otpauth://totp/Otwarty:anna@krakow.test?secret=\(Base32.encode(Array(secret.utf8)))&issuer=Otwarty")
        #expect(Base32.encode(Array("12345678901234567890".utf8)) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }

    // MARK: Helpers

    struct Browser {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]

        var header: HTTPFields {
            [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
        }

        mutating func get(_ uri: String) async throws -> TestResponse {
            let response = try await client.execute(uri: uri, method: .get, headers: header)
            remember(response)
            return response
        }

        mutating func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
            var headers = header
            headers[.contentType] = "application/x-www-form-urlencoded"
            let token = cookies["otwarty_csrf"] ?? ""
            let response = try await client.execute(uri: uri, method: .post, headers: headers,
                                                    body: formBody([("_csrf", csrf ?? token)] + fields))
            remember(response)
            return response
        }

        /// The session's CSRF token, once signed in (read from the last page).
        var csrf: String?

        mutating func remember(_ response: TestResponse) {
            for line in response.setCookies {
                let first = line.split(separator: ";").first ?? ""
                let parts = first.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count >= 1 else { continue }
                let value = parts.count == 2 ? parts[1] : ""
                if value.isEmpty || line.contains("Max-Age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = value }
            }
            if let range = response.text.range(of: #"name="_csrf" value="[0-9a-f]{64}""#, options: .regularExpression) {
                csrf = String(response.text[range].suffix(65).dropLast())
            }
        }

        /// Sign-in with the password; returns the answer.
        mutating func signIn(_ email: String, language: String = "pl", next: String? = nil) async throws -> TestResponse {
            _ = try await get("/\(language)/login")
            var fields = [("email", email), ("password", TestApp.goodPassword)]
            if let next { fields.append(("next", next)) }
            return try await post("/\(language)/login", fields)
        }
    }

    static func user(_ app: TestApp, _ role: Role, _ email: String) async throws -> User {
        var organisation: OrganisationID?
        if role.requiresOrganisation {
            organisation = try await app.services.repositories.organisations.create(name: "Org \(email)", kind: .ngo).id
        }
        return try await app.services.accounts.createUser(email: email, displayName: "Test \(role.rawValue)", role: role,
                                                          organisationID: organisation, password: TestApp.goodPassword)
    }

    /// The key as the enrolment page shows it (grouped base32), decoded to the secret text.
    static func secret(fromPage html: String) throws -> String {
        let pattern = #"class="credential otp-key">([A-Z2-7 ]+)<"#
        let range = try #require(html.range(of: pattern, options: .regularExpression))
        let grouped = String(html[range]).replacingOccurrences(of: #"class="credential otp-key">"#, with: "").dropLast()
        return String(decoding: try #require(base32Decode(grouped.replacingOccurrences(of: " ", with: ""))), as: UTF8.self)
    }

    static func base32Decode(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var buffer = 0, bits = 0
        var out: [UInt8] = []
        for character in text {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }

    static func code(_ app: TestApp, secret: String, offset: Int64 = 0) -> String {
        let step = Int64((app.clock.now.timeIntervalSince1970 / 30).rounded(.down)) + offset
        return String(format: "%06d", totp.code(secret: secret, step: step))
    }

    /// Signs a coordinator in, enrols through the page, and returns the browser (fully signed in),
    /// the secret and the recovery codes.
    static func enrolled(_ app: TestApp, _ client: any TestClientProtocol, role: Role = .programmeCoordinator,
                         email: String = "koordynatorka@krakow.test") async throws -> (Browser, String, [String], User) {
        let user = try await Self.user(app, role, email)
        var browser = Browser(client: client)
        let signedIn = try await browser.signIn(email)
        #expect(signedIn.status == .seeOther
                && signedIn.headers[.location] == (role.requiresSecondFactor ? "/pl/account/two-factor" : "/pl/"))
        let page = try await browser.get("/pl/account/two-factor")
        #expect(page.status == .ok)
        let secret = try Self.secret(fromPage: page.text)
        let confirmed = try await browser.post("/pl/account/two-factor/confirm", [("code", Self.code(app, secret: secret))])
        #expect(confirmed.status == .ok)
        let codes = confirmed.text.matches(of: /<code class="credential">([a-z0-9-]{19})<\/code>/).map { String($0.output.1) }
        #expect(codes.count == 10)
        return (browser, secret, codes, user)
    }

    // MARK: Tests

    @Test func enrolThenSignInWithACode() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await Self.user(app, .programmeCoordinator, "koordynatorka@krakow.test")
            var browser = Browser(client: client)
            let first = try await browser.signIn("koordynatorka@krakow.test", next: "/pl/review")
            #expect(first.status == .seeOther && first.headers[.location] == "/pl/account/two-factor")
            let limitedToken = try #require(browser.cookies["otwarty_session"])

            // Until enrolled, nothing but the enrolment page and sign-out.
            let dashboard = try await browser.get("/pl/dashboard")
            #expect(dashboard.status == .seeOther && dashboard.headers[.location] == "/pl/account/two-factor")
            #expect(try await browser.get("/api/v1/programme").status == .ok, "the public API needs no session")

            let page = try await browser.get("/pl/account/two-factor")
            #expect(page.status == .ok)
            #expect(page.text.contains("<img src=\"/pl/account/two-factor/qr.svg\" alt=\"Kod QR do konfiguracji"))
            #expect(page.text.contains("koordynatorka@krakow.test"))
            #expect(!page.text.contains("class=\"work\""), "no work menu before enrolment")
            let secret = try Self.secret(fromPage: page.text)
            #expect(secret.utf8.count == 20 && Base32.encode(Array(secret.utf8)).count == 32)
            let qr = try await browser.get("/pl/account/two-factor/qr.svg")
            #expect(qr.status == .ok && qr.headers[.contentType] == "image/svg+xml; charset=utf-8")
            #expect(qr.text.hasPrefix("<svg") && qr.text.contains("<title id=\"qr-title\">Kod QR"))
            #expect(try await browser.get("/pl/account/two-factor").text.contains(Base32.grouped(Base32.encode(Array(secret.utf8)))),
                    "the same secret until confirmed")

            let wrong = try await browser.post("/pl/account/two-factor/confirm", [("code", "000000")])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("To nie jest aktualny kod z aplikacji."))
            let right = try await browser.post("/pl/account/two-factor/confirm", [("code", Self.code(app, secret: secret))])
            #expect(right.status == .ok)
            #expect(right.text.matches(of: /<code class="credential">[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}<\/code>/).count == 10)
            let fullToken = try #require(browser.cookies["otwarty_session"])
            #expect(fullToken != limitedToken, "a new session once enrolled")
            #expect(try await app.services.repositories.sessions.session(tokenHash: SecretToken.digest(limitedToken)) == nil)
            let dashboardPage = try await browser.get("/pl/dashboard")
            #expect(dashboardPage.status == .ok && dashboardPage.text.contains("class=\"work\""))
            #expect(try await browser.get("/pl/account/two-factor").text.contains("Niewykorzystane kody odzyskiwania: 10."))
            #expect(try await browser.get("/pl/account/two-factor/qr.svg").status == .notFound, "no secret is shown once enrolled")

            // Signing in again: the password alone gives no session, only the second step.
            var next = Browser(client: client)
            let password = try await next.signIn("koordynatorka@krakow.test", next: "/pl/review")
            #expect(password.status == .seeOther && password.headers[.location] == "/pl/login/code?next=%2Fpl%2Freview")
            #expect(next.cookies["otwarty_session"] == nil && next.cookies["otwarty_pending"] != nil)
            #expect(try await next.get("/pl/review").status == .seeOther)
            #expect(try await next.get("/pl/login/code?next=%2Fpl%2Freview").status == .ok)
            app.clock.advance(by: 30)
            let done = try await next.post("/pl/login/code", [("code", Self.code(app, secret: secret)), ("next", "/pl/review")])
            #expect(done.status == .seeOther && done.headers[.location] == "/pl/review")
            #expect(next.cookies["otwarty_session"] != nil && next.cookies["otwarty_pending"] == nil)
            #expect(try await next.get("/pl/review").status == .ok)

            let actions = try await app.services.repositories.audit.entries(subject: "user:\(try #require(try await app.services.repositories.users.user(email: "koordynatorka@krakow.test")).id)", limit: 50).map(\.action)
            #expect(actions.contains("second-factor.enrolled"))
        }
    }

    @Test func wrongAndReplayedCodesAreRefused() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let (_, secret, _, _) = try await Self.enrolled(app, client)
            var browser = Browser(client: client)
            _ = try await browser.signIn("koordynatorka@krakow.test")
            // The code used to confirm enrolment (same 30-second step) is spent.
            let replay = try await browser.post("/pl/login/code", [("code", Self.code(app, secret: secret))])
            #expect(replay.status == .unauthorized && replay.text.contains("Pozostałe próby: 4."))
            let wrong = try await browser.post("/pl/login/code", [("code", "123456")])
            #expect(wrong.status == .unauthorized && wrong.text.contains("Pozostałe próby: 3."))
            app.clock.advance(by: 30)
            let code = Self.code(app, secret: secret)
            #expect(try await browser.post("/pl/login/code", [("code", code)]).status == .seeOther)

            // The same code in another sign-in within its step: refused.
            var other = Browser(client: client)
            _ = try await other.signIn("koordynatorka@krakow.test")
            #expect(try await other.post("/pl/login/code", [("code", code)]).status == .unauthorized)
            #expect(other.cookies["otwarty_session"] == nil)
        }
    }

    @Test func oneStepOfDriftEitherWayIsAcceptedTwoAreNot() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let (_, secret, _, _) = try await Self.enrolled(app, client)
            app.clock.advance(by: 300)
            for (offset, accepted) in [(-2, false), (2, false), (-1, true), (1, true)] as [(Int64, Bool)] {
                var browser = Browser(client: client)
                _ = try await browser.signIn("koordynatorka@krakow.test")
                let response = try await browser.post("/pl/login/code", [("code", Self.code(app, secret: secret, offset: offset))])
                #expect(response.status == (accepted ? .seeOther : .unauthorized), "offset \(offset)")
            }
        }
    }

    @Test func aRecoveryCodeWorksOnce() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let (_, _, codes, user) = try await Self.enrolled(app, client)
            var browser = Browser(client: client)
            _ = try await browser.signIn("koordynatorka@krakow.test")
            let used = try await browser.post("/pl/login/code", [("code", codes[3].uppercased())])
            #expect(used.status == .seeOther && used.headers[.location] == "/pl/account/two-factor")
            #expect(try await browser.get("/pl/account/two-factor").text.contains("Niewykorzystane kody odzyskiwania: 9."))

            var again = Browser(client: client)
            _ = try await again.signIn("koordynatorka@krakow.test")
            #expect(try await again.post("/pl/login/code", [("code", codes[3])]).status == .unauthorized)
            let actions = try await app.services.repositories.audit.entries(subject: "user:\(user.id)", limit: 50).map(\.action)
            #expect(actions.filter { $0 == "second-factor.recovery-code-used" }.count == 1)
        }
    }

    @Test func thePendingSignInExpiresAndFiveWrongCodesDropIt() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let (_, secret, _, _) = try await Self.enrolled(app, client)
            var slow = Browser(client: client)
            _ = try await slow.signIn("koordynatorka@krakow.test")
            app.clock.advance(by: 5 * 60 + 1)
            let late = try await slow.post("/pl/login/code", [("code", Self.code(app, secret: secret))])
            #expect(late.status == .unauthorized && late.text.contains("Zaloguj się ponownie."))
            #expect(slow.cookies["otwarty_session"] == nil && slow.cookies["otwarty_pending"] == nil)

            var guesser = Browser(client: client)
            _ = try await guesser.signIn("koordynatorka@krakow.test")
            for attempt in 1...5 {
                let response = try await guesser.post("/pl/login/code", [("code", String(format: "%06d", attempt))])
                #expect(response.status == .unauthorized)
            }
            #expect(guesser.cookies["otwarty_pending"] == nil, "dropped after five wrong codes")
            app.clock.advance(by: 30)
            // Even with its cookie kept, the dropped sign-in does not come back.
            guesser.cookies["otwarty_pending"] = try #require(slow.cookies["otwarty_pending"] ?? "0".padding(toLength: 64, withPad: "0", startingAt: 0))
            let after = try await guesser.post("/pl/login/code", [("code", Self.code(app, secret: secret))])
            #expect(after.status == .unauthorized && guesser.cookies["otwarty_session"] == nil)
        }
    }

    @Test func wrongCodesAcrossSignInsAreThrottledPerUser() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let (_, secret, _, _) = try await Self.enrolled(app, client)
            for round in 0..<2 {
                var browser = Browser(client: client)
                _ = try await browser.signIn("koordynatorka@krakow.test")
                for attempt in 1...5 { _ = try await browser.post("/pl/login/code", [("code", String(format: "%06d", round * 10 + attempt))]) }
            }
            var browser = Browser(client: client)
            _ = try await browser.signIn("koordynatorka@krakow.test")
            app.clock.advance(by: 30)
            let blocked = try await browser.post("/pl/login/code", [("code", Self.code(app, secret: secret))])
            #expect(blocked.status == .tooManyRequests && blocked.headers[.retryAfter] == "900")
        }
    }

    @Test func requiredRolesReachOnlyEnrolmentOthersMayChoose() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            for role in Role.allCases {
                let email = "\(role.rawValue)@krakow.test"
                _ = try await Self.user(app, role, email)
                var browser = Browser(client: client)
                let response = try await browser.signIn(email)
                #expect(response.status == .seeOther)
                let dashboard = try await browser.get("/pl/dashboard")
                if role.requiresSecondFactor {
                    #expect(response.headers[.location] == "/pl/account/two-factor", "\(role)")
                    #expect(dashboard.status == .seeOther && dashboard.headers[.location] == "/pl/account/two-factor", "\(role)")
                    #expect(try await browser.get("/pl/programmes/otwarty-krakow-2024-2028").status == .seeOther, "\(role)")
                    let post = try await browser.post("/pl/reference-statistics", [("key", "x")])
                    #expect(post.status == .forbidden, "\(role)")
                    #expect(try await browser.get("/static/otwarty.css").status == .ok)
                    #expect(try await browser.get("/pl/account/two-factor").text.contains("Twoja rola wymaga logowania dwuskładnikowego"))
                    #expect(try await browser.post("/pl/logout", []).status == .seeOther, "\(role) can sign out")
                    #expect(browser.cookies["otwarty_session"] == nil)
                } else {
                    #expect(response.headers[.location] == "/pl/", "\(role)")
                    #expect(dashboard.status == .ok, "\(role)")
                    #expect(try await browser.get("/pl/account/two-factor").text.contains("Dla Twojej roli jest dobrowolne."))
                }
            }
        }
    }

    @Test func theFirstAdministratorEnrolsRightAfterSetup() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let token = try #require(try await app.services.accounts.issueSetupToken())
            var browser = Browser(client: client)
            _ = try await browser.get("/en/setup/\(token)")
            let done = try await browser.post("/en/setup/\(token)", [
                ("displayName", "Anna Nowak"), ("email", "anna@krakow.test"),
                ("password", TestApp.goodPassword), ("passwordConfirmation", TestApp.goodPassword)])
            #expect(done.status == .seeOther && done.headers[.location] == "/en/account/two-factor")
            #expect(try await browser.get("/en/admin/users").headers[.location] == "/en/account/two-factor")
            let page = try await browser.get("/en/account/two-factor")
            #expect(page.text.contains("Your role requires two-factor sign-in."))
        }
    }

    @Test func aNewPasswordLinkDoesNotSkipTheSecondFactor() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            // An administrator (new-password links for coordinators and handlers need two people).
            let (_, _, _, user) = try await Self.enrolled(app, client, role: .administrator, email: "admin@krakow.test")
            let link = try await app.services.accounts.issueInvitation(for: user)
            var browser = Browser(client: client)
            _ = try await browser.get("/pl/invitation/\(link)")
            let done = try await browser.post("/pl/invitation/\(link)", [
                ("password", "nowe hasło nad Wisłą 2026"), ("passwordConfirmation", "nowe hasło nad Wisłą 2026")])
            #expect(done.status == .seeOther && done.headers[.location]?.hasPrefix("/pl/login/code") == true)
            #expect(browser.cookies["otwarty_session"] == nil)
        }
    }

    @Test func removalByTheUserAndByAnAdministratorIsAudited() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            // A viewer may turn it off with a code; a coordinator may not.
            let (viewer, secret, _, viewerUser) = try await Self.enrolled(app, client, role: .viewer, email: "radna@krakow.test")
            var browser = viewer
            app.clock.advance(by: 30)
            let off = try await browser.post("/pl/account/two-factor/remove", [("code", Self.code(app, secret: secret))])
            #expect(off.status == .seeOther)
            #expect(try await browser.get("/pl/account/two-factor").text.contains("Dla Twojej roli jest dobrowolne."))

            let (coordinator, coordinatorSecret, _, coordinatorUser) = try await Self.enrolled(app, client)
            var coordinatorBrowser = coordinator
            app.clock.advance(by: 30)
            let refused = try await coordinatorBrowser.post("/pl/account/two-factor/remove",
                                                            [("code", Self.code(app, secret: coordinatorSecret))])
            #expect(refused.status == .forbidden)

            let admin = try await app.signedIn(.administrator)
            let list = try await client.execute(uri: "/pl/admin/users", method: .get, headers: admin.cookie)
            #expect(list.text.contains("/pl/admin/users/\(coordinatorUser.id)/second-factor/remove"))
            // The first post only asks (docs/design.md, "Confirming permanent actions"); the confirmed one removes.
            let asked = try await client.execute(
                uri: "/pl/admin/users/\(coordinatorUser.id)/second-factor/remove", method: .post, headers: admin.formHeaders(),
                body: formBody([("_csrf", admin.csrfToken)]))
            #expect(asked.status == .ok && asked.text.contains("name=\"confirmed\" value=\"yes\""))
            #expect(try await coordinatorBrowser.get("/pl/dashboard").status == .ok, "nothing removed yet")
            let removed = try await client.execute(
                uri: "/pl/admin/users/\(coordinatorUser.id)/second-factor/remove", method: .post, headers: admin.formHeaders(),
                body: formBody([("_csrf", admin.csrfToken), ("confirmed", "yes")]))
            #expect(removed.status == .seeOther && removed.cookie("otwarty_notice") == "second-factor-removed.\(coordinatorUser.id)")
            #expect(try await coordinatorBrowser.get("/pl/dashboard").status == .seeOther, "their sessions ended")
            // At the next sign-in they must enrol again.
            var again = Browser(client: client)
            #expect(try await again.signIn("koordynatorka@krakow.test").headers[.location] == "/pl/account/two-factor")

            let viewerActions = try await app.services.repositories.audit.entries(subject: "user:\(viewerUser.id)", limit: 50)
            #expect(viewerActions.contains { $0.action == "second-factor.removed" && $0.detail == "by the user" })
            let coordinatorActions = try await app.services.repositories.audit.entries(subject: "user:\(coordinatorUser.id)", limit: 50)
            #expect(coordinatorActions.contains { $0.action == "second-factor.removed" && $0.actorUserID == admin.user.id })
        }
    }

    @Test func theOTPKeyIsItsOwnFileOrVariable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-otp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = DatabaseLocation.sqlite(path: folder.appendingPathComponent("o.sqlite").path)
        let logger = Logger(label: "test")
        let made = try OTPKey.load(base64: nil, file: nil, database: database, logger: logger)
        let path = folder.appendingPathComponent("otp.key").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let sealed = try made.seal("secret", context: SecondFactor.sealContext(userID: 1))
        // The same file opens it again; another key, or another user's context, does not.
        #expect(try OTPKey.load(base64: nil, file: nil, database: database, logger: logger)
                    .open(sealed, context: SecondFactor.sealContext(userID: 1)) == "secret")
        #expect(throws: (any Error).self) { try made.open(sealed, context: SecondFactor.sealContext(userID: 2)) }
        let other = try OTPKey.load(base64: FieldCipher.newKeyBase64(), file: nil, database: database, logger: logger)
        #expect(throws: (any Error).self) { try other.open(sealed, context: SecondFactor.sealContext(userID: 1)) }
        // A configured file that is missing is refused rather than replaced.
        #expect(throws: FieldCipher.KeyError.self) {
            try OTPKey.load(base64: nil, file: folder.appendingPathComponent("gone.key").path, database: database, logger: logger)
        }
        let configuration = try AppConfiguration.fromEnvironment(["OTWARTY_OTP_KEY_FILE": "/etc/otwarty/otp.key"])
        #expect(configuration.otpKeyFile == "/etc/otwarty/otp.key" && configuration.otpKeyBase64 == nil)
    }

    @Test func theSecretIsSealedAtRest() async throws {
        // On SQLite: the bytes of the database file are what this test reads.
        try await TestApp.withApp(storage: .sqlite) { app, client in
            let (_, secret, codes, user) = try await Self.enrolled(app, client)
            let factor = try #require(try await app.services.repositories.secondFactors.factor(userID: user.id))
            #expect(factor.sealedSecret.hasPrefix("v1:") && !factor.sealedSecret.contains(secret))
            var raw = Data()
            for name in ["test.sqlite", "test.sqlite-wal"] {
                raw += (try? Data(contentsOf: app.folder.appendingPathComponent(name))) ?? Data()
            }
            for needle in [secret, Base32.encode(Array(secret.utf8)), codes[0]] {
                #expect(raw.range(of: Data(needle.utf8)) == nil, "\(needle.prefix(4))… is in the database file")
            }
            #expect(FileManager.default.fileExists(atPath: app.folder.appendingPathComponent("otp.key").path))
        }
    }
}

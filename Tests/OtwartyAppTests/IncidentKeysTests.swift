import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import OtwartyApp
import OtwartyCore
import OtwartyStorage
@testable import OtwartyWeb
import SQLKit
import Testing

/// Issue 14's proof (docs/incidents.md, "Keys" and the threat model): everything the server holds
/// opens no case; a handler's password (and only a live session's cookie) opens what was granted
/// to them; a second instance serves the same session; a reset handler, the administrator and a
/// wrong passphrase read nothing; the recovery key restores access; a purged case is gone for
/// every key; the move from the single server key hands each case over and then drops it.
@Suite struct IncidentKeysTests {
    /// Every text of these tests starts with this, so one search finds any of them in any bytes.
    static let marker = "SENTINEL-KEYS"
    static func sentinel(_ what: String, _ n: Int = 0) -> String { "\(marker)-\(what)-\(n)-7c1f" }

    struct Reported {
        var id: IncidentID
        var code: String
        var passphrase: String
    }

    /// A report through the service with a sentinel in narrative, place and contact.
    static func report(_ app: TestApp, _ n: Int) async throws -> Reported {
        let credentials = try await app.services.incidents.submit(IncidentReport(
            narrative: sentinel("narrative", n), occurredOn: CalendarDate(year: 2026, month: 3, day: 2), district: District(number: 3),
            place: sentinel("place", n), category: .verbalAbuse, motivations: [.nationality], reporterRole: .victim,
            policeInformed: .no, contact: sentinel("contact", n), consentToContact: true, language: "pl"))
        let id = try #require(try await app.services.repositories.incidents.incident(caseCode: credentials.caseCode)).id
        return Reported(id: id, code: credentials.caseCode, passphrase: credentials.passphrase)
    }

    /// Signs in with the password as the sign-in form does; returns the user, the key the session
    /// holds (opened with the cookie's token) and the token.
    static func signIn(_ app: TestApp, _ email: String, password: String = TestApp.goodPassword) async throws
        -> (user: User, key: HandlerPrivateKey?, token: String) {
        let result = try await app.services.accounts.signIn(email: email, password: password, client: "incident-keys-test")
        guard case let .signedIn(user, token) = result else {
            Issue.record("sign-in of \(email) gave \(result)")
            throw DomainError.forbidden("not signed in")
        }
        let (session, _) = try #require(try await app.services.accounts.resolveSession(token: token))
        return (user, app.services.incidentKeys.sessionKey(session, token: token), token)
    }

    static func files(_ app: TestApp) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in ["test.sqlite", "test.sqlite-wal", "test.sqlite-shm", "incident.key", "otp.key"] {
            if let data = FileManager.default.contents(atPath: app.folder.appendingPathComponent(name).path) { files[name] = data }
        }
        return files
    }

    // MARK: 1. Everything the server holds

    /// What an attacker who copied the server (database files, key files, environment) can try:
    /// every key the code can reach, on every sealed value.
    struct ServerCopy {
        var files: [String: Data]
        var environment: [String: String]
        /// Every text value of every table: (table, column, value, and the case code of its row when
        /// the row names a case — an attacker knows which case a value belongs to).
        var values: [(table: String, column: String, value: String, caseCode: String?)]
        var caseCodes: [String]
        var userIDs: [UserID]

        static func take(_ app: TestApp) async throws -> ServerCopy {
            let database = try app.services.database
            let incidents = try await app.services.repositories.incidents.list(statuses: [], limit: 1_000, offset: 0)
            let codeOfID = Dictionary(uniqueKeysWithValues: incidents.map { ($0.id, $0.caseCode) })
            let values: [(String, String, String, String?)] = try await database.withConnection { db in
                var values: [(String, String, String, String?)] = []
                let tables = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                for table in tables {
                    for row in try await db.raw("SELECT * FROM \(ident: table)").all() {
                        var code: String?
                        if table == "incidents" { code = try? row.decode(column: "case_code", as: String.self) }
                        if let id = try? row.decode(column: "incident_id", as: Int64.self) { code = codeOfID[id] }
                        for column in row.allColumns {
                            if let text = try? row.decode(column: column, as: String?.self) { values.append((table, column, text, code)) }
                        }
                    }
                }
                return values
            }
            let codes = incidents.map(\.caseCode)
            let users = try await app.services.repositories.users.all().map(\.id)
            return ServerCopy(files: IncidentKeysTests.files(app), environment: ProcessInfo.processInfo.environment, values: values,
                              caseCodes: codes, userIDs: users)
        }

        /// Every value that decodes (base64, hex, or a `:`-separated part) to 32 bytes, the key
        /// files' contents, and the environment's: each is tried as a symmetric key and as an
        /// X25519 private key.
        var thirtyTwoByteValues: Set<Data> {
            var found: Set<Data> = []
            func consider(_ text: String) {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                for part in [trimmed] + trimmed.split(separator: ":").map(String.init) {
                    if let data = Data(base64Encoded: part), data.count == 32 { found.insert(data) }
                    if part.count == 64, let data = Self.hex(part) { found.insert(data) }
                }
            }
            for value in values.map(\.value) { consider(value) }
            for value in environment.values { consider(value) }
            for data in files.filter({ $0.key.hasSuffix(".key") }).values {
                if data.count == 32 { found.insert(data) }
                consider(String(decoding: data, as: UTF8.self))
            }
            return found
        }

        /// Strings that look like tokens (hex or base64, 20 characters or more): each is tried as a
        /// session cookie's token.
        var tokenLikeValues: Set<String> {
            var found: Set<String> = []
            for text in values.map(\.value) + Array(environment.values) {
                for part in [text] + text.split(separator: ":").map(String.init) where part.count >= 20 {
                    if part.allSatisfy({ $0.isHexDigit }) || Data(base64Encoded: part) != nil { found.insert(part) }
                }
            }
            return found
        }

        static func hex(_ text: String) -> Data? {
            var data = Data()
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
                data.append(byte)
                index = next
            }
            return data
        }

        var sealedValues: [(table: String, column: String, value: String, caseCode: String?)] {
            values.filter { $0.value.hasPrefix("v1:") || $0.value.hasPrefix("h1:") }
        }

        /// Tries everything; returns a description of each value that opened.
        func attack(serverCiphers: [(String, FieldCipher)], scrypt: ScryptParameters, passphraseDigests: [String: String]) throws -> [String] {
            var opened: [String] = []
            let raw = thirtyTwoByteValues
            let ciphers = serverCiphers + raw.map { ("32-byte value", FieldCipher(key: SymmetricKey(data: $0))) }
            let fields = ["narrative", "place", "contact", "outcome", "event"]
            var contexts = caseCodes.flatMap { code in fields.map { "\(code)/\($0)" } + ["escrow/\(code)"] }
            contexts += userIDs.map { SecondFactor.sealContext(userID: $0) }
            // Symmetric: every cipher on every `v1:` value with every context.
            for sealed in sealedValues where sealed.value.hasPrefix("v1:") {
                for (name, cipher) in ciphers {
                    for context in contexts where (try? cipher.open(sealed.value, context: context)) != nil {
                        opened.append("\(sealed.table).\(sealed.column) with \(name) as \(context)")
                    }
                }
            }
            // HPKE: every 32-byte value, and the reporter's key derived from the empty passphrase and
            // from the stored digest, as the X25519 private key of every `h1:` value.
            var privateKeys: [(String, HandlerPrivateKey)] = raw.compactMap { data in
                (try? HandlerPrivateKey(rawRepresentation: data)).map { ("32-byte value", $0) }
            }
            for code in caseCodes {
                for guess in ["", passphraseDigests[code] ?? ""] {
                    privateKeys.append(("reporter key from '\(guess.prefix(8))'",
                                        try IncidentCrypto.reporterKey(passphrase: guess, caseCode: code, parameters: scrypt)))
                }
            }
            let purposes = ["case-key", "reporter-update"] + fields.map { "case-\($0)" }
            for sealed in sealedValues where sealed.value.hasPrefix("h1:") {
                for (name, key) in privateKeys {
                    for code in sealed.caseCode.map({ [$0] }) ?? caseCodes {
                        for purpose in purposes
                        where (try? IncidentCrypto.open(sealed.value, with: key, purpose: purpose, caseCode: code)) != nil {
                            opened.append("\(sealed.table).\(sealed.column) with \(name) as \(purpose) of \(code)")
                        }
                    }
                }
            }
            // Handlers' wrapped keys: scrypt with the empty password and with every text of the
            // user's row (the bcrypt hash, the address, the name).
            let userTexts = Dictionary(grouping: values.filter { $0.table == "users" }, by: \.value).keys
            for wrapped in values where wrapped.table == "incident_handler_keys" && wrapped.column == "wrapped_private_key" {
                for id in userIDs {
                    for guess in [""] + userTexts
                    where (try? IncidentCrypto.unwrap(wrapped.value, password: guess, context: "user:\(id)")) != nil {
                        opened.append("a handler's key with '\(guess.prefix(8))'")
                    }
                }
            }
            // Sessions' and pending sign-ins' copies: HKDF of every token-like value as the cookie.
            let opensSessionCopy = Self.opensSessionCopy
            let tokens = tokenLikeValues
            for copy in values where ["sessions", "pending_sign_ins"].contains(copy.table) && copy.column == "incident_key" {
                for token in tokens where opensSessionCopy(copy.value, token) {
                    opened.append("\(copy.table).incident_key with '\(token.prefix(8))'")
                }
            }
            return opened
        }

        /// HKDF-SHA256 of `token` as the session copy's key, derived here as docs/incidents.md
        /// describes it (not with the code under test, which would share a mistake in it).
        static func opensSessionCopy(_ stored: String, token: String) -> Bool {
            let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(token.utf8)),
                                             info: Data("otwarty session incident key v1".utf8), outputByteCount: 32)
            guard let combined = Data(base64Encoded: stored), let box = try? AES.GCM.SealedBox(combined: combined) else { return false }
            return (try? AES.GCM.open(box, using: key, authenticating: Data("session-key".utf8))) != nil
        }
    }

    @Test func everythingTheServerHoldsOpensNothing() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, _ in
            let anna = try await app.signedIn(.incidentHandler)
            let ben = try await app.signedIn(.programmeCoordinator)
            // The recovery key's private part goes on paper: the server keeps only the public part.
            _ = try await app.services.incidentKeys.makeRecoveryKey(replacing: nil)
            var cases: [Reported] = []
            for n in 1...3 {
                let reported = try await Self.report(app, n)
                cases.append(reported)
                try await app.services.incidents.triage(id: reported.id, category: .verbalAbuse, classification: .hateSpeech,
                                                        note: Self.sentinel("note", n), by: anna.user, key: anna.incidentKey)
                try await app.services.incidents.addAction(id: reported.id, on: app.services.clock.today, text: Self.sentinel("public", n),
                                                           isPublic: true, by: ben.user, key: ben.incidentKey)
            }
            try await app.services.incidents.addInformation(caseCode: cases[0].code, passphrase: cases[0].passphrase,
                                                            text: Self.sentinel("addition", 1))
            try await app.services.incidents.close(id: cases[2].id, outcomeKind: .resolved, outcome: Self.sentinel("outcome", 3),
                                                   publicNote: "", by: anna.user, key: anna.incidentKey)
            // A handler signs in (their key is unlocked and read with), then signs out.
            let again = try await Self.signIn(app, anna.user.email)
            let read = try await app.services.incidents.open(id: cases[0].id, by: again.user, key: again.key)
            #expect(read.narrative == Self.sentinel("narrative", 1) && read.events.contains { $0.text == Self.sentinel("addition", 1) })
            try await app.services.accounts.endSession(token: again.token)
            #expect(try await app.services.incidentKeys.serverKeyUse() == .notNeeded, "no escrow: every handler had a key")

            let digests = Dictionary(uniqueKeysWithValues: try await app.services.repositories.incidents
                .list(statuses: [], limit: 100, offset: 0).map { ($0.caseCode, $0.passphraseDigest) })
            let ciphers = [("incident.key", app.services.incidentCipher), ("otp.key", app.services.otpCipher)]
            func check(_ copy: ServerCopy, _ moment: String) throws {
                #expect(copy.files["test.sqlite"].map { $0.count > 10_000 } == true)
                for (name, data) in copy.files {
                    #expect(data.range(of: Data(Self.marker.utf8)) == nil, "a sentinel is in \(name) (\(moment))")
                }
                for (name, value) in copy.environment { #expect(!value.contains(Self.marker), "a sentinel is in $\(name)") }
                #expect(copy.sealedValues.count >= 3 * 6, "the test tries the sealed values (\(moment))")
                let opened = try copy.attack(serverCiphers: ciphers, scrypt: app.services.incidentKeyScrypt, passphraseDigests: digests)
                #expect(opened.isEmpty, "\(moment): \(opened.count) opened: \(Set(opened.map { String($0.prefix(28)) }).sorted())")
            }
            // While the coordinator's session is live (its copy of the key is in `sessions`) …
            let live = try await ServerCopy.take(app)
            #expect(live.values.contains { $0.table == "sessions" && $0.column == "incident_key" && $0.value.count > 40 })
            // The attack's derivation is the right one: the browser's cookie (which the server does not keep) opens the copy.
            #expect(live.values.contains { $0.table == "sessions" && $0.column == "incident_key"
                && ServerCopy.opensSessionCopy($0.value, token: ben.sessionToken) })
            try check(live, "a session live")
            // … and after every session ended.
            for user in [anna, ben] { try await app.services.accounts.endSession(token: user.sessionToken) }
            let after = try await ServerCopy.take(app)
            #expect(!after.values.contains { $0.table == "sessions" })
            try check(after, "sessions ended")

            // The data was there to read: the handler's password opens it again.
            let back = try await Self.signIn(app, anna.user.email)
            for (n, reported) in cases.enumerated() {
                let opened = try await app.services.incidents.open(id: reported.id, by: back.user, key: back.key)
                #expect(opened.access == .readable)
                #expect(opened.narrative == Self.sentinel("narrative", n + 1) && opened.place == Self.sentinel("place", n + 1)
                        && opened.contact == Self.sentinel("contact", n + 1))
                #expect(opened.events.contains { $0.text == Self.sentinel("note", n + 1) })
                let status = try await app.services.incidents.status(caseCode: reported.code, passphrase: reported.passphrase)
                #expect(status.updates.contains { $0.text == Self.sentinel("public", n + 1) })
            }
        }
    }

    // MARK: 2. Reading after the real sign-in

    @Test func aHandlerReadsAfterTheWebSignInWithTheSecondFactor() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, client in
            let email = "czytelniczka@krakow.test"
            let (_, secret, _, _) = try await TwoFactorTests.enrolled(app, client, role: .incidentHandler, email: email)
            let reported = try await Self.report(app, 2)
            app.clock.advance(by: 60)
            var browser = TwoFactorTests.Browser(client: client)
            let password = try await browser.signIn(email, next: "/pl/incidents/\(reported.id)")
            #expect(password.status == .seeOther && password.headers[.location]?.hasPrefix("/pl/login/code") == true)
            #expect(browser.cookies["otwarty_session"] == nil, "no session before the code")
            _ = try await browser.get(try #require(password.headers[.location]))
            let done = try await browser.post("/pl/login/code", [("code", TwoFactorTests.code(app, secret: secret)),
                                                                 ("next", "/pl/incidents/\(reported.id)")])
            #expect(done.status == .seeOther)
            let page = try await browser.get("/pl/incidents/\(reported.id)")
            #expect(page.status == .ok)
            #expect(page.text.contains(Self.sentinel("narrative", 2)) && page.text.contains(Self.sentinel("contact", 2)))
            // Signed out, the cookie opens nothing.
            let cookies = browser.cookies
            _ = try await browser.post("/pl/logout", [])
            let stale = try await client.execute(uri: "/pl/incidents/\(reported.id)", method: .get,
                                                 headers: [.cookie: "otwarty_session=\(cookies["otwarty_session"] ?? "")"])
            #expect(stale.status != .ok && !stale.text.contains(Self.marker))
        }
    }

    // MARK: 3. A second instance

    @Test func aSecondInstanceSharingTheDatabaseServesTheSameSession() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, client in
            let email = "dwie-instancje@krakow.test"
            var (browser, _, _, _) = try await TwoFactorTests.enrolled(app, client, role: .incidentHandler, email: email)
            let reported = try await Self.report(app, 3)
            #expect(try await browser.get("/pl/incidents/\(reported.id)").text.contains(Self.sentinel("narrative", 3)))
            let cookies = browser.cookies
            try await app.withSecondInstance { _, otherClient in
                var other = TwoFactorTests.Browser(client: otherClient)
                other.cookies = cookies
                let page = try await other.get("/pl/incidents/\(reported.id)")
                #expect(page.status == .ok && page.text.contains(Self.sentinel("narrative", 3)), "the other instance opens the key")
                // Signing out on the first instance ends it on the second.
                var first = TwoFactorTests.Browser(client: client)
                first.cookies = cookies
                _ = try await first.get("/pl/incidents/\(reported.id)")
                #expect(try await first.post("/pl/logout", []).status == .seeOther)
                let after = try await other.get("/pl/incidents/\(reported.id)")
                #expect(after.status != .ok && !after.text.contains(Self.marker))
            }
        }
    }

    // MARK: 4. A reset handler

    @Test func aResetHandlerSeesNothingUntilGrantedAndTheAdministratorNeverReads() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, client in
            let anna = try await app.signedIn(.incidentHandler)
            let target = try await app.signedIn(.incidentHandler, email: "reset@krakow.test")
            let admin = try await app.signedIn(.administrator)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let reported = try await Self.report(app, 4)
            #expect(try await app.services.incidents.open(id: reported.id, by: target.user, key: target.incidentKey).access == .readable)

            // Two people: the administrator proposes a new password, the coordinator approves.
            let accounts = HandlerAccountService(accounts: app.services.accounts,
                                                 requests: app.services.repositories.handlerAccountRequests)
            let request = try await accounts.proposeNewPassword(userID: target.user.id, by: admin.user)
            guard case let .approved(_, token?) = try await accounts.approve(id: request.id, by: coordinator.user) else {
                Issue.record("no link")
                return
            }
            let newPassword = "nowe hasło nad Wisłą 2026"
            var browser = TwoFactorTests.Browser(client: client)
            #expect(try await browser.get("/pl/invitation/\(token)").status == .ok)
            let set = try await browser.post("/pl/invitation/\(token)", [("password", newPassword), ("passwordConfirmation", newPassword)])
            #expect(set.status == .seeOther)
            #expect(try await app.services.accounts.resolveSession(token: target.sessionToken) == nil, "old sessions ended")

            let reset = try await Self.signIn(app, target.user.email, password: newPassword)
            #expect(reset.key != nil && reset.key != target.incidentKey, "a new key pair")
            let locked = try await app.services.incidents.open(id: reported.id, by: reset.user, key: reset.key)
            #expect(locked.access == .locked(.notGranted) && locked.narrative == nil && locked.contact == nil)
            let old = try #require(try await app.services.incidentKeys.keys.grants(incidentID: reported.id)
                .first { $0.recipient == .user(target.user.id) })
            #expect(old.envelope == nil && old.revokedBecause == "password reset")
            await #expect(throws: DomainError.self) {
                try await app.services.incidents.addAction(id: reported.id, on: app.services.clock.today, text: "x", isPublic: false,
                                                           by: reset.user, key: reset.key)
            }
            #expect(try await app.services.repositories.audit.entries(subject: "user:\(target.user.id)", limit: 50)
                .contains { $0.action == "incident-keys.replaced" })

            // Another handler grants: now it reads.
            try await app.services.incidentKeys.grant(incidentID: reported.id, to: target.user.id, by: anna.user, key: anna.incidentKey)
            let granted = try await app.services.incidents.open(id: reported.id, by: reset.user, key: reset.key)
            #expect(granted.access == .readable && granted.narrative == Self.sentinel("narrative", 4))

            // The administrator never reads: no page, no key.
            let page = try await client.execute(uri: "/pl/incidents/\(reported.id)", method: .get, headers: admin.cookie)
            #expect(page.status == .forbidden && !page.text.contains(Self.marker))
            #expect(admin.incidentKey == nil)
            #expect(try await app.services.incidentKeys.keys.handlerKey(userID: admin.user.id) == nil)
            #expect(try await app.services.incidentKeys.unlock(user: admin.user, password: TestApp.goodPassword) == nil)
            #expect(!(try await app.services.incidentKeys.keys.grants(incidentID: reported.id)).contains { $0.recipient == .user(admin.user.id) })
        }
    }

    // MARK: 5. The recovery key

    @Test func theRecoveryKeyRestoresAccessAfterTheLastHandlerLeft() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, _ in
            let first = try await app.signedIn(.incidentHandler)
            let second = try await app.signedIn(.incidentHandler)
            let recovery = try await app.services.incidentKeys.makeRecoveryKey(replacing: nil).key
            let cases = [try await Self.report(app, 51), try await Self.report(app, 52)]
            // The administrator and coordinator arrive later: the coordinator's key holds no grant.
            let admin = try await app.signedIn(.administrator)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            #expect(try await app.services.incidents.open(id: cases[0].id, by: coordinator.user, key: coordinator.incidentKey).access
                    == .locked(.notGranted))

            // Both readers leave: one disabled, one moved to another role (two people).
            try await app.services.accounts.setDisabled(true, userID: first.user.id, by: admin.user.id)
            let accounts = HandlerAccountService(accounts: app.services.accounts,
                                                 requests: app.services.repositories.handlerAccountRequests)
            let change = try await accounts.proposeRoleChange(userID: second.user.id, to: .viewer, by: admin.user)
            _ = try await accounts.approve(id: change.id, by: coordinator.user)
            #expect(try await app.services.incidentKeys.keys.envelopes(recipient: .user(second.user.id)).isEmpty, "role changed")

            let newcomer = try await app.signedIn(.incidentHandler)
            #expect(try await app.services.incidents.open(id: cases[0].id, by: newcomer.user, key: newcomer.incidentKey).access
                    == .locked(.notGranted))
            await #expect(throws: DomainError.self) {
                _ = try await app.services.incidentKeys.recover(with: .generate(), to: newcomer.user.id)
            }
            #expect(try await app.services.incidentKeys.recover(with: recovery, to: newcomer.user.id) == 2)
            for (n, reported) in zip([51, 52], cases) {
                let opened = try await app.services.incidents.open(id: reported.id, by: newcomer.user, key: newcomer.incidentKey)
                #expect(opened.access == .readable && opened.narrative == Self.sentinel("narrative", n))
            }
            #expect(try await app.services.repositories.audit.entries(subject: "user:\(newcomer.user.id)", limit: 20)
                .contains { $0.action == "incident.recovered" })
        }
    }

    // MARK: 6. The reporter's passphrase

    @Test func aWrongPassphraseOpensNothingAndIsRefusedLikeAnUnknownCode() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, client in
            let handler = try await app.signedIn(.incidentHandler)
            let reported = try await Self.report(app, 6)
            try await app.services.incidents.addAction(id: reported.id, on: app.services.clock.today, text: Self.sentinel("public", 6),
                                                       isPublic: true, by: handler.user, key: handler.incidentKey)
            let wrongPassphrase = CaseCredentials.generate().passphrase
            let csrf = try await anonymousCSRF(client, page: "/en/report-incident/status")
            func page(_ code: String, _ passphrase: String) async throws -> TestResponse {
                try await client.execute(uri: "/en/report-incident/status", method: .post,
                                         headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                                         body: formBody([("_csrf", csrf), ("caseCode", code), ("passphrase", passphrase)]))
            }
            func api(_ code: String, _ passphrase: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/incidents/status", method: .post, headers: [.contentType: "application/json"],
                                         body: try jsonBody(["caseCode": code, "passphrase": passphrase]))
            }
            let unknownCode = "KR-0000-0000"
            let right = try await page(reported.code, reported.passphrase)
            #expect(right.status == .ok && right.text.contains(Self.sentinel("public", 6)))
            let wrong = try await page(reported.code, wrongPassphrase)
            let unknown = try await page(unknownCode, reported.passphrase)
            #expect(wrong.status == .notFound && unknown.status == .notFound)
            #expect(!wrong.text.contains(Self.marker))
            #expect(wrong.text.replacingOccurrences(of: reported.code, with: "") == unknown.text.replacingOccurrences(of: unknownCode, with: ""),
                    "the same page for both")

            let rightAPI = try await api(reported.code, reported.passphrase)
            #expect(rightAPI.status == .ok && rightAPI.text.contains(Self.sentinel("public", 6)))
            let wrongAPI = try await api(reported.code, wrongPassphrase)
            let unknownAPI = try await api(unknownCode, reported.passphrase)
            #expect(wrongAPI.status == .notFound && unknownAPI.status == .notFound)
            func json(_ response: TestResponse) throws -> NSDictionary? {
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? NSDictionary
            }
            #expect(try json(wrongAPI) != nil && json(wrongAPI) == json(unknownAPI), "the same answer for both")
            #expect(!wrongAPI.text.contains(Self.marker))

            // And the key a wrong passphrase derives opens no copy sealed to the reporter.
            let events = try await app.services.repositories.incidents.events(incidentID: reported.id)
            let copy = try #require(events.compactMap(\.sealedForReporter).first)
            let wrongKey = try IncidentCrypto.reporterKey(passphrase: wrongPassphrase, caseCode: reported.code,
                                                          parameters: app.services.incidentKeyScrypt)
            #expect(throws: IncidentKeyError.self) {
                try IncidentCrypto.open(copy, with: wrongKey, purpose: "reporter-update", caseCode: reported.code)
            }
            let rightKey = try IncidentCrypto.reporterKey(passphrase: reported.passphrase, caseCode: reported.code,
                                                          parameters: app.services.incidentKeyScrypt)
            #expect(String(decoding: try IncidentCrypto.open(copy, with: rightKey, purpose: "reporter-update", caseCode: reported.code),
                           as: UTF8.self) == Self.sentinel("public", 6))
        }
    }

    // MARK: 7. Purged cases

    @Test func aPurgedCaseOpensWithNoKeyTheRecoveryKeyIncluded() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, _ in
            let handler = try await app.signedIn(.incidentHandler)
            let recovery = try await app.services.incidentKeys.makeRecoveryKey(replacing: nil).key
            let purged = try await Self.report(app, 71)
            let kept = try await Self.report(app, 72)
            try await app.services.incidents.addAction(id: purged.id, on: app.services.clock.today, text: Self.sentinel("public", 71),
                                                       isPublic: true, by: handler.user, key: handler.incidentKey)
            try await app.services.incidents.close(id: purged.id, outcomeKind: .resolved, outcome: Self.sentinel("outcome", 71),
                                                   publicNote: "", by: handler.user, key: handler.incidentKey)
            // What opened the case before: its envelopes and sealed texts, as stored.
            let grants = try await app.services.incidentKeys.keys.grants(incidentID: purged.id)
            #expect(grants.contains { $0.recipient == .recovery(1) && $0.isLive } && grants.contains { $0.recipient == .user(handler.user.id) })
            let stored = try #require(try await app.services.repositories.incidents.incident(id: purged.id))
            let events = try await app.services.repositories.incidents.events(incidentID: purged.id)
            let sealed = grants.compactMap(\.envelope) + [stored.sealedNarrative, stored.sealedPlace, stored.sealedContact, stored.sealedOutcome]
                .compactMap { $0 } + events.compactMap(\.sealedText) + events.compactMap(\.sealedForReporter)
            let before = Self.files(app).values.reduce(Data(), +)
            #expect(sealed.allSatisfy { before.range(of: Data($0.prefix(40).utf8)) != nil }, "the test sees them on disk first")

            app.clock.advance(by: 86_400)
            #expect(try await app.services.incidents.purge(retentionMonths: 0) == 1)

            // No envelope row is left for any key.
            let rows = try await app.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM incident_case_keys WHERE incident_id = \(bind: purged.id)").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(rows == 0)
            let opened = try await app.services.incidents.open(id: purged.id, by: handler.user, key: handler.incidentKey)
            #expect(opened.narrative == nil && opened.place == nil && opened.contact == nil && opened.outcome == nil)
            #expect(opened.events.allSatisfy { $0.text == nil })
            // The recovery key grants the kept case only.
            let newcomer = try await app.signedIn(.incidentHandler)
            #expect(try await app.services.incidentKeys.recover(with: recovery, to: newcomer.user.id) == 1)
            #expect(try await app.services.incidentKeys.keys.grants(incidentID: purged.id).isEmpty)
            #expect(try await app.services.incidents.open(id: kept.id, by: newcomer.user, key: newcomer.incidentKey).access == .readable)
            #expect(try await app.services.incidents.open(id: purged.id, by: newcomer.user, key: newcomer.incidentKey).narrative == nil)
            // The reporter's way back is closed too.
            await #expect(throws: DomainError.self) {
                _ = try await app.services.incidents.status(caseCode: purged.code, passphrase: purged.passphrase)
            }
            // And the files: neither the envelopes nor the sealed texts are left after the scrub.
            let after = Self.files(app).values.reduce(Data(), +)
            for value in sealed { #expect(after.range(of: Data(value.prefix(40).utf8)) == nil, "\(value.prefix(12))… is still on disk") }
        }
    }

    // MARK: 8. The move from the server key

    @Test func theUpgradeReSealsServerKeyCasesHandsThemToEachWaitingHandlerThenDropsTheEscrow() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, _ in
            let services = app.services
            // Three handlers from before the upgrade: a password, no key pair yet.
            let hasher = BcryptPasswordHasher(cost: 4)
            var waiting: [User] = []
            for name in ["pierwsza", "druga", "trzecia"] {
                waiting.append(try await services.repositories.users.create(
                    NewUser(email: "\(name)@krakow.test", displayName: name, role: .incidentHandler, organisationID: nil,
                            passwordHash: try await hasher.hash(TestApp.goodPassword)), at: app.clock.now))
            }
            // A case sealed the old way, with the server key, and a public update.
            let cipher = services.incidentCipher
            let credentials = CaseCredentials.generate()
            let code = credentials.caseCode
            let legacy = StoredIncident(
                metadata: IncidentMetadata(caseCode: code, receivedOn: app.services.clock.today, occurredOn: nil, district: District(number: 1),
                                           category: .threat, motivations: [.religion], reporterRole: .victim, policeInformed: .no,
                                           language: "pl", consentToContact: false),
                passphraseDigest: CaseCredentials.digest(passphrase: credentials.passphrase, caseCode: code),
                sealedNarrative: try cipher.seal(Self.sentinel("narrative", 8), context: "\(code)/narrative"),
                sealedPlace: try cipher.seal(Self.sentinel("place", 8), context: "\(code)/place"),
                sealedContact: nil, sealing: .serverKey)
            let id = try await services.repositories.incidents.create(legacy, grants: [])
            try await services.repositories.incidents.addEvent(StoredIncidentEvent(
                incidentID: id, kind: .action, on: app.services.clock.today, sealedText: try cipher.seal(Self.sentinel("public", 8), context: "\(code)/event"),
                isPublic: true, by: waiting[0].id))
            // As migration 23 does for enabled handlers with a password.
            let pendingIDs = waiting.map(\.id)
            try await services.database.withConnection { db in
                for id in pendingIDs { try await db.insert(into: "incident_key_migration").columns("user_id").values(SQLBind(id)).run() }
            }
            #expect(try await services.incidentKeys.serverKeyUse() == .needed(cases: 1))
            // Before re-sealing, the reporter still reads the update (opened with the server key).
            #expect(try await services.incidents.status(caseCode: code, passphrase: credentials.passphrase).updates.first?.text
                    == Self.sentinel("public", 8))

            // The first handler signs in: the case gets its own content key, sealed to them and kept in escrow.
            let first = try await Self.signIn(app, waiting[0].email)
            let resealed = try #require(try await services.repositories.incidents.incident(id: id))
            #expect(resealed.sealing == .caseKey && resealed.casePublicKey != nil)
            #expect(throws: (any Error).self) { try cipher.open(resealed.sealedNarrative ?? "", context: "\(code)/narrative") }
            let opened = try await services.incidents.open(id: id, by: first.user, key: first.key)
            #expect(opened.access == .readable && opened.narrative == Self.sentinel("narrative", 8) && opened.place == Self.sentinel("place", 8))
            #expect(opened.events.first?.text == Self.sentinel("public", 8))
            #expect(try await services.incidentKeys.keys.grants(incidentID: id).contains { $0.recipient == .server && $0.isLive })
            #expect(try await services.incidentKeys.serverKeyUse() == .needed(cases: 1))
            // The reporter's copy was made at that opening: the passphrase reads the update.
            #expect(try await services.incidents.status(caseCode: code, passphrase: credentials.passphrase).updates.first?.text
                    == Self.sentinel("public", 8))

            // The third handler's password is reset (two people) before they ever signed in: no escrowed case for them.
            let admin = try await app.signedIn(.administrator)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let accounts = HandlerAccountService(accounts: services.accounts, requests: services.repositories.handlerAccountRequests)
            let request = try await accounts.proposeNewPassword(userID: waiting[2].id, by: admin.user)
            guard case let .approved(_, token?) = try await accounts.approve(id: request.id, by: coordinator.user) else {
                Issue.record("no link")
                return
            }
            let newPassword = "nowe hasło nad Wisłą 2026"
            _ = try await services.accounts.acceptInvitation(token: token, password: newPassword)
            let reset = try await Self.signIn(app, waiting[2].email, password: newPassword)
            #expect(try await services.incidents.open(id: id, by: reset.user, key: reset.key).access == .locked(.notGranted))
            #expect(!(try await services.incidentKeys.keys.migrationPending()).contains(waiting[2].id))

            // The second signs in and gets the case from the escrow; nobody waits any more, so it goes.
            let second = try await Self.signIn(app, waiting[1].email)
            #expect(try await services.incidents.open(id: id, by: second.user, key: second.key).narrative == Self.sentinel("narrative", 8))
            #expect(!(try await services.incidentKeys.keys.grants(incidentID: id)).contains { $0.recipient == .server })
            #expect(try await services.incidentKeys.keys.migrationPending().isEmpty)
            #expect(try await services.incidentKeys.serverKeyUse() == .notNeeded)
            #expect(try await services.incidents.open(id: id, by: reset.user, key: reset.key).access == .locked(.notGranted),
                    "still nothing for the reset handler")
        }
    }
}

extension TestApp {
    /// A second application over the same SQLite file and key files, as a second instance behind
    /// a load balancer would run; closed when `body` returns.
    func withSecondInstance<R: Sendable>(_ body: @Sendable (AppServices, any TestClientProtocol) async throws -> R) async throws -> R {
        var logger = Logger(label: "second-instance")
        logger.logLevel = .warning
        let services = try await AppServices.open(configuration, logger: logger, hasher: BcryptPasswordHasher(cost: 4), now: clock.function)
        do {
            let application = try await buildApplication(configuration, services: services, logger: logger)
            let result = try await application.test(.router) { client in try await body(services, client) }
            try await services.shutdown()
            return result
        } catch {
            try? await services.shutdown()
            throw error
        }
    }
}

import Foundation
import OtwartyApp
import OtwartyCore
import OtwartyQR
import Testing

/// Issue 14's commands: `otwarty incidents recovery-key` prints a key once (text and QR code) that
/// `otwarty incidents recover` accepts to give every covered case to a handler; both refuse what
/// they must, with a message saying why; `serve` says what incident.key still opens.
@Suite struct IncidentCommandsTests {
    static func makeKey(_ app: TestApp, replace: Bool = false, lost: Bool = false, old: String? = nil,
                        svg: String? = nil) async throws -> IncidentRecovery.Made {
        try await IncidentRecovery.makeKey(services: app.services, replace: replace, oldIsLost: lost, oldKey: {
            guard let old else { throw Unasked() }
            return old
        }, svgPath: svg)
    }

    /// The key must not be read when the command refuses anyway.
    struct Unasked: Error {}

    /// The two lines of the key as printed (indented, groups of 4 joined by dashes).
    static func printedKey(_ output: String) -> [String] {
        output.split(separator: "\n").filter { $0.hasPrefix("    ") && $0.contains("-") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func failure(_ body: () async throws -> Void) async -> String {
        do {
            try await body()
            return "(no error)"
        } catch {
            return "\(error)"
        }
    }

    @Test func theKeyPrintedOnceRecoversACaseForAHandlerWhoseKeyCameAfterTheReport() async throws {
        try await TestApp.withApp { app, _ in
            let first = try await app.signedIn(.incidentHandler)
            let (id, _) = try await IncidentHandlingTests.report(app)
            let made = try await Self.makeKey(app)
            #expect(made.covered == 0 && made.uncovered == 1)
            #expect(made.output.contains("It opens 0 case(s) now. 1 case(s) are not covered yet"))
            #expect(made.output.contains("keep it in a safe"))
            let lines = Self.printedKey(made.output)
            #expect(lines.count == 2 && lines.allSatisfy { $0.count == 7 * 4 + 6 }, "\(lines)")
            #expect(try RecoveryKeyText.parse(lines.joined()) == made.key)
            // Only the public part is stored.
            #expect(try await app.services.incidentKeys.keys.activeRecoveryKey()?.publicKey == made.key.publicKey)

            // The handler opens the case: it is sealed to the recovery key from then on.
            _ = try await app.services.incidents.open(id: id, by: first.user, key: first.incidentKey)

            // A handler whose key was made after the report cannot read it…
            let newcomer = try await app.signedIn(.incidentHandler)
            #expect(try await app.services.incidents.open(id: id, by: newcomer.user, key: newcomer.incidentKey).access
                    == .locked(.notGranted))
            // …until the recovery key, typed from paper (lower case, spaces, a line break, O for 0), gives it to them.
            let typed = lines.joined(separator: "\n").lowercased().replacingOccurrences(of: "-", with: " ")
                .replacingOccurrences(of: "0", with: "o") + "\n"
            let recovered = try await IncidentRecovery.recover(services: app.services, key: { typed }, to: newcomer.user.email.uppercased())
            #expect(recovered.granted == 1 && recovered.alreadyReadable == 0 && recovered.notCovered == 0)
            #expect(recovered.output.contains("can now read 1 more case(s)"))
            let opened = try await app.services.incidents.open(id: id, by: newcomer.user, key: newcomer.incidentKey)
            #expect(opened.access == .readable && opened.narrative == "case")
            let audit = try await app.services.repositories.audit.entries(subject: "user:\(newcomer.user.id)", limit: 10)
            #expect(audit.contains { $0.action == "incident.recovered" })

            // Again: nothing new, and a case reported since is covered at once.
            _ = try await IncidentHandlingTests.report(app)
            let again = try await IncidentRecovery.recover(services: app.services, key: { lines.joined() }, to: newcomer.user.email)
            #expect(again.granted == 0 && again.alreadyReadable == 2 && again.notCovered == 0)
        }
    }

    @Test func aSecondKeyIsRefusedWithoutReplaceAndReplacingNeedsTheCurrentOne() async throws {
        try await TestApp.withApp { app, _ in
            let handler = try await app.signedIn(.incidentHandler)
            // --replace with nothing to replace.
            // (Each message is taken before #expect: a closure literal inside the macro's expression
            // was seen to run again in a later #expect of the same test.)
            let nothingToReplace = await Self.failure { _ = try await Self.makeKey(app, replace: true, old: "x") }
            #expect(nothingToReplace.contains("there is no recovery key to replace yet"), "\(nothingToReplace)")
            let made = try await Self.makeKey(app)
            let (id, _) = try await IncidentHandlingTests.report(app)
            _ = try await app.services.incidents.open(id: id, by: handler.user, key: handler.incidentKey)

            // Without --replace: refused before anything is read, the key unchanged.
            let refused = await Self.failure { _ = try await Self.makeKey(app) }
            #expect(refused.hasPrefix("a recovery key already exists (made 2") && refused.contains("--replace"), "\(refused)")
            // With a well-formed key that is not the current one.
            let other = RecoveryKeyText.lines(HandlerPrivateKey.generate()).joined(separator: "\n")
            let wrong = await Self.failure { _ = try await Self.makeKey(app, replace: true, old: other) }
            #expect(wrong.contains("this is not the current recovery key") && wrong.contains("Nothing was changed"), "\(wrong)")
            // With a mistyped one.
            var typo = Array(RecoveryKeyText.compact(made.key))
            typo[10] = typo[10] == "A" ? "B" : "A"
            let mistyped = await Self.failure { _ = try await Self.makeKey(app, replace: true, old: String(typo)) }
            #expect(mistyped.contains("mistyped"), "\(mistyped)")
            #expect(try await app.services.incidentKeys.keys.activeRecoveryKey()?.publicKey == made.key.publicKey)

            // With the current one: the covered case moves to the new key; the old key opens nothing.
            let replaced = try await Self.makeKey(app, replace: true, old: RecoveryKeyText.compact(made.key))
            #expect(replaced.covered == 1 && replaced.uncovered == 0 && replaced.output.contains("the old one no longer opens anything"))
            let stale = await Self.failure {
                _ = try await IncidentRecovery.recover(services: app.services, key: { RecoveryKeyText.compact(made.key) }, to: handler.user.email)
            }
            #expect(stale.contains("this is not the current recovery key"), "\(stale)")
            let newcomer = try await app.signedIn(.incidentHandler)
            let recovered = try await IncidentRecovery.recover(services: app.services, key: { RecoveryKeyText.compact(replaced.key) },
                                                               to: newcomer.user.email)
            #expect(recovered.granted == 1)
        }
    }

    /// A lost recovery key can be replaced without it: its envelopes are deleted (whoever finds it
    /// opens nothing stored), and the new key covers each case the next time a handler opens it.
    @Test func aLostKeyIsRetiredAndTheNewOneCoversCasesAsHandlersOpenThem() async throws {
        try await TestApp.withApp { app, _ in
            #expect(throws: (any Error).self) { _ = try OtwartyCommand.parseAsRoot(["incidents", "recovery-key", "--lost"]) }
            _ = try OtwartyCommand.parseAsRoot(["incidents", "recovery-key", "--replace", "--lost"])

            let handler = try await app.signedIn(.incidentHandler)
            let lost = try await Self.makeKey(app)
            let oldID = try #require(try await app.services.incidentKeys.keys.activeRecoveryKey()).id
            let (id, _) = try await IncidentHandlingTests.report(app)
            #expect(try await app.services.incidentKeys.keys.envelopes(recipient: .recovery(oldID)).count == 1)

            let replaced = try await Self.makeKey(app, replace: true, lost: true) // nothing is read
            #expect(replaced.covered == 0 && replaced.uncovered == 1)
            #expect(replaced.output.hasPrefix("The lost recovery key was retired"))
            #expect(try await app.services.incidentKeys.keys.envelopes(recipient: .recovery(oldID)).isEmpty)
            let newcomer = try await app.signedIn(.incidentHandler)
            let stale = await Self.failure {
                _ = try await IncidentRecovery.recover(services: app.services, key: { RecoveryKeyText.compact(lost.key) }, to: newcomer.user.email)
            }
            #expect(stale.contains("this is not the current recovery key"), "\(stale)")

            let before = try await IncidentRecovery.recover(services: app.services, key: { RecoveryKeyText.compact(replaced.key) },
                                                            to: newcomer.user.email)
            #expect(before.granted == 0 && before.notCovered == 1)
            _ = try await app.services.incidents.open(id: id, by: handler.user, key: handler.incidentKey)
            let after = try await IncidentRecovery.recover(services: app.services, key: { RecoveryKeyText.compact(replaced.key) },
                                                           to: newcomer.user.email)
            #expect(after.granted == 1 && after.notCovered == 0)
            let audit = try await app.services.repositories.audit.entries(subject: "recovery:\(oldID + 1)", limit: 5)
            #expect(audit.map(\.detail) == ["replaced recovery:\(oldID) (lost)"])
        }
    }

    @Test func malformedKeysAreRefusedSayingWhatIsWrong() throws {
        let key = HandlerPrivateKey.generate()
        let compact = RecoveryKeyText.compact(key)
        #expect(compact.count == 56 && compact.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        #expect(try RecoveryKeyText.parse(RecoveryKeyText.lines(key).joined(separator: "\r\n")) == key)
        #expect(try RecoveryKeyText.parse(" " + compact.lowercased().map { "\($0) " }.joined() + "\n") == key)

        #expect(throws: RecoveryKeyText.ParseError.empty) { try RecoveryKeyText.parse(" \n -- \n") }
        #expect(throws: RecoveryKeyText.ParseError.length(55)) { try RecoveryKeyText.parse(String(compact.dropLast())) }
        #expect(throws: RecoveryKeyText.ParseError.length(57)) { try RecoveryKeyText.parse(compact + "0") }
        var withU = Array(compact)
        withU[13] = "u"
        #expect(throws: RecoveryKeyText.ParseError.character("U", group: 4)) { try RecoveryKeyText.parse(String(withU)) }
        // The server's old incident.key (base64) is not a recovery key.
        #expect(throws: RecoveryKeyText.ParseError.self) { try RecoveryKeyText.parse(FieldCipher.newKeyBase64()) }
        // Every single mistyped character of this key is caught by the checksum (a fixed key: a
        // 24-bit checksum misses one typo in 16 million, and the test must not depend on luck).
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let fixed = RecoveryKeyText.compact(try HandlerPrivateKey(rawRepresentation: Data((1...32).map { UInt8($0 * 7) })))
        for position in 0..<56 {
            var typo = Array(fixed)
            let index = alphabet.firstIndex(of: typo[position])!
            typo[position] = alphabet[(index + 1 + position % 31) % 32]
            #expect(throws: RecoveryKeyText.ParseError.checksum, "position \(position)") { try RecoveryKeyText.parse(String(typo)) }
        }
        #expect(RecoveryKeyText.ParseError.length(55).description.contains("has 56 characters (14 groups of 4); this has 55"))
        #expect(RecoveryKeyText.ParseError.character("U", group: 4).description.contains("“U” in group 4"))
    }

    @Test func recoverRefusesAccountsThatCannotHoldCasesBeforeAskingForTheKey() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await app.signedIn(.incidentHandler)
            let made = try await Self.makeKey(app)
            let typed = RecoveryKeyText.compact(made.key)
            func recover(_ email: String, key: String? = nil) async -> String {
                await Self.failure {
                    _ = try await IncidentRecovery.recover(services: app.services, key: {
                        guard let key else { throw Unasked() }
                        return key
                    }, to: email)
                }
            }
            #expect(await recover("nobody@example.org") == "no account has the e-mail address nobody@example.org")
            let viewer = try await app.signedIn(.viewer)
            #expect(await recover(viewer.user.email).contains("is viewer: only an incident handler or the programme coordinator"))
            let admin = try await app.signedIn(.administrator)
            #expect(await recover(admin.user.email).contains("is administrator: only an incident handler"))
            let (invited, _) = try await app.services.accounts.invite(email: "new-handler@example.org", displayName: "New",
                                                                      role: .incidentHandler, organisationID: nil, by: nil)
            #expect(await recover(invited.email).contains("has no key yet: they get one when they set their password"))
            let disabled = try await app.signedIn(.incidentHandler)
            try await app.services.accounts.setDisabled(true, userID: disabled.user.id, by: nil)
            #expect(await recover(disabled.user.email).contains("is disabled"))
            // A handler who can hold cases, and a malformed key: the parse error, nothing granted.
            let handler = try await app.signedIn(.incidentHandler)
            #expect(await recover(handler.user.email, key: String(typed.dropLast(2))).contains("this has 54"))
            #expect(await recover(handler.user.email, key: "").contains("no recovery key on standard input"))
            #expect(try await app.services.repositories.audit.entries(subject: "user:\(handler.user.id)", limit: 10)
                .contains { $0.action == "incident.recovered" } == false)
        }
    }

    @Test func recoverWithoutAnyRecoveryKeySaysSo() async throws {
        try await TestApp.withApp { app, _ in
            let handler = try await app.signedIn(.incidentHandler)
            let message = await Self.failure {
                _ = try await IncidentRecovery.recover(services: app.services, key: { throw Unasked() }, to: handler.user.email)
            }
            #expect(message.contains("no recovery key was ever made"), "\(message)")
        }
    }

    @Test func theSVGFileIsNewAndReadableOnlyByItsOwner() async throws {
        try await TestApp.withApp { app, _ in
            let path = app.folder.appendingPathComponent("recovery.svg").path
            let made = try await Self.makeKey(app, svg: path)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let svg = try String(contentsOfFile: path, encoding: .utf8)
            #expect(svg.hasPrefix("<svg") && svg.contains("Otwarty recovery key") && !svg.contains(RecoveryKeyText.compact(made.key)))
            #expect(svg == (try QRCode.encode(RecoveryKeyText.compact(made.key)))
                .svg(title: "Otwarty recovery key, \(app.services.clock.today)", moduleSize: 8))
            #expect(made.output.contains("The QR code is also in \(path)"))

            // An existing file is never written over, and no key is made: the replacement is refused first.
            let existing = app.folder.appendingPathComponent("taken.svg").path
            try Data("mine".utf8).write(to: URL(fileURLWithPath: existing))
            let current = try RecoveryKeyText.lines(made.key).joined()
            let refused = await Self.failure { _ = try await Self.makeKey(app, replace: true, old: current, svg: existing) }
            #expect(refused.contains("--svg \(existing): it exists already"), "\(refused)")
            #expect(try String(contentsOfFile: existing, encoding: .utf8) == "mine")
            #expect(try await app.services.incidentKeys.keys.activeRecoveryKey()?.publicKey == made.key.publicKey)
        }
    }

    /// The terminal drawing holds exactly the symbol's modules, two rows a line, with the quiet zone.
    @Test func theTerminalQRCodeDrawsEveryModule() throws {
        let code = try QRCode.encode(RecoveryKeyText.compact(HandlerPrivateKey.generate()))
        #expect(code.version == 4) // 56 bytes at level M: 33 modules a side
        let lines = TerminalQR.lines(code, colour: false)
        let side = code.size + 8
        #expect(lines.count == (side + 1) / 2 && lines.allSatisfy { $0.count == side })
        for (row, line) in lines.enumerated() {
            for (column, character) in line.enumerated() {
                let (x, y) = (column - 4, row * 2 - 4)
                let (top, bottom): (Bool, Bool) = switch character {
                case "█": (true, true)
                case "▀": (true, false)
                case "▄": (false, true)
                default: (false, false)
                }
                #expect(top == code[x, y] && bottom == code[x, y + 1], "module \(x),\(y)")
            }
        }
        #expect(TerminalQR.lines(code, colour: true).allSatisfy { $0.hasPrefix("\u{1B}[30;107m") && $0.hasSuffix("\u{1B}[0m") })
    }

    @Test func serveSaysWhatIncidentKeyStillOpens() async throws {
        try await TestApp.withApp { app, _ in
            // A new installation: no recovery key, no handler with a key.
            var lines = try await IncidentKeyNotices.atStart(app.services).map(\.text)
            #expect(lines.contains { $0.hasPrefix("no recovery key:") && $0.contains("otwarty incidents recovery-key") })
            #expect(lines.contains { $0.hasPrefix("no incident handler has a key yet, so no one can read a report") })
            #expect(lines.contains("incident.key opens no case text now, but new reports are also sealed with it until a handler has "
                                   + "a key, so none is lost to everyone"))

            // A recovery key, then a report before any handler: sealed to the recovery key and escrowed.
            _ = try await Self.makeKey(app)
            let (id, _) = try await IncidentHandlingTests.report(app)
            lines = try await IncidentKeyNotices.atStart(app.services).map(\.text)
            #expect(lines.contains("incident.key still opens 1 case(s) reported before any handler had a key; the first handler to "
                                   + "get a key gets them, and then it is no longer needed for them"), "\(lines)")
            #expect(!lines.contains { $0.hasPrefix("no recovery key") })
            // The escrow survived the start (the recovery key's envelope is no handler's): the first handler reads the case.
            let handler = try await app.signedIn(.incidentHandler)
            #expect(try await app.services.incidents.open(id: id, by: handler.user, key: handler.incidentKey).access == .readable)

            lines = try await IncidentKeyNotices.atStart(app.services).map(\.text)
            #expect(lines == ["incident.key no longer opens any case text; it now only seals the reporter's 10-minute receipt"])
            #expect(try await app.services.incidentKeys.serverKeyUse() == .notNeeded)
            #expect(try await IncidentKeyNotices.housekeeping(app.services).isEmpty)
        }
    }

    /// The real executable, as an operator runs it: the second `recovery-key` exits non-zero with
    /// the reason; `recover` reads the key from standard input.
    @Test func theExecutableRefusesASecondKeyAndReadsTheKeyFromStandardInput() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = root.appendingPathComponent(".build/debug/otwarty")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { return } // built by `swift build`; not in every setup
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-recovery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("cli.sqlite").path

        func run(_ arguments: [String], input: String = "") throws -> (Int32, String, String) {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.environment = ["DATABASE_URL": "sqlite://\(path)", "LOG_LEVEL": "error", "PATH": "/usr/bin:/bin",
                                   "OTWARTY_INCIDENT_SCRYPT_LOG_N": "10", "OTWARTY_BCRYPT_COST": "10"]
            let out = Pipe(), err = Pipe(), stdin = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = stdin
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }

        let (made, output, _) = try run(["incidents", "recovery-key"])
        #expect(made == 0)
        let key = Self.printedKey(output)
        #expect(key.count == 2 && output.contains("▀"), "\(output)")
        let (again, _, errors) = try run(["incidents", "recovery-key"])
        #expect(again != 0 && errors.contains("error: a recovery key already exists"), "\(errors)")

        let (created, _, _) = try run(["user", "create", "--role", "incident-handler", "--email", "h@example.org", "--password-stdin"],
                                      input: "zielony rower nad Wisłą\n")
        #expect(created == 0)
        let (recovered, said, _) = try run(["incidents", "recover", "--to", "h@example.org"], input: key.joined(separator: "\n") + "\n")
        #expect(recovered == 0 && said.contains("h@example.org can now read 0 more case(s)"), "\(said)")
        let (wrong, _, complaint) = try run(["incidents", "recover", "--to", "h@example.org"], input: "ABCD-EFGH\n")
        #expect(wrong != 0 && complaint.contains("this has 8"), "\(complaint)")
    }
}

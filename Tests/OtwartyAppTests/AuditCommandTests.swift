import Foundation
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
import OtwartyStorage
import SQLKit
import Testing

/// `otwarty audit verify` and the check at start (docs/security.md, "The audit trail as a hash
/// chain"): exit 0 with the count and head hash, 65 naming the entry; a broken chain shows on
/// `/healthz` and to administrators, and the server keeps serving.
@Suite struct AuditCommandTests {
    static func tamper(_ app: TestApp, _ statement: String) async throws {
        try await app.services.database.withConnection { db in try await db.raw(SQLQueryString(statement)).run() }
    }

    @Test func verifyExitsZeroWithTheCountAndHeadOr65NamingTheEntry() async throws {
        try await TestApp.withApp { app, _ in
            for n in 1...5 {
                try await app.services.repositories.audit.record(
                    AuditEntry(at: app.clock.now, actorUserID: nil, action: "test.step", subject: "thing:\(n)"))
            }
            let whole = try await AuditVerification.run(app.services)
            #expect(whole.status == 0)
            #expect(whole.output.contains("\(whole.report.count) entries, head \(whole.report.headHash)"))
            #expect(whole.report.count >= 6) // the programme load and the five

            let target = whole.report.count - 2
            try await Self.tamper(app, "UPDATE audit_log SET detail = 'edited' WHERE seq = \(target)")
            let broken = try await AuditVerification.run(app.services)
            #expect(broken.status == 65)
            #expect(broken.errors.contains("entry \(target) ") && broken.errors.contains("was changed"), "\(broken.errors)")
            #expect(broken.output.isEmpty)
        }
    }

    /// The real executable, as an operator runs it: exit status 0, then 65 after an edit in SQL.
    @Test func theExecutableExitsWith65OnABrokenChain() async throws {
        guard let binary = BuiltExecutable.debug else { return } // built by `swift build`; not in every setup
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("cli.sqlite").path

        func run() throws -> (Int32, String, String) { try binary.run(["audit", "verify"], sqlite: path) }

        let (status, output, _) = try run() // creates the database, loads the programme (one entry)
        #expect(status == 0)
        #expect(output.contains("hash chain is whole: 1 entries, head "))
        let database = try await Database.open(.sqlite(path: path), logger: .init(label: "test"))
        try await database.withConnection { db in try await db.raw("UPDATE audit_log SET subject = 'programme:other' WHERE seq = 1").run() }
        try await database.shutdown()
        let (broken, _, errors) = try run()
        #expect(broken == 65)
        #expect(errors.contains("entry 1 (row id 1, programme.loaded programme:other) was changed"), "\(errors)")
    }

    /// A break found at start: logged at critical level, `/healthz` says degraded, administrators
    /// see a banner on every page; everyone else, the incident form included, is served as before.
    @Test func aBrokenChainAtStartIsReportedNotFatal() async throws {
        let logs = LogCapture()
        try await TestApp.withApp(logs: logs) { app, client in
            let healthy = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthy.status == .ok && healthy.text.contains("\"audit_chain\":\"ok\"") && healthy.text.contains("\"status\":\"ok\""))
            let admin = try await app.signedIn(.administrator)
            let before = try await client.execute(uri: "/en/dashboard", method: .get, headers: admin.cookie)
            #expect(before.status == .ok && !before.text.contains("hash chain"))

            try await Self.tamper(app, "DELETE FROM audit_log WHERE seq = 1")
            await app.services.checkAuditChain(logger: .init(label: "test") { _ in logs.handler() })
            #expect(logs.text.contains("critical the audit trail's hash chain is broken: entry 1 is missing"))

            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.text.contains("\"status\":\"degraded\"") && health.text.contains("\"audit_chain\":\"broken\""))
            let page = try await client.execute(uri: "/en/dashboard", method: .get, headers: admin.cookie)
            #expect(page.status == .ok && page.text.contains("role=\"alert\"") && page.text.contains("otwarty audit verify"))
            // Others get no banner; the public incident form still works.
            let viewer = try await app.signedIn(.viewer)
            let viewerPage = try await client.execute(uri: "/en/dashboard", method: .get, headers: viewer.cookie)
            #expect(viewerPage.status == .ok && !viewerPage.text.contains("otwarty audit verify"))
            _ = try await IncidentTests.submit(client)
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import OtwartyApp
import OtwartyCore
import Testing

/// Issue 10, item 8: the second a report was sent is nowhere (audit trail, logs), and text purged
/// under the retention rule leaves the SQLite file, its WAL and SHM (docs/security.md).
@Suite struct IncidentAnonymityOnDiskTests {
    /// The reporter's audit entries are dated to the office day and join the chain after it,
    /// behind entries written later that day, so neither their time nor their place in the
    /// chain tells the second.
    @Test func anAnonymousReportIsInTheAuditTrailByDayOnly() async throws {
        let logs = LogCapture()
        try await TestApp.withApp(logs: logs) { app, client in
            app.clock.advance(by: 1_234) // not on a whole hour
            let sentAt = app.clock.now
            let linesBefore = logs.text.split(separator: "\n").count
            let (code, pass) = try await IncidentTests.submit(client)
            try await app.services.incidents.addInformation(caseCode: code, passphrase: pass, text: "one more thing")
            let newLines = logs.text.split(separator: "\n").dropFirst(linesBefore)
            // Trace and debug log every query (with its values): never run a live server at those levels.
            #expect(!newLines.contains { !($0.hasPrefix("trace") || $0.hasPrefix("debug")) },
                    "a report writes a log line at info level or above: \(newLines.filter { !$0.hasPrefix("trace") })")

            // Later that day a handler opens it (a timed entry).
            let handler = try await app.signedIn(.incidentHandler)
            app.clock.advance(by: 600)
            let id = try #require(try await app.services.repositories.incidents.incident(caseCode: code)).id
            #expect(try await client.execute(uri: "/pl/incidents/\(id)", method: .get, headers: handler.cookie).status == .ok)

            let audit = app.services.repositories.audit
            #expect(try await app.services.incidents.releaseHeldAuditEntries() == 0, "not before the day is over")
            #expect(try await audit.entries(subject: "incident:\(code)", limit: 10).map(\.action) == ["incident.viewed"])

            app.clock.advance(by: 86_400)
            #expect(try await app.services.incidents.releaseHeldAuditEntries() == 2)
            let entries = try await audit.entries(subject: "incident:\(code)", limit: 10)
            let anonymous = entries.filter { $0.action == "incident.received" || $0.action == "incident.reporter-note" }
            #expect(anonymous.count == 2)
            let startOfDay = app.services.clock.startOfDay(containing: sentAt)
            for entry in anonymous {
                #expect(entry.at == startOfDay, "\(entry.action) at \(entry.at), sent at \(sentAt)")
                #expect(entry.actorUserID == nil && entry.detail.isEmpty)
            }
            // Newest first: the reporter's entries come after the handler's view in the chain.
            #expect(entries.first.map { $0.action != "incident.viewed" } == true)
            #expect(entries.last?.action == "incident.viewed")
            #expect(try await audit.verify(tail: nil).problem == nil)
        }
    }

    @Test func purgedTextLeavesTheSQLiteFileWALAndSHM() async throws {
        try await TestApp.withApp { app, client in
            let narrative = "PURGE-SENTINEL-" + String(repeating: "Tramwaj 52, przystanek; ", count: 40)
            let (code, pass) = try await IncidentTests.submit(client, narrative: narrative)
            try await app.services.incidents.addInformation(caseCode: code, passphrase: pass, text: "PURGE-SENTINEL-NOTE more")
            let handler = try await app.signedIn(.incidentHandler)
            let stored = try #require(try await app.services.repositories.incidents.incident(caseCode: code))
            let closed = try await client.execute(uri: "/pl/incidents/\(stored.id)/close", method: .post, headers: handler.formHeaders(),
                                                  body: formBody([("_csrf", handler.csrfToken), ("outcomeKind", "resolved"),
                                                                  ("outcome", "Pomoc udzielona"), ("publicNote", ""), ("confirmed", "yes")]))
            #expect(closed.status == .seeOther)
            // The files hold only sealed text; with the key, a sealed string left behind opens.
            // So the sealed strings are the sentinels.
            let sealedCase = try #require(try await app.services.repositories.incidents.incident(caseCode: code))
            let sealed = [sealedCase.sealedNarrative, sealedCase.sealedPlace, sealedCase.sealedContact, sealedCase.sealedOutcome].compactMap { $0 }
                + (try await app.services.repositories.incidents.events(incidentID: stored.id).compactMap(\.sealedText))
            #expect(sealed.count >= 5)
            let before = try IncidentTests.rawDatabase(app)
            #expect(sealed.allSatisfy { before.range(of: Data($0.utf8)) != nil }, "the test sees the sealed text before the purge")

            app.clock.advance(by: 86_400 * 400)
            #expect(try await app.services.incidents.purge(retentionMonths: 12) == 1)
            let after = try IncidentTests.rawDatabase(app)
            // Any 32 characters of a sealed (random-looking) string cannot occur by chance.
            let left = sealed.flatMap { value in
                stride(from: 0, to: max(value.count - 32, 1), by: 32).map { String(value.dropFirst($0).prefix(32)) }
            }.filter { after.range(of: Data($0.utf8)) != nil }
            #expect(left.isEmpty, "\(left.count) pieces of sealed text are still in the files after the purge")
            #expect((FileManager.default.contents(atPath: app.folder.appendingPathComponent("test.sqlite-wal").path) ?? Data()).isEmpty)
        }
    }
}

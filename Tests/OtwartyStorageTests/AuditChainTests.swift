import Foundation
import OtwartyCore
@testable import OtwartyStorage
import SQLKit
import Testing

/// The audit trail as a hash chain (docs/security.md): tampering in SQL is named by `verify`,
/// concurrent appends never fork the chain, entries from before the chain are chained by the
/// migration, and anonymous reporters' entries join the chain only after their day.
@Suite struct AuditChainTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func entry(_ n: Int) -> AuditEntry {
        AuditEntry(at: t0.addingTimeInterval(Double(n)), actorUserID: nil, action: "test.entry\(n)", subject: "thing:\(n)",
                   detail: "detail \(n)")
    }

    static func fill(_ audit: SQLAuditLog, _ count: Int) async throws {
        for n in 1...count { try await audit.record(entry(n)) }
    }

    static func sql(_ database: Database, _ statement: String) async throws {
        try await database.withConnection { db in try await db.raw(SQLQueryString(statement)).run() }
    }

    // MARK: The canonical form

    /// Known answers computed outside Swift (Python's struct and hashlib) from the form the docs
    /// define, so the documented encoding and the code cannot drift apart.
    @Test func canonicalFormMatchesTheDocumentedEncoding() {
        let first = AuditChain.hash(sequence: 1, at: 1_750_000_000.5, actorUserID: 7, action: "user.invited", subject: "user:7",
                                    detail: "zażółć", previousHash: AuditChain.genesis)
        #expect(first == "a07f4fe15fc93cf18f55349830ac61671d7612c77669ab2c68a0b909aca5012a")
        let second = AuditChain.hash(sequence: 2, at: 1_750_000_001, actorUserID: nil, action: "programme.loaded",
                                     subject: "programme:x", detail: "", previousHash: first)
        #expect(second == "e026fbeb9ff88f9d1b3c0c52b3ac80f4853019f930607cd2b8d6436fe925306a")
    }

    /// Moving bytes from one field to the next gives another form (length prefixes), and so does
    /// an absent actor against actor 0.
    @Test func differentEntriesNeverShareACanonicalForm() {
        func form(_ action: String, _ subject: String, _ detail: String, actor: Int64? = nil) -> [UInt8] {
            AuditChain.canonicalForm(sequence: 1, at: 0, actorUserID: actor, action: action, subject: subject, detail: detail,
                                     previousHash: AuditChain.genesis)
        }
        let forms = [form("ab", "c", ""), form("a", "bc", ""), form("a", "b", "c"), form("", "abc", ""), form("abc", "", ""),
                     form("a", "b", "c", actor: 0)]
        #expect(Set(forms).count == forms.count)
    }

    // MARK: Verification

    @Test(arguments: DatabaseEngine.allCases)
    func anUntouchedChainChecksOut(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            let empty = try await audit.verify(tail: nil)
            #expect(empty.problem == nil && empty.count == 0 && empty.headHash == AuditChain.genesis)
            try await Self.fill(audit, 12)
            let report = try await audit.verify(tail: nil)
            #expect(report.problem == nil)
            #expect(report.count == 12)
            let last = try await database.withConnection { db in
                try await db.raw("SELECT entry_hash FROM audit_log WHERE seq = 12").first()?.decode(column: "entry_hash", as: String.self)
            }
            #expect(report.headHash == last)
            #expect(try await audit.verify(tail: 5).problem == nil)
            // Reading back still works and follows the chain's order.
            #expect(try await audit.entries(subject: nil, limit: 2) == [Self.entry(12), Self.entry(11)])
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func aChangedEntryIsNamed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            try await Self.fill(audit, 8)
            try await Self.sql(database, "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 5")
            let report = try await audit.verify(tail: nil)
            guard case let .changed(sequence, _, label) = report.problem else {
                Issue.record("expected a changed entry, got \(String(describing: report.problem))"); return
            }
            #expect(sequence == 5)
            #expect(label.contains("test.entry5"))
            #expect(report.count == 4)
            // A changed time is found the same way.
            try await Self.sql(database, "UPDATE audit_log SET detail = 'detail 5' WHERE seq = 5")
            try await Self.sql(database, "UPDATE audit_log SET at = at + 1 WHERE seq = 2")
            #expect(try await audit.verify(tail: nil).problem?.sequence == 2)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func aRemovedEntryIsNamed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            try await Self.fill(audit, 8)
            try await Self.sql(database, "DELETE FROM audit_log WHERE seq = 3")
            let report = try await audit.verify(tail: nil)
            #expect(report.problem == .missing(sequence: 3, next: "entry 4 (row id 4, test.entry4 thing:4)"))
            #expect(report.problem.map(String.init(describing:))?.contains("entry 3 is missing") == true)

            // Closing the gap by renumbering does not hide it: entry 3 no longer links to entry 2.
            try await Self.sql(database, "UPDATE audit_log SET seq = -seq WHERE seq > 3")
            try await Self.sql(database, "UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0")
            try await Self.sql(database, "UPDATE audit_chain SET seq = seq - 1")
            #expect(try await audit.verify(tail: nil).problem?.sequence == 3)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func removingTheNewestEntriesIsFound(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            try await Self.fill(audit, 6)
            try await Self.sql(database, "DELETE FROM audit_log WHERE seq >= 5")
            #expect(try await audit.verify(tail: nil).problem == .truncated(expectedSequence: 6, lastSequence: 4))
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func swappedEntriesAreNamed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            try await Self.fill(audit, 8)
            // Their places swapped: entry 3 now stands where 6 was and the other way round.
            try await Self.sql(database, "UPDATE audit_log SET seq = -3 WHERE seq = 3")
            try await Self.sql(database, "UPDATE audit_log SET seq = 3 WHERE seq = 6")
            try await Self.sql(database, "UPDATE audit_log SET seq = 6 WHERE seq = -3")
            let report = try await audit.verify(tail: nil)
            guard case let .broken(sequence, _, label) = report.problem else {
                Issue.record("expected a broken link, got \(String(describing: report.problem))"); return
            }
            #expect(sequence == 3)
            #expect(label.contains("test.entry6"))
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func swappedContentsAreNamed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            try await Self.fill(audit, 8)
            // What two rows say, swapped, their chain columns left in place.
            try await Self.sql(database, """
                UPDATE audit_log SET action = CASE seq WHEN 2 THEN 'test.entry7' ELSE 'test.entry2' END,
                                     subject = CASE seq WHEN 2 THEN 'thing:7' ELSE 'thing:2' END
                WHERE seq IN (2, 7)
                """)
            #expect(try await audit.verify(tail: nil).problem?.sequence == 2)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func rowsWrittenAroundTheChainAreNamed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            try await Self.fill(audit, 3)
            try await Self.sql(database, "INSERT INTO audit_log (at, action, subject, detail) VALUES (1, 'user.created', 'user:99', '')")
            guard case let .unchained(_, label) = try await audit.verify(tail: nil).problem else {
                Issue.record("expected an unchained row"); return
            }
            #expect(label.contains("user.created user:99"))
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func theTailCheckCoversTheNewestEntries(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            try await Self.fill(audit, 20)
            try await Self.sql(database, "UPDATE audit_log SET detail = 'x' WHERE seq = 3")
            #expect(try await audit.verify(tail: 10).problem == nil)
            #expect(try await audit.verify(tail: nil).problem?.sequence == 3)
            try await Self.sql(database, "UPDATE audit_log SET detail = 'x' WHERE seq = 15")
            #expect(try await audit.verify(tail: 10).problem?.sequence == 15)
            // A gap right at the start of the tail is named too.
            try await Self.sql(database, "UPDATE audit_log SET detail = 'detail 15' WHERE seq = 15")
            try await Self.sql(database, "DELETE FROM audit_log WHERE seq = 11")
            #expect(try await audit.verify(tail: 10).problem?.sequence == 11)
        }
    }

    // MARK: Appends

    /// Fifty appends at once, from separate connections: one chain, numbers 1…50, no fork.
    @Test(arguments: DatabaseEngine.allCases)
    func concurrentAppendsNeverFork(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            // Two repositories over the same database, as two server instances would be.
            let first = SQLAuditLog(database: database), second = SQLAuditLog(database: database)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 1...50 {
                    group.addTask {
                        // SQLite admits one writer at a time; a writer that waits longer than the
                        // busy timeout (a loaded machine running the whole suite) gets "database is
                        // locked" and nothing is written, as a client would see and retry. The
                        // promise tested here is that the chain never forks.
                        for attempt in 1...5 {
                            do {
                                try await (n.isMultiple(of: 2) ? first : second).record(Self.entry(n))
                                return
                            } catch where attempt < 5 && (error is StorageUnavailable || "\(error)".contains("locked")) {
                                // StorageUnavailable: the pool's 30 s wait for a connection ran out (PostgreSQL).
                                continue
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let report = try await first.verify(tail: nil)
            #expect(report.problem == nil)
            #expect(report.count == 50)
            let sequences = try await database.withConnection { db in
                try await db.raw("SELECT seq FROM audit_log ORDER BY seq").all().map { try $0.decode(column: "seq", as: Int64.self) }
            }
            #expect(sequences == Array(1...50))
        }
    }

    // MARK: Entries from before the chain

    /// Migration 12 chains what was there, in row-id order, deterministically: two databases
    /// with the same rows get the same head hash.
    @Test(arguments: DatabaseEngine.allCases)
    func theMigrationChainsEarlierEntries(engine: DatabaseEngine) async throws {
        var heads: [String] = []
        for _ in 0..<2 {
            try await TestDatabase.with(engine, migrated: false) { database in
                try await Migrations.run(on: database, migrations: Migrations.all.filter { $0.version < 12 })
                for n in 1...30 {
                    try await Self.sql(database, """
                        INSERT INTO audit_log (at, action, subject, detail)
                        VALUES (\(1_750_000_000 + Double(n) / 8), 'old.entry', 'thing:\(n)', 'before the chain \(n)')
                        """)
                }
                // Reports received before the chain, at their exact second, between timed entries.
                for (n, code) in [(3, "KR-ZZZZ-0001"), (17, "KR-AAAA-0002")] {
                    try await Self.sql(database, """
                        INSERT INTO audit_log (at, action, subject, detail)
                        VALUES (\(1_750_000_000 + 3_600 * Double(n) + 17), 'incident.received', 'incident:\(code)', '')
                        """)
                }
                try await Migrations.run(on: database)
                let audit = SQLAuditLog(database: database)
                let report = try await audit.verify(tail: nil)
                #expect(report.problem == nil)
                #expect(report.count == 32)
                // Dated to their office day and moved to the end, ordered by day and case code.
                let newest = try await audit.entries(subject: nil, limit: 2)
                #expect(newest.map(\.subject) == ["incident:KR-AAAA-0002", "incident:KR-ZZZZ-0001"]) // newest first: by day, then code
                let midnight = OfficeClock(timeZone: TimeZone(identifier: "Europe/Warsaw")!).startOfDay(containing: Date(timeIntervalSince1970: 1_750_000_000))
                #expect(newest.allSatisfy { $0.at == midnight || $0.at == midnight.addingTimeInterval(86_400) })
                try await audit.record(Self.entry(33))
                let after = try await audit.verify(tail: nil)
                #expect(after.problem == nil && after.count == 33)
                heads.append(report.headHash)
            }
        }
        #expect(heads.count == 2 && heads[0] == heads[1])
    }

    // MARK: Held entries (anonymous reporters)

    @Test(arguments: DatabaseEngine.allCases)
    func heldEntriesJoinTheChainAfterTheirDayInAnOrderThatSaysNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            let day = Self.t0, nextDay = Self.t0.addingTimeInterval(86_400)
            try await audit.record(Self.entry(1))
            // Arrival order z, a, m: the chain must not keep it.
            for code in ["KR-ZZZZ-ZZZZ", "KR-AAAA-AAAA", "KR-MMMM-MMMM"] {
                try await audit.hold(AuditEntry(at: day, actorUserID: nil, action: "incident.received", subject: "incident:\(code)"))
            }
            try await audit.record(Self.entry(2))
            #expect(try await audit.verify(tail: nil).held == 3)
            #expect(try await audit.releaseHeld(before: day) == 0)
            #expect(try await audit.entries(subject: nil, limit: 10).count == 2)

            #expect(try await audit.releaseHeld(before: nextDay) == 3)
            #expect(try await audit.releaseHeld(before: nextDay) == 0)
            let newest = try await audit.entries(subject: nil, limit: 3).reversed().map(\.subject)
            #expect(newest == ["incident:KR-AAAA-AAAA", "incident:KR-MMMM-MMMM", "incident:KR-ZZZZ-ZZZZ"])
            let report = try await audit.verify(tail: nil)
            #expect(report.problem == nil && report.count == 5 && report.held == 0)
            #expect(try await audit.entries(subject: "incident:KR-AAAA-AAAA", limit: 1).first?.at == day)
        }
    }
}

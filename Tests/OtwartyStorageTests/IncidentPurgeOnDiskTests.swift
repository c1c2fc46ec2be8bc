import Foundation
import OtwartyCore
@testable import OtwartyStorage
import SQLKit
import Testing

/// Text removed under the retention rule leaves the database files, not only the rows
/// (docs/security.md, "Anonymity of incident reporters on disk"). The sealed strings stand in
/// for the text: the repository never sees plain text, and with the key a sealed string left in
/// free space or the WAL would still open.
@Suite struct IncidentPurgeOnDiskTests {
    typealias F = ActivityFixtures

    static func sentinel(_ name: String) -> String {
        // Long enough to spill into overflow pages (SQLite) and TOAST (PostgreSQL) like a long report.
        "SENTINEL-\(name)-" + String(repeating: "\(name.prefix(1))q9Z", count: 1_200)
    }

    static func closedCase(_ incidents: SQLIncidentRepository, code: String) async throws -> IncidentID {
        var incident = IncidentStorageTests.incident(code)
        incident.sealedNarrative = sentinel("narrative")
        incident.sealedPlace = sentinel("place")
        incident.sealedContact = sentinel("contact")
        let id = try await incidents.create(incident, grants: [])
        var stored = try #require(try await incidents.incident(id: id))
        stored.status = .closed
        stored.closedOn = F.day("2026-03-10")
        stored.sealedOutcome = sentinel("outcome")
        try await incidents.update(stored)
        try await incidents.addEvent(StoredIncidentEvent(incidentID: id, kind: .reporterNote, on: F.day("2026-03-06"),
                                                         sealedText: sentinel("note")))
        return id
    }

    static let names = ["narrative", "place", "contact", "outcome", "note"]

    @Test func purgedTextIsNotInTheSQLiteFileWALOrSHM() async throws {
        try await TestDatabase.with(.sqlite) { database in
            guard case let .sqlite(path) = database.location else { return }
            let incidents = SQLIncidentRepository(database: database)
            _ = try await Self.closedCase(incidents, code: "KR-PURG-0001")
            func raw() -> Data {
                var data = Data()
                for suffix in ["", "-wal", "-shm"] { data.append(FileManager.default.contents(atPath: path + suffix) ?? Data()) }
                return data
            }
            #expect(raw().range(of: Data(Self.sentinel("narrative").prefix(200).utf8)) != nil, "the test sees the text before the purge")
            #expect(try await incidents.purge(closedOnOrBefore: F.day("2026-03-10"), today: F.day("2027-03-10")) == 1)
            try await incidents.scrubRemovedText(afterPurging: 1)
            let after = raw()
            for name in Self.names {
                // Any 40 bytes of the text would do; the head carries the name.
                #expect(after.range(of: Data(Self.sentinel(name).prefix(40).utf8)) == nil, "\(name) is still in the files")
            }
            let wal = FileManager.default.contents(atPath: path + "-wal") ?? Data()
            #expect(wal.isEmpty, "the WAL is emptied by the checkpoint")
        }
    }

    @Test func everySQLiteConnectionDeletesSecurely() async throws {
        try await TestDatabase.with(.sqlite) { database in
            // More than one pooled connection: each must have the setting.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await database.withConnection { db in
                            try await Task.sleep(for: .milliseconds(50))
                            return try await db.raw("PRAGMA secure_delete").first()?.decode(column: "secure_delete", as: Int.self) ?? -1
                        }
                    }
                }
                for try await value in group { #expect(value == 1) }
            }
        }
    }

    /// PostgreSQL: the tables are written anew (VACUUM FULL), so the old row versions with the
    /// text are not in the table's files any more; the new files hold none of it.
    @Test func postgresRewritesTheIncidentTablesAfterAPurge() async throws {
        guard DatabaseEngine.allCases.contains(.postgres) else { return }
        try await TestDatabase.with(.postgres) { database in
            let incidents = SQLIncidentRepository(database: database)
            let id = try await Self.closedCase(incidents, code: "KR-PURG-0002")
            // An envelope of the case's content key (issue 14): its deleted row must leave the files too.
            try await SQLIncidentKeyRepository(database: database).saveGrants([CaseKeyGrant(
                incidentID: id, recipient: .recovery(1), envelope: Self.sentinel("envelope"), grantedBy: nil,
                grantedAt: Date(timeIntervalSince1970: 1_770_000_000))])
            func fileNodes() async throws -> [Int64] {
                try await database.withConnection { db in
                    try await db.raw("""
                        SELECT pg_relation_filenode('incidents')::bigint AS a, pg_relation_filenode('incident_events')::bigint AS b,
                               pg_relation_filenode('incident_case_keys')::bigint AS c
                        """).first()
                        .map { row in try ["a", "b", "c"].map { try row.decode(column: $0, as: Int64.self) } } ?? []
                }
            }
            let before = try await fileNodes()
            #expect(try await incidents.purge(closedOnOrBefore: F.day("2026-03-10"), today: F.day("2027-03-10")) == 1)
            try await incidents.scrubRemovedText(afterPurging: 1)
            let after = try await fileNodes()
            #expect(before.count == 3 && after.count == 3 && zip(before, after).allSatisfy { $0 != $1 })
            // Nothing purged, nothing rewritten.
            try await incidents.scrubRemovedText(afterPurging: 0)
            #expect(try await fileNodes() == after)
        }
    }
}

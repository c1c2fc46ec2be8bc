import Foundation
import OtwartyCore
@testable import OtwartyStorage
import SQLKit
import Testing

/// The streamed import (issue 15): the file read a chunk at a time and stored while it is read,
/// on SQLite by a prepared statement below SQLKit, on PostgreSQL by `COPY FROM STDIN`. Still all
/// or nothing: a bad row late in a large file, after several batches went to the database,
/// leaves nothing behind (no record, no organisation, no audit entry, no data version bump).
@Suite struct ActivityImportStreamingTests {
    typealias S = ActivityImporterStorageTests
    typealias Column = ActivityCSV.Column
    let programme: Programme

    init() throws { programme = try EmbeddedProgrammes.krakow() }

    /// 12,000 rows (six batches, and over a megabyte: more than one chunk), with quoted line
    /// breaks, escapes COPY must write (`\`, tab), Polish letters and organisations to create.
    static func largeFile(badRow: (index: Int, changes: [Column: String])? = nil) -> String {
        var rows: [String] = []
        for i in 1...12_000 {
            var changes: [Column: String] = [
                .title: "Wiersz \(i) – zażółć gęślą jaźń", .participants: "\(i % 500)",
                .date: "2025-\(i % 12 + 1 < 10 ? "0" : "")\(i % 12 + 1)-1\(i % 9)",
                .notes: i % 7 == 0 ? "Dwie linie,\r\n\"cytat\" i C:\\katalog\tz tabulatorem" : "Notatka \(i)",
                .organisation: i % 1000 == 0 ? "Nowe Stowarzyszenie \(i / 1000)" : (i % 3 == 0 ? S.foundation : S.office),
                .participantsByAudience: i % 5 == 0 ? "residents:\(i % 500)" : "",
                .audience: i % 5 == 0 ? "residents" : "residents;migrants",
            ]
            if let badRow, badRow.index == i { changes.merge(badRow.changes) { $1 } }
            rows.append(S.row(changes))
        }
        return S.file(rows)
    }

    static func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-import-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    func version(_ database: Database) async throws -> Int64 {
        try await database.withConnection { try await DataVersion.current($0) }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func theFastPathReachesTheDriversConnection(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let found = try await database.transaction { db in
                engine == .sqlite ? SQLiteActivityImport.rawHandle(db) != nil : PostgresActivityImport.connection(db) != nil
            }
            // Without it the import still works, through SQLKit, at a quarter of the speed.
            #expect(found)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func aLargeFileIsStoredWhileItIsRead(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let s = try await S.setup(database)
            let text = Self.largeFile()
            let url = try Self.write(text)
            defer { try? FileManager.default.removeItem(at: url) }
            #expect(text.utf8.count > 1 << 20) // more than one chunk (ActivityCSVStream.chunkSize)
            let before = try await version(database)
            let outcome = try await s.importer.run(file: url, programme: programme,
                                                   options: .init(status: .submitted, createOrganisations: true), by: s.user)
            #expect(outcome.records == 12_000)
            #expect(outcome.organisationsCreated == (1...12).map { "Nowe Stowarzyszenie \($0)" }.sorted())
            #expect(try await version(database) == before + 1)

            // Every record as the whole-text parser reads it, every column.
            let names = Dictionary(uniqueKeysWithValues: try await s.organisations.all().map { ($0.name, $0.id) })
            let expected = try ActivityCSV.parse(text: text, programme: programme, organisationID: { names[$0] },
                                                 allowUnknownOrganisations: false).get()
            let stored = try await s.activities.list(ActivityFilter(programmeSlug: programme.slug), limit: 20_000, offset: 0)
            #expect(stored.count == 12_000)
            let byTitle = Dictionary(uniqueKeysWithValues: stored.map { ($0.title, $0) })
            var differing = 0
            for row in expected {
                guard let record = byTitle[row.input.title] else { differing += 1; continue }
                if record.input != row.input.normalised() || record.status != .submitted || record.submittedAt != F.t0
                    || record.createdBy != s.user {
                    differing += 1
                }
            }
            #expect(differing == 0)
            #expect(byTitle["Wiersz 7 – zażółć gęślą jaźń"]?.notes == "Dwie linie,\r\n\"cytat\" i C:\\katalog\tz tabulatorem")
            let audit = try await s.audit.entries(subject: "programme:\(programme.slug)", limit: 10)
            #expect(audit.map(\.action) == ["activity.imported"])
        }
    }

    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func aBadRowLateInALargeFileLeavesNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let s = try await S.setup(database)
            let before = try await version(database)
            let organisations = try await s.organisations.all().count
            let options = ActivityImporter.Options(status: .approved, createOrganisations: true)
            // A cell the parser refuses, a rule of the form (a date outside the programme) and a
            // count over its bound: each after five batches were stored and eleven organisations
            // created in the import's transaction.
            let cases: [(changes: [Column: String], column: String)] = [
                ([.task: "9.9"], "task"),
                ([.date: "2031-05-01"], "date"),
                ([.participants: "1000000001"], "participants"),
            ]
            for (changes, column) in cases {
                let url = try Self.write(Self.largeFile(badRow: (11_990, changes)))
                defer { try? FileManager.default.removeItem(at: url) }
                do {
                    let outcome = try await s.importer.run(file: url, programme: programme, options: options, by: s.user)
                    Issue.record("imported \(outcome)")
                } catch let errors as ActivityCSVErrors {
                    #expect(errors.errors.map(\.row) == [11_990] && errors.errors.map(\.column) == [column], "\(errors)")
                    // Line 1 is the header and every seventh row spans two lines.
                    #expect(errors.errors.first?.line == 11_990 + 1 + 11_989 / 7)
                }
                #expect(try await s.activities.count(ActivityFilter(programmeSlug: programme.slug)) == 0)
                #expect(try await s.organisations.all().count == organisations)
                #expect(try await s.audit.entries(subject: "programme:\(programme.slug)", limit: 10).isEmpty)
                #expect(try await version(database) == before)
            }

            // Problems in several rows: every one listed, as when the file was checked whole first.
            let url = try Self.write(Self.largeFile(badRow: (9_000, [.task: "9.9"])).replacingOccurrences(
                of: "Wiersz 11999 ", with: "Wiersz 11999 \"x\" "))
            defer { try? FileManager.default.removeItem(at: url) }
            do {
                _ = try await s.importer.run(file: url, programme: programme, options: options, by: s.user)
                Issue.record("imported")
            } catch let errors as ActivityCSVErrors {
                #expect(errors.errors.map(\.row) == [9_000, nil], "\(errors)")
            }
            #expect(try await s.activities.count(ActivityFilter(programmeSlug: programme.slug)) == 0)

            // The connection went back to the pool in good order: the next import goes in whole.
            let good = try Self.write(Self.largeFile())
            defer { try? FileManager.default.removeItem(at: good) }
            let outcome = try await s.importer.run(file: good, programme: programme, options: options, by: s.user)
            #expect(outcome.records == 12_000)
            #expect(try await s.activities.count(ActivityFilter(programmeSlug: programme.slug)) == 12_000)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func aFileThatIsNotUTF8IsRefusedWithItsLine(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let s = try await S.setup(database)
            var bytes = Array(Self.largeFile().utf8)
            // Windows-1250 "ł" near the end of the file.
            let at = bytes.count - 40
            bytes[at] = 0xB3
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-import-\(UUID().uuidString).csv")
            try Data(bytes).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            do {
                _ = try await s.importer.run(file: url, programme: programme, options: .init(), by: s.user)
                Issue.record("imported")
            } catch let errors as ActivityCSVErrors {
                let line = bytes[..<at].filter { $0 == UInt8(ascii: "\n") }.count + 1
                #expect(errors.errors.map(\.line) == [line] && errors.errors.first?.message.contains("0xB3") == true, "\(errors)")
            }
            #expect(try await s.activities.count(ActivityFilter(programmeSlug: programme.slug)) == 0)
        }
    }

    /// The import's transaction keeps SQLite's statement journals in memory (each multi-row INSERT
    /// needs one; in a temporary file they cost 431,280 write calls for 200,000 rows), and the
    /// connection gets its own setting back afterwards, whether the transaction commits or not.
    /// PostgreSQL has no such setting: the flag changes nothing there.
    @Test(arguments: DatabaseEngine.allCases)
    func theStatementJournalIsInMemoryForTheImportsTransactionOnly(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            @Sendable func tempStore(_ db: any SQLDatabase) async throws -> Int? {
                engine == .sqlite ? try await db.raw("PRAGMA temp_store").first()?.decode(column: "temp_store", as: Int.self) : nil
            }
            let inside = try await database.transaction(statementJournalInMemory: true) { db in try await tempStore(db) }
            #expect(inside == (engine == .sqlite ? 2 : nil)) // 2: MEMORY
            struct Failed: Error {}
            await #expect(throws: Failed.self) {
                try await database.transaction(statementJournalInMemory: true) { _ in throw Failed() }
            }
            for _ in 0..<4 {
                #expect(try await database.withConnection { try await tempStore($0) } == (engine == .sqlite ? 0 : nil))
            }
            #expect(try await database.transaction { db in try await tempStore(db) } == (engine == .sqlite ? 0 : nil))
        }
    }
}

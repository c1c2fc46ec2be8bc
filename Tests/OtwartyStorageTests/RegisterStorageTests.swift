import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import Testing

/// Issue 13 D: the registers and the import log on both engines; the SQL counts agree with the
/// in-memory reference (`InMemoryMeasureSources`) on hand-computed data.
@Suite struct RegisterStorageTests {
    typealias F = ActivityFixtures

    /// Five bodies, years as worked out by hand ("counted": minorities or migrants among members):
    /// 1 Rada — minorities, 2019-01-01…open: counted 2019 onwards
    /// 2 Forum — migrants + NGOs, 2025-12-31…open: counted from 2025 (its last day of the year is enough)
    /// 3 Zespół — city units + NGOs, open…open: never counted (kept, but not a body with minorities)
    /// 4 Komisja — minorities + migrants, 2023-03-01…2024-12-31: counted 2023 and 2024
    /// 5 Rada 2026 — minorities, 2026-01-01…open: counted from 2026
    /// 3.4.a: 2018 → 0; 2019–2022 → 1 (Rada); 2023 → 2 (Rada, Komisja); 2024 → 2; 2025 → 2 (Rada, Forum); 2026 → 3.
    static let bodies: [DialogueBody] = [
        DialogueBody(name: "Rada ds. Mniejszości Narodowych i Etnicznych", memberKinds: [.minorities, .cityUnits],
                     validFrom: F.day("2019-01-01")),
        DialogueBody(name: "Forum Migrantów i Migrantek", memberKinds: [.migrants, .ngos], validFrom: F.day("2025-12-31")),
        DialogueBody(name: "Zespół ds. przestrzeni publicznej", memberKinds: [.cityUnits, .ngos]),
        DialogueBody(name: "Komisja Dialogu Obywatelskiego", memberKinds: [.minorities, .migrants],
                     validFrom: F.day("2023-03-01"), validUntil: F.day("2024-12-31"), note: "rozwiązana"),
        DialogueBody(name: "Rada 2026", memberKinds: [.minorities], validFrom: F.day("2026-01-01")),
    ]
    static let expectedBodies: [Int: Int] = [2018: 0, 2019: 1, 2022: 1, 2023: 2, 2024: 2, 2025: 2, 2026: 3]

    /// a 2024-09-01…2025-06-30; b open…open; c 2026-02-01…open; d 2022-01-01…2023-12-31; e 2025-01-01…2025-01-01.
    /// 5.5.a: 2021 → 1 (b); 2022 → 2 (b, d); 2023 → 2; 2024 → 2 (a, b); 2025 → 3 (a, b, e); 2026 → 2 (b, c).
    static func assistants(_ organisation: OrganisationID) -> [InterculturalAssistant] {
        [
            InterculturalAssistant(organisationID: organisation, name: "Asystentka A", kind: .intercultural, languages: ["ukraiński", "rosyjski"],
                                   schools: ["SP 12", "Szkoła Podstawowa nr 5, ul. Długa 1"], email: "a@example.org",
                                   validFrom: F.day("2024-09-01"), validUntil: F.day("2025-06-30")),
            InterculturalAssistant(organisationID: organisation, name: "Asystent B", kind: .roma, languages: ["romani"], phone: "+48 12 000 00 00"),
            InterculturalAssistant(organisationID: organisation, name: "Asystent C", kind: .intercultural, email: "c@example.org",
                                   validFrom: F.day("2026-02-01")),
            InterculturalAssistant(organisationID: organisation, name: "Asystent D", kind: .intercultural, email: "d@example.org",
                                   validFrom: F.day("2022-01-01"), validUntil: F.day("2023-12-31")),
            InterculturalAssistant(organisationID: organisation, name: "Asystent E", kind: .roma, email: "e@example.org",
                                   validFrom: F.day("2025-01-01"), validUntil: F.day("2025-01-01")),
        ]
    }
    static let expectedAssistants: [Int: Int] = [2020: 1, 2021: 1, 2022: 2, 2023: 2, 2024: 2, 2025: 3, 2026: 2]

    @Test(arguments: DatabaseEngine.allCases)
    func registersStoreAndCountActiveEntriesAsTheReference(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let registers = SQLRegisterRepository(database: database, clock: OfficeClock(now: { F.t0 }))
            let organisation = try await F.organisations(database, count: 1)[0]
            var stored: [DialogueBody] = []
            for body in Self.bodies { stored.append(try await registers.saveDialogueBody(body)) }
            for assistant in Self.assistants(organisation) { _ = try await registers.saveAssistant(assistant) }

            // Read back whole: kinds, dates, note; lists in order; sorted by name.
            let read = try await registers.dialogueBodies()
            #expect(read.map(\.name) == Self.bodies.map(\.name).sorted())
            let komisja = try #require(try await registers.dialogueBody(id: stored[3].id))
            #expect(komisja == stored[3])
            #expect(komisja.memberKinds == [.minorities, .migrants] && komisja.note == "rozwiązana")
            let a = try #require(try await registers.assistants(organisationID: organisation).first { $0.name == "Asystentka A" })
            #expect(a.languages == ["ukraiński", "rosyjski"] && a.schools == ["SP 12", "Szkoła Podstawowa nr 5, ul. Długa 1"])
            #expect(try await registers.assistants(organisationID: organisation + 1).isEmpty)

            let reader = SQLMeasureSourceReader(database: database)
            let reference = InMemoryMeasureSources(registers: [
                .dialogueBodies: Self.bodies.filter(\.countsForMeasure).map { ($0.validFrom, $0.validUntil) },
                .interculturalAssistants: Self.assistants(organisation).map { ($0.validFrom, $0.validUntil) },
            ])
            for (year, expected) in Self.expectedBodies {
                #expect(try await reader.activeEntries(in: .dialogueBodies, year: year) == expected, "3.4.a in \(year)")
                #expect(try await reference.activeEntries(in: .dialogueBodies, year: year) == expected, "reference in \(year)")
            }
            for (year, expected) in Self.expectedAssistants {
                #expect(try await reader.activeEntries(in: .interculturalAssistants, year: year) == expected, "5.5.a in \(year)")
                #expect(try await reference.activeEntries(in: .interculturalAssistants, year: year) == expected, "reference in \(year)")
            }

            // Changing a body's members changes what it counts for; deleting removes it.
            var zespol = try #require(read.first { $0.name.hasPrefix("Zespół") })
            zespol.memberKinds.insert(.migrants)
            _ = try await registers.saveDialogueBody(zespol)
            #expect(try await reader.activeEntries(in: .dialogueBodies, year: 2025) == 3)
            try await registers.deleteDialogueBody(id: zespol.id)
            #expect(try await reader.activeEntries(in: .dialogueBodies, year: 2025) == 2)
            #expect(try await registers.dialogueBodies().count == 4)
            try await registers.deleteAssistant(id: a.id)
            #expect(try await reader.activeEntries(in: .interculturalAssistants, year: 2025) == 2)
        }
    }

    /// Imports at 1000 (2024), 1500 (2023), 2000 (2024 and 2025): the last import covering 2024 and
    /// 2025 is 2000, 2023's is 1500; 2022 was never imported.
    @Test(arguments: DatabaseEngine.allCases)
    func theLastImportCoveringAYear(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await F.user(database)
            let log = SQLDataImportLog(database: database)
            for (at, years, rows) in [(1000.0, [2024], 10), (2000.0, [2025, 2024], 25), (1500.0, [2023], 7)] {
                try await log.record(DataImportEntry(kind: .policeStatistics, years: years, importedAt: Date(timeIntervalSince1970: at),
                                                     rows: rows, importedBy: user))
            }
            let reader = SQLMeasureSourceReader(database: database)
            #expect(try await reader.lastImport(of: .policeStatistics, year: 2024) == Date(timeIntervalSince1970: 2000))
            #expect(try await reader.lastImport(of: .policeStatistics, year: 2025) == Date(timeIntervalSince1970: 2000))
            #expect(try await reader.lastImport(of: .policeStatistics, year: 2023) == Date(timeIntervalSince1970: 1500))
            #expect(try await reader.lastImport(of: .policeStatistics, year: 2022) == nil)
            let entries = try await log.entries(of: .policeStatistics)
            #expect(entries.map(\.rows) == [25, 7, 10], "newest first")
            #expect(entries[0].years == [2024, 2025] && entries[0].importedBy == user)
        }
    }

    /// Through the service: importing a police file logs it, and the measure's reader sees it.
    @Test(arguments: DatabaseEngine.allCases)
    func aPoliceImportIsLogged(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await F.user(database)
            let repositories = Repositories.sql(database)
            let service = PoliceStatisticsService(statistics: repositories.policeStatistics, imports: repositories.dataImports,
                                                  audit: repositories.audit, clock: OfficeClock(now: { F.t0 }))
            #expect(try await repositories.measureSources.lastImport(of: .policeStatistics, year: 2025) == nil)
            let file = "year,district,offence_category,count\n2025,1,pobicie,3\n2025,,groźby,2\n"
            #expect(try await service.importCSV(file, by: user) == .imported(rows: 2, years: [2025]))
            #expect(try await repositories.measureSources.lastImport(of: .policeStatistics, year: 2025) == F.t0)
            #expect(try await repositories.measureSources.lastImport(of: .policeStatistics, year: 2024) == nil)
            // A refused file logs nothing.
            _ = try await service.importCSV("year,district,offence_category,count\n20x5,1,pobicie,3\n", by: user)
            #expect(try await repositories.dataImports.entries(of: .policeStatistics).count == 1)
        }
    }

    /// Migration 21 reads imports made before the log from their audit entries; an entry that does
    /// not read as "N rows for Y, Y" is left out.
    @Test(arguments: DatabaseEngine.allCases)
    func migration21ReadsEarlierImportsFromTheAuditTrail(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { database in
            try await Migrations.run(on: database, migrations: Migrations.all.filter { $0.version < 21 })
            try await database.withConnection { db in
                for (at, detail) in [(500.0, "3 rows for 2024, 2025"), (600.0, "something else"), (700.0, "4 rows for 2023")] {
                    try await db.raw("""
                        INSERT INTO audit_log (at, action, subject, detail)
                        VALUES (\(bind: at), 'police-statistics.imported', 'police-statistics', \(bind: detail))
                        """).run()
                }
            }
            try await Migrations.run(on: database)
            let reader = SQLMeasureSourceReader(database: database)
            #expect(try await reader.lastImport(of: .policeStatistics, year: 2024) == Date(timeIntervalSince1970: 500))
            #expect(try await reader.lastImport(of: .policeStatistics, year: 2023) == Date(timeIntervalSince1970: 700))
            #expect(try await SQLDataImportLog(database: database).entries(of: .policeStatistics).map(\.rows) == [4, 3])
        }
    }
}

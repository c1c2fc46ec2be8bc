import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// `ActivityImporter` (the `import activities` command and the upload page) over the SQL
/// repositories: all rows in one go, or nothing.
@Suite struct ActivityImporterStorageTests {
    typealias F = ActivityFixtures
    typealias Column = ActivityCSV.Column
    let programme: Programme

    init() throws { programme = try EmbeddedProgrammes.krakow() }

    static let office = "Urząd Miasta Krakowa"
    static let foundation = "Fundacja \"Dom\", Kraków"

    static let good: [Column: String] = [
        .date: "2025-03-14", .task: "4.2", .kind: "event", .title: "Dzień Otwartości", .organisation: office,
        .district: "XVIII", .participants: "120", .beneficiaries: "80", .audience: "residents;migrants",
        .amount: "1500.50", .institution: "SP 12", .languages: "uk;pl", .notes: "Notatka",
        .participantsByAudience: "", .participantsNew: "",
    ]

    static func quoted(_ cell: String) -> String {
        cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    static func row(_ changes: [Column: String] = [:]) -> String {
        Column.allCases.map { quoted(changes[$0] ?? good[$0]!) }.joined(separator: ",")
    }

    static func file(_ rows: [String]) -> String {
        ([ActivityCSV.columns.joined(separator: ",")] + rows).joined(separator: "\r\n") + "\r\n"
    }

    struct Setup {
        var importer: ActivityImporter
        var activities: SQLActivityRepository
        var organisations: SQLOrganisationRepository
        var audit: SQLAuditLog
        var officeID: OrganisationID
        var foundationID: OrganisationID
        var user: UserID
    }

    static func setup(_ database: Database) async throws -> Setup {
        let organisations = SQLOrganisationRepository(database: database, clock: OfficeClock(now: { F.t0 }))
        let officeID = try await organisations.create(name: office, kind: .cityOfficeUnit).id
        let foundationID = try await organisations.create(name: foundation, kind: .ngo).id
        let activities = SQLActivityRepository(database: database)
        let audit = SQLAuditLog(database: database)
        let importer = ActivityImporter(activities: activities, organisations: organisations, audit: audit, clock: OfficeClock(now: { F.t0 }))
        return Setup(importer: importer, activities: activities, organisations: organisations, audit: audit,
                     officeID: officeID, foundationID: foundationID, user: try await F.user(database))
    }

    func all(_ s: Setup) async throws -> [ActivityRecord] {
        try await s.activities.list(ActivityFilter(programmeSlug: programme.slug), limit: 100_000, offset: 0)
    }

    /// The errors `run` throws, or a recorded issue when it does not throw them.
    func importErrors(_ s: Setup, _ text: String, options: ActivityImporter.Options = .init(),
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> [ActivityCSVError] {
        do {
            let outcome = try await s.importer.run(text, programme: programme, options: options, by: s.user)
            Issue.record("expected ActivityCSVErrors, imported \(outcome)", sourceLocation: sourceLocation)
            return []
        } catch let errors as ActivityCSVErrors {
            return errors.errors
        }
    }

    /// New organisations first named in different batches (the writer finds each by its number in
    /// order of first appearance, `SQLiteActivityImport`): every record gets its own organisation.
    @Test(arguments: DatabaseEngine.allCases)
    func newOrganisationsNamedInLaterBatchesGetTheirRecords(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let s = try await Self.setup(database)
            // 5,000 rows: three batches of the importer's 2,048.
            let names = (0..<5_000).map { n in
                n >= 4_500 && n % 2 == 0 ? "Nowa B" : n % 7 == 0 ? "Nowa A" : n % 3 == 0 ? Self.foundation : Self.office
            }
            let text = Self.file(names.map { Self.row([.organisation: $0]) })
            let outcome = try await s.importer.run(text, programme: programme, options: .init(status: .approved, createOrganisations: true),
                                                   by: s.user)
            #expect(outcome.records == 5_000 && outcome.organisationsCreated == ["Nowa A", "Nowa B"])
            let byID = Dictionary(uniqueKeysWithValues: try await s.organisations.all().map { ($0.id, $0.name) })
            var stored: [String: Int] = [:]
            for record in try await all(s) { stored[byID[record.input.organisationID] ?? "?", default: 0] += 1 }
            var expected: [String: Int] = [:]
            for name in names { expected[name, default: 0] += 1 }
            #expect(stored == expected)
        }
    }

    /// The import's `activity.imported` entry is written in the import's own transaction: when
    /// appending it fails, as if the process died at that moment, no record and no new
    /// organisation is stored (before, the records were committed first and the entry after).
    @Test(arguments: DatabaseEngine.allCases)
    func anImportWhoseEntryIsNotWrittenStoresNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let s = try await Self.setup(database)
            let dying = ActivityImporter(activities: s.activities, organisations: s.organisations,
                                         audit: DyingAudit(base: s.audit, holdFails: false), clock: OfficeClock(now: { F.t0 }))
            // Approved, so SQLite's writer also pauses and resumes the totals' trigger.
            let options = ActivityImporter.Options(status: .approved, createOrganisations: true)
            let text = Self.file((0..<300).map { Self.row($0 % 3 == 0 ? [.organisation: "Stowarzyszenie Nowe"] : [:]) })
            await #expect(throws: DyingAudit.Died.self) {
                _ = try await dying.run(text, programme: programme, options: options, by: s.user)
            }
            #expect(try await all(s).isEmpty)
            #expect(try await s.organisations.all().count == 2, "no organisation was created")
            let outcome = try await s.importer.run(text, programme: programme, options: options, by: s.user)
            #expect(outcome.records == 300 && outcome.organisationsCreated == ["Stowarzyszenie Nowe"])
            #expect(try await s.audit.entries(subject: "programme:\(programme.slug)", limit: 5).map(\.action) == ["activity.imported"])
            #expect(try await s.audit.verify(tail: nil).problem == nil)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func goodFileImportsEveryRowWithTheGivenStatus(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let s = try await Self.setup(database)
            // 1 101 rows, so the rows go in more than one INSERT.
            var rows = [Self.row()]
            for i in 1...1_100 {
                rows.append(Self.row([
                    .date: "2025-\(i % 12 + 1 < 10 ? "0" : "")\(i % 12 + 1)-0\(i % 9 + 1)", .task: i % 2 == 0 ? "4.1" : "3.5",
                    .kind: i % 2 == 0 ? "event" : "course", .title: "Wiersz \(i)",
                    .organisation: i % 3 == 0 ? Self.foundation : Self.office, .district: i % 4 == 0 ? "" : "\(i % 18 + 1)",
                    .participants: "\(i)", .beneficiaries: "", .audience: "", .amount: "", .institution: "",
                    .languages: "", .notes: "",
                ]))
            }
            let progress = LockedBox<[Int]>([])
            let outcome = try await s.importer.run(Self.file(rows), programme: programme,
                                                   options: .init(status: .approved), by: s.user,
                                                   progress: { stored, total in
                                                       progress.mutate { $0.append(stored) }
                                                       #expect(total == 1_101)
                                                   })
            #expect(outcome == ImportOutcome(records: 1_101, organisationsCreated: []))
            #expect(progress.value.last == 1_101)

            let stored = try await all(s)
            #expect(stored.count == 1_101)
            #expect(stored.allSatisfy { $0.status == .approved && $0.createdBy == s.user && $0.createdAt == F.t0 })
            #expect(try await s.activities.count(ActivityFilter(programmeSlug: programme.slug, statuses: [.approved])) == 1_101)

            // The first row, every column read.
            let first = try #require(stored.first { $0.title == "Dzień Otwartości" })
            #expect(first.input == ActivityInput(
                taskCode: "4.2", kind: .event, title: "Dzień Otwartości", startDate: F.day("2025-03-14"),
                organisationID: s.officeID, district: F.district(18), participants: 120, beneficiaries: 80,
                audiences: [.residents, .migrants], amountGrosze: 150_050, institution: "SP 12", languages: ["uk", "pl"],
                notes: "Notatka"))
            #expect(stored.filter { $0.organisationID == s.foundationID }.count == 366)

            // What was imported is what the indicators count.
            let participants = try await SQLActivityAggregator(database: database).values(AggregateQuery(
                programmeSlug: programme.slug, rule: MeasureRule(taskCode: "3.5", aggregate: .sum(.participants)),
                years: 2025...2025, grouping: .total))
            #expect(participants[.total] == Double((1...1_100).filter { $0 % 2 == 1 }.reduce(0, +)))

            let audit = try await s.audit.entries(subject: "programme:\(programme.slug)", limit: 10)
            #expect(audit.map(\.action) == ["activity.imported"])
            #expect(audit.first?.actorUserID == s.user)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func oneBadRowStoresNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let s = try await Self.setup(database)
            let goodRows = (1...700).map { Self.row([.title: "Wiersz \($0)"]) }

            // A task the programme does not have, in row 650 (line 651).
            var rows = goodRows
            rows[649] = Self.row([.task: "9.9"])
            var errors = try await importErrors(s, Self.file(rows), options: .init(status: .approved))
            #expect(errors.count == 1)
            #expect(errors.first?.row == 650 && errors.first?.line == 651 && errors.first?.column == "task",
                    "\(errors)")
            #expect(errors.first?.message.contains("9.9") == true)
            #expect(try await all(s).isEmpty)

            // A date outside the programme's period (2024–2028, one year either side allowed), in row 2.
            rows = goodRows
            rows[1] = Self.row([.date: "2031-05-01"])
            errors = try await importErrors(s, Self.file(rows))
            #expect(errors.map(\.row) == [2] && errors.map(\.column) == ["date"], "\(errors)")
            #expect(try await all(s).isEmpty)

            // An end before the start, and a negative count, in two rows: both reported.
            rows = goodRows
            rows[9] = Self.row([.date: "2025-03-14/2025-03-01"])
            rows[699] = Self.row([.participants: "-5"])
            errors = try await importErrors(s, Self.file(rows))
            #expect(errors.map(\.row) == [10, 700] && errors.map(\.column) == ["date", "participants"], "\(errors)")

            #expect(try await all(s).isEmpty)
            #expect(try await s.audit.entries(subject: "programme:\(programme.slug)", limit: 10).isEmpty)
            #expect(try await s.organisations.all().count == 2)

            // The same file without the bad rows goes in whole.
            let outcome = try await s.importer.run(Self.file(goodRows), programme: programme, options: .init(), by: s.user)
            #expect(outcome.records == 700)
            #expect(try await s.activities.count(ActivityFilter(programmeSlug: programme.slug, statuses: [.draft])) == 700)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func unknownOrganisationsAreCreatedOnlyWhenAsked(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let s = try await Self.setup(database)
            let text = Self.file([
                Self.row([.organisation: "  Nowe Stowarzyszenie  ", .title: "A"]),
                Self.row([.title: "B"]),
                Self.row([.organisation: "Nowe Stowarzyszenie", .title: "C"]),
                Self.row([.organisation: "Koło Gospodyń", .title: "D"]),
            ])

            // Without --create-organisations: each unknown name is an error, nothing is stored or created.
            let errors = try await importErrors(s, text)
            #expect(errors.map(\.row) == [1, 3, 4] && errors.allSatisfy { $0.column == "organisation" }, "\(errors)")
            #expect(try await all(s).isEmpty)
            #expect(try await s.organisations.all().count == 2)

            // With it: created once each, of the given kind, and the rows are theirs.
            let options = ActivityImporter.Options(status: .submitted, createOrganisations: true,
                                                   newOrganisationKind: .minorityOrganisation)
            let outcome = try await s.importer.run(text, programme: programme, options: options, by: s.user)
            #expect(outcome.records == 4)
            #expect(outcome.organisationsCreated.sorted() == ["Koło Gospodyń", "Nowe Stowarzyszenie"])
            let created = try #require(try await s.organisations.organisation(named: "Nowe Stowarzyszenie"))
            #expect(created.kind == .minorityOrganisation)
            #expect(try await s.organisations.organisation(named: "  Nowe Stowarzyszenie  ") == nil)
            let kolo = try #require(try await s.organisations.organisation(named: "Koło Gospodyń"))
            let stored = try await all(s)
            #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.title, $0.organisationID) })
                        == ["A": created.id, "B": s.officeID, "C": created.id, "D": kolo.id])
            #expect(stored.allSatisfy { $0.status == .submitted })

            // Importing the file again finds them: none is created twice.
            let again = try await s.importer.run(text, programme: programme, options: options, by: s.user)
            #expect(again == ImportOutcome(records: 4, organisationsCreated: []))
            #expect(try await s.organisations.all().count == 4)
            #expect(try await all(s).count == 8)
        }
    }
}

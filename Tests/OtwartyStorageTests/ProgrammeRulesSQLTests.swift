import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import Testing

/// The 40 hand-computed cases of `ProgrammeRuleCases` (see `ProgrammeRulesTests` in Core) through
/// the SQL aggregator on SQLite and PostgreSQL, for every rule whose value comes from records: the
/// stored records must give the very numbers worked out by hand, coverage included. Registers,
/// ratings and imports have their own storage tests.
@Suite struct ProgrammeRulesSQLTests {
    /// Each case's records are stored under a programme slug of its own (and its "other programme"
    /// copies under another), so that one database holds every case without one counting in another.
    static func slug(_ index: Int) -> String { "rule-case-\(index)" }

    @Test(arguments: DatabaseEngine.allCases)
    func everyRuleOverRecordsGivesTheHandComputedValue(engine: DatabaseEngine) async throws {
        let cases = ProgrammeRuleCases.all.enumerated().filter { $0.element.recordRule != nil }
        #expect(cases.count >= 30)
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let organisation = try await ActivityFixtures.organisations(database, count: 1)[0]
            let repository = SQLActivityRepository(database: database)
            for (index, c) in cases {
                var batches: [String: [ActivityRecord]] = [:]
                for record in c.records {
                    let slug = record.programmeSlug == Fixtures.krakowSlug ? Self.slug(index) : Self.slug(index) + "-other"
                    batches["\(slug)|\(record.status.rawValue)", default: []].append(record)
                }
                for key in batches.keys.sorted() {
                    let records = batches[key]!
                    let parts = key.split(separator: "|")
                    let outcome = try await repository.importAll(
                        programmeSlug: String(parts[0]),
                        records: records.map { record in
                            var input = record.input
                            input.organisationID = organisation
                            return PendingActivity(input: input)
                        },
                        newOrganisationKind: .ngo, status: ActivityStatus(rawValue: String(parts[1]))!, by: nil,
                        at: ActivityFixtures.t0)
                    #expect(outcome.records == records.count)
                }
            }
            let aggregator = SQLActivityAggregator(database: database)
            for (index, c) in cases {
                var programme = Fixtures.krakow
                programme.slug = Self.slug(index)
                let sqlEngine = IndicatorEngine(aggregator: aggregator, references: InMemoryReferenceStatistics(values: c.references),
                                                sources: c.sources)
                let report = try await sqlEngine.report(for: programme, year: ProgrammeRuleCases.year)
                let differences = c.differences(in: report)
                #expect(differences.isEmpty, "\(c) on \(engine): \(differences.joined(separator: "; "))")
            }
        }
    }
}

import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// The SQL aggregator must give exactly the answers of Core's in-memory one (the reference, see
/// docs/indicators.md "For implementers") on a large pseudo-random data set, for every rule of
/// Kraków's programme and every grouping; and so the indicator engine's reports must agree too.
@Suite struct ActivityAggregatorAgreementTests {
    static let seed: UInt64 = 20_250_314

    /// Stores the generated records: most through `importAll`, one batch per programme and status;
    /// every 25th as a draft of *different* content (another year, task, district and
    /// institution) through `create`, then `update`d to its real content and status, so that the
    /// derived columns (year, quarter, institution key) must follow an update.
    static func store(_ generated: [ActivityFixtures.Generated], in database: Database) async throws {
        let repository = SQLActivityRepository(database: database)
        var batches: [String: [ActivityFixtures.Generated]] = [:]
        for (i, g) in generated.enumerated() {
            if i % 25 == 0 {
                var first = g.input
                first.startDate = CalendarDate(year: 2028, month: 12, day: 31)!
                first.taskCode = g.input.taskCode == "1.1" ? "3.5" : "1.1"
                first.district = ActivityFixtures.district(7)
                first.institution = "Zupełnie Inna Szkoła"
                first.audiences = Set(Audience.allCases)
                let created = try await repository.create(programmeSlug: g.programmeSlug, input: first, status: .draft,
                                                          by: nil, at: ActivityFixtures.t0)
                try await repository.update(id: created.id, input: g.input, status: g.status,
                                            reviewComment: g.status == .returned ? "Popraw" : nil,
                                            at: ActivityFixtures.t0.addingTimeInterval(60))
            } else {
                batches["\(g.programmeSlug)|\(g.status.rawValue)", default: []].append(g)
            }
        }
        for key in batches.keys.sorted() {
            let batch = batches[key]!
            let outcome = try await repository.importAll(
                programmeSlug: batch[0].programmeSlug, records: batch.map { PendingActivity(input: $0.input) },
                newOrganisationKind: .ngo, status: batch[0].status, by: nil, at: ActivityFixtures.t0, progress: { _ in })
            #expect(outcome.records == batch.count)
            #expect(outcome.organisationsCreated.isEmpty)
        }
    }

    static let references: [ReferenceValue] = {
        func at(_ seconds: Double) -> Date { ActivityFixtures.t0.addingTimeInterval(seconds) }
        return [
            ReferenceValue(key: "foreign-residents", year: 2023, value: 70_000, source: "GUS", recordedAt: at(1)),
            ReferenceValue(key: "foreign-residents", year: 2024, value: 90_000, source: "GUS", recordedAt: at(1)),
            // Two revisions for 2025, the newer one stored first: the newer (recordedAt) counts.
            ReferenceValue(key: "foreign-residents", year: 2025, value: 123_457, source: "GUS",
                           asOf: ActivityFixtures.day("2025-06-30"), recordedAt: at(20)),
            ReferenceValue(key: "foreign-residents", year: 2025, value: 80_000, source: "szacunek", recordedAt: at(10)),
            ReferenceValue(key: "foreign-residents", year: 2026, value: 150_000, source: "GUS", recordedAt: at(1)),
            ReferenceValue(key: "city-staff", year: 2023, value: 5_000, source: "HR", recordedAt: at(1)),
            // Two revisions at the same moment: the later stored counts, in memory and in SQL.
            ReferenceValue(key: "city-staff", year: 2024, value: 5_100, source: "HR", recordedAt: at(5)),
            ReferenceValue(key: "city-staff", year: 2024, value: 5_321, source: "HR (korekta)", recordedAt: at(5)),
            // 2025: unusable (0); 2026: missing.
            ReferenceValue(key: "city-staff", year: 2025, value: 0, source: "HR", recordedAt: at(1)),
        ]
    }()

    /// Rules of the issue-13 kinds, whether or not the programme file has them yet: sums that split
    /// by audience (two audiences, one, all of them), people-counting sums (of participants, of
    /// beneficiaries, splitting and not) and a count with audiences beside a breakdown.
    static let breakdownRules: [MeasureRule] = [
        MeasureRule(taskCode: "6.3", aggregate: .sum(.participants), audiences: [.cityOffice, .municipalGuard]),
        MeasureRule(taskCode: "6.3", aggregate: .sum(.participants), kinds: [.training], audiences: [.police]),
        MeasureRule(taskCode: "6.3", aggregate: .sum(.participants), audiences: Set(Audience.allCases)),
        MeasureRule(taskCode: "6.3", aggregate: .sum(.participants), audiences: [.cityOffice, .municipalGuard], people: true),
        MeasureRule(taskCode: "1.4", aggregate: .sum(.participants), people: true),
        MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries), kinds: [.consultation], people: true),
        MeasureRule(taskCode: "3.5", aggregate: .sum(.beneficiaries), audiences: [.migrants, .minorities], people: true),
        MeasureRule(taskCode: "6.3", aggregate: .count, audiences: [.police]),
    ]

    @Test(arguments: DatabaseEngine.allCases)
    func sqlAggregatorAgreesWithTheInMemoryOne(engine: DatabaseEngine) async throws {
        let programme = try EmbeddedProgrammes.krakow()
        #expect(programme.distinctRules.count >= 30, "Kraków's programme has dozens of rules")
        let rules = programme.distinctRules + Self.breakdownRules.filter { !programme.distinctRules.contains($0) }
        try await TestDatabase.with(engine) { database in
            let organisations = try await ActivityFixtures.organisations(database, count: 6)
            let generated = ActivityFixtures.generate(count: 2_000, rules: rules, taskCodes: programme.tasks.map(\.code),
                                                      organisations: organisations, seed: Self.seed)
            try await Self.store(generated, in: database)

            // Everything generated was stored as generated (by title, which is unique).
            let stored = try await ActivityFixtures.allStored(database, slugs: [ActivityFixtures.slug] + ActivityFixtures.otherSlugs)
            #expect(stored.count == generated.count)
            let storedByTitle = Dictionary(uniqueKeysWithValues: stored.map { ($0.title, $0) })
            for g in generated {
                let record = storedByTitle[g.input.title]
                #expect(record?.input == g.input && record?.status == g.status && record?.programmeSlug == g.programmeSlug,
                        "\(g.input.title) was stored as \(String(describing: record))")
            }

            let records = ActivityFixtures.records(generated)
            let memory = InMemoryActivityAggregator(records: records)
            let sql = SQLActivityAggregator(database: database)
            var rulesWithData = 0
            var queries = 0
            var coverageSeen = AggregateCoverage()
            for rule in rules {
                for years in [2023...2026, 2025...2025, 2024...2025] {
                    for grouping in [AggregateGrouping.total, .year, .quarter, .district] {
                        let query = AggregateQuery(programmeSlug: ActivityFixtures.slug, rule: rule, years: years,
                                                   grouping: grouping)
                        let expected = try await memory.values(query)
                        let actual = try await sql.values(query)
                        queries += 1
                        let differences = aggregateDifferences(expected: expected, actual: actual)
                        #expect(differences.isEmpty, "\(rule) over \(years) by \(grouping): \(differences)")
                        if grouping == .total, years == 2023...2026, (expected[.total] ?? 0) > 0 { rulesWithData += 1 }
                    }
                    // What the value rests on (records without a breakdown, left out, fallen back).
                    let query = AggregateQuery(programmeSlug: ActivityFixtures.slug, rule: rule, years: years, grouping: .total)
                    let expectedCoverage = try await memory.coverage(query)
                    let actualCoverage = try await sql.coverage(query)
                    #expect(expectedCoverage == actualCoverage, "coverage of \(rule) over \(years)")
                    if years == 2023...2026 {
                        coverageSeen.recordsWithoutBreakdown += expectedCoverage.recordsWithoutBreakdown
                        coverageSeen.recordsLeftOut += expectedCoverage.recordsLeftOut
                        coverageSeen.attendanceFallbacks += expectedCoverage.attendanceFallbacks
                    }
                }
            }
            // Every branch of `audienceMatch` and `summand` was taken somewhere.
            #expect(coverageSeen.recordsWithoutBreakdown > 0 && coverageSeen.recordsLeftOut > 0
                        && coverageSeen.attendanceFallbacks > 0, "\(coverageSeen)")
            let approved = records.filter { $0.status == .approved && $0.programmeSlug == ActivityFixtures.slug }
            #expect(approved.contains { $0.participantsByAudience != nil } && approved.contains { $0.participantsNew != nil })
            #expect(queries == rules.count * 12)
            // The data set is worth comparing on: every rule counts something.
            #expect(rulesWithData == rules.count)

            // Another programme's records answer their own queries (the programme filter works both ways).
            let other = AggregateQuery(programmeSlug: ActivityFixtures.otherSlugs[0], rule: rules[0], years: 2023...2026,
                                       grouping: .year)
            #expect(aggregateDifferences(expected: try await memory.values(other), actual: try await sql.values(other)).isEmpty)
            #expect(!(try await memory.values(other)).isEmpty)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func reportsAgreeForEveryYear(engine: DatabaseEngine) async throws {
        let programme = try EmbeddedProgrammes.krakow()
        try await TestDatabase.with(engine) { database in
            let organisations = try await ActivityFixtures.organisations(database, count: 4)
            let generated = ActivityFixtures.generate(count: 2_000, rules: programme.distinctRules,
                                                      taskCodes: programme.tasks.map(\.code),
                                                      organisations: organisations, seed: Self.seed &+ 1)
            try await Self.store(generated, in: database)
            let references = SQLReferenceRepository(database: database)
            for value in Self.references { try await references.set(value, by: nil) }

            let memoryEngine = IndicatorEngine(aggregator: InMemoryActivityAggregator(records: ActivityFixtures.records(generated)),
                                               references: InMemoryReferenceStatistics(values: Self.references), sources: InMemoryMeasureSources())
            let sqlEngine = IndicatorEngine(aggregator: SQLActivityAggregator(database: database), references: references,
                                            sources: SQLMeasureSourceReader(database: database))
            var computable = 0
            var notComputable: Set<String> = []
            for year in 2024...2026 {
                let expected = try await memoryEngine.report(for: programme, year: year)
                let actual = try await sqlEngine.report(for: programme, year: year)
                expectSameReport(expected, actual)
                computable += expected.results.filter(\.isComputable).count
                notComputable.formUnion(expected.results.compactMap(\.notComputable).map { "\($0)" })
            }
            // The years cover computable results and both kinds of missing denominator.
            #expect(computable >= 8)
            #expect(notComputable.count == 2, "\(notComputable)")
        }
    }

    func expectSameReport(_ expected: IndicatorReport, _ actual: IndicatorReport,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        let year = expected.year
        #expect(actual.programmeSlug == expected.programmeSlug && actual.year == year, sourceLocation: sourceLocation)
        #expect(actual.measures.map(\.code) == expected.measures.map(\.code), sourceLocation: sourceLocation)
        for (e, a) in zip(expected.measures, actual.measures) {
            #expect(nearlyEqual(e.value, a.value) && e.reason == a.reason && e.notComputable == a.notComputable
                        && e.taskCode == a.taskCode && e.name == a.name,
                    "\(year) measure \(e.code): in memory \(String(describing: e.value)), SQL \(String(describing: a.value))",
                    sourceLocation: sourceLocation)
        }
        #expect(actual.results.count == expected.results.count, sourceLocation: sourceLocation)
        for (e, a) in zip(expected.results, actual.results) {
            #expect(e.goal == a.goal && e.weight == a.weight && e.target == a.target && e.baseline == a.baseline
                        && nearlyEqual(e.numerator, a.numerator) && nearlyEqual(e.actual, a.actual)
                        && nearlyEqual(e.achievement, a.achievement) && e.reason == a.reason
                        && e.notComputable == a.notComputable && e.reference == a.reference,
                    "\(year) result of goal \(e.goal): in memory \(e), SQL \(a)", sourceLocation: sourceLocation)
        }
        #expect(nearlyEqual(expected.index, actual.index) && nearlyEqual(expected.partialIndex, actual.partialIndex)
                    && nearlyEqual(expected.computableWeight, actual.computableWeight),
                "\(year) index: in memory \(String(describing: expected.index)), SQL \(String(describing: actual.index))",
                sourceLocation: sourceLocation)
    }
}

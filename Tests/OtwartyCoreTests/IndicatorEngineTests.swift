import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

/// A small hand-made year of Kraków's records. Every number the tests expect is worked out
/// in the comments from these records.
enum KrakowData {
    static let slug = EmbeddedProgrammes.krakowSlug

    static func day(_ iso: String) -> CalendarDate { Fixtures.day(iso) }

    static func record(_ task: String, _ kind: ActivityKind, _ date: String, _ status: ActivityStatus = .approved,
                       programme: String = slug, district: Int? = nil, participants: Int? = nil,
                       beneficiaries: Int? = nil, audiences: Set<Audience> = [], grosze: Int64? = nil,
                       institution: String? = nil, byAudience: [Audience: Int]? = nil) -> ActivityRecord {
        var record = ActivityRecord(id: 0, programmeSlug: programme, taskCode: task, kind: kind, title: "\(task) \(kind)",
                                    startDate: day(date), organisationID: 1, district: district.flatMap(District.init(number:)),
                                    participants: participants, beneficiaries: beneficiaries, audiences: audiences,
                                    amountGrosze: grosze, institution: institution, status: status)
        record.participantsByAudience = byAudience.map(AudienceBreakdown.init)
        return record
    }

    static let records: [ActivityRecord] = [
        // Task 1.1 (result 1): Σ beneficiaries 2025 = 3000 + 1500 = 4500; 2024 = 999.
        record("1.1", .consultation, "2025-02-10", district: 1, beneficiaries: 3000),          // Q1, district I
        record("1.1", .consultation, "2025-08-05", participants: 20, beneficiaries: 1500),    // Q3, city-wide
        record("1.1", .consultation, "2025-03-01", .draft, beneficiaries: 10000),             // never counts
        record("1.1", .consultation, "2024-06-01", beneficiaries: 999),                       // 2024
        record("1.1", .consultation, "2025-03-01", programme: "other-city", beneficiaries: 7777), // other programme

        // Task 3.5 (result 2): Σ participants 2025 = 1200 + 600 + 0 = 1800.
        record("3.5", .course, "2025-01-15", district: 2, participants: 1200),                // Q1
        record("3.5", .workshop, "2025-10-01", district: 2, participants: 600),               // Q4
        record("3.5", .course, "2025-04-01", .submitted, participants: 5000),                 // never counts
        record("3.5", .course, "2025-05-05"),                                                 // Q2, no participants: adds 0

        // Task 4.1 (result 3): events 2025 = 3 (Q1, Q2, Q4; two in district XVIII, one city-wide); 2026 = 1.
        record("4.1", .event, "2025-03-03", district: 18),
        record("4.1", .event, "2025-06-30", district: 18),
        record("4.1", .event, "2025-12-31"),
        record("4.1", .meeting, "2025-05-05"),                                                // not an event
        record("4.1", .event, "2025-05-05", .returned),                                       // never counts
        record("4.1", .event, "2026-01-01"),

        // Task 6.3 (result 4): City Office and Municipal Guard parts = 40 + 15 (the mixed training's
        // guard part; its 10 police officers are not) + 5 = 60; the mixed training without a
        // breakdown (8 guards and police) is left out; all participants (6.3.a) = 40 + 25 + 30 + 10 + 5 + 8 = 118.
        record("6.3", .training, "2025-04-10", participants: 40, audiences: [.cityOffice]),
        record("6.3", .training, "2025-05-10", participants: 25, audiences: [.municipalGuard, .police],
               byAudience: [.municipalGuard: 15, .police: 10]),
        record("6.3", .training, "2025-05-20", participants: 8, audiences: [.municipalGuard, .police]),
        record("6.3", .training, "2025-06-10", participants: 30, audiences: [.police]),
        record("6.3", .workshop, "2025-07-10", participants: 10, audiences: [.teachers]),
        record("6.3", .workshop, "2025-09-10", participants: 5, audiences: [.cityOffice]),
        record("6.3", .training, "2025-09-11", .draft, participants: 1000, audiences: [.cityOffice]), // never counts

        // Task 2.2 (measure 2.2.a): 1 234 567 + 5 533 grosze = 1 240 100 grosze = 12 401 PLN.
        record("2.2", .other, "2025-01-02", grosze: 1_234_567),
        record("2.2", .other, "2025-02-02", grosze: 5_533),
        record("2.2", .other, "2025-03-02"),

        // Task 5.1 (measure 5.1.a): "SP 12" = " sp 12 "; with "Gimnazjum nr 3" that is 2 institutions.
        record("5.1", .workshop, "2025-03-01", institution: "SP 12"),
        record("5.1", .workshop, "2025-04-01", institution: " sp 12 "),
        record("5.1", .workshop, "2025-05-01", institution: "Gimnazjum nr 3"),
        record("5.1", .workshop, "2025-06-01", institution: ""),
        record("5.1", .workshop, "2025-07-01"),
        record("5.1", .workshop, "2025-08-01", .draft, institution: "Liceum 5"),              // never counts
    ]

    static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    static let references: [ReferenceValue] = [
        ReferenceValue(key: "foreign-residents", year: 2024, value: 90_000, source: "GUS"),
        // Two revisions for 2025: the later one (100 000) is current.
        ReferenceValue(key: "foreign-residents", year: 2025, value: 80_000, source: "estimate", recordedAt: at(1)),
        ReferenceValue(key: "foreign-residents", year: 2025, value: 100_000, source: "GUS", recordedAt: at(2)),
        ReferenceValue(key: "city-staff", year: 2025, value: 5_000, source: "HR"),
    ]

    static func engine(references: [ReferenceValue] = references) -> IndicatorEngine {
        IndicatorEngine(aggregator: InMemoryActivityAggregator(records: records),
                        references: InMemoryReferenceStatistics(values: references), sources: InMemoryMeasureSources())
    }
}

func approximately(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) < 1e-9
}

/// Remembers every query, to check how a report batches them.
actor QueryLog {
    var queries: [AggregateQuery] = []
    func append(_ query: AggregateQuery) { queries.append(query) }
}

struct RecordingAggregator: ActivityAggregator {
    let inner: any ActivityAggregator
    let log: QueryLog
    func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double] {
        await log.append(query)
        return try await inner.values(query)
    }
    func coverage(_ query: AggregateQuery) async throws -> AggregateCoverage {
        await log.append(query)
        return try await inner.coverage(query)
    }
}

@Suite struct IndicatorEngineTests {
    let programme: Programme
    init() throws { programme = try EmbeddedProgrammes.krakow() }

    func result(_ report: IndicatorReport, goal: Int) throws -> ResultValue {
        try #require(report.results.first { $0.goal == goal })
    }

    func measure(_ report: IndicatorReport, _ code: String) throws -> MeasureValue {
        try #require(report.measures.first { $0.code == code })
    }

    @Test func krakowResultsFor2025() async throws {
        let report = try await KrakowData.engine().report(for: programme, year: 2025)

        // R1 = 100 × 4500 ÷ 100 000 = 4.5 %; achievement 4.5 ÷ 4 = 1.125.
        let r1 = try result(report, goal: 1)
        #expect(approximately(r1.actual, 4.5))
        #expect(approximately(r1.achievement, 1.125))
        #expect(r1.numerator == 4500 && r1.reference?.value == 100_000 && r1.reason == nil)

        // R2 = 100 × 1800 ÷ 100 000 = 1.8 %; achievement 1.8 ÷ 3 = 0.6.
        let r2 = try result(report, goal: 3)
        #expect(approximately(r2.actual, 1.8))
        #expect(approximately(r2.achievement, 0.6))

        // R3 = 3 events; achievement 3 ÷ 400 = 0.0075.
        let r3 = try result(report, goal: 4)
        #expect(r3.actual == 3)
        #expect(approximately(r3.achievement, 0.0075))
        #expect(r3.reference == nil)

        // R4 = 100 × 60 ÷ 5000 = 1.2 %; achievement 1.2 ÷ 2 = 0.6. Two records counted whole (no
        // breakdown, all audiences the rule's), one left out (no breakdown, police among its audiences).
        // R4 counts people (issue 13): none of the 3 counted records reports "of whom new", so all 3
        // fall back to attendances and the value is unchanged.
        let r4 = try result(report, goal: 6)
        #expect(approximately(r4.actual, 1.2))
        #expect(approximately(r4.achievement, 0.6))
        #expect(r4.numerator == 60)
        #expect(r4.coverage == AggregateCoverage(recordsWithoutBreakdown: 2, recordsLeftOut: 1, attendanceFallbacks: 3, recordsCounted: 3))

        // Index = 0.25 × min(1.125, 1) + 0.25 × 0.6 + 0.25 × 0.0075 + 0.25 × 0.6
        //       = 0.25 + 0.15 + 0.001875 + 0.15 = 0.551875.
        #expect(approximately(report.index, 0.551875))
        #expect(approximately(report.partialIndex, 0.551875))
        #expect(approximately(report.computableWeight, 1))
        #expect(report.programmeSlug == KrakowData.slug && report.year == 2025)
    }

    @Test func krakowMeasuresFor2025() async throws {
        let report = try await KrakowData.engine().report(for: programme, year: 2025)
        #expect(report.measures.count == 36)
        // A data source's status (6.2.c, issue 13) has a detail instead of a value.
        #expect(report.measures.allSatisfy { ($0.value != nil || $0.detail != nil) && $0.reason == nil })
        #expect(try measure(report, "1.1.a").value == 4500)        // same rule as R1
        #expect(try measure(report, "1.1.a").taskCode == "1.1")
        #expect(try measure(report, "3.5.a").value == 1800)        // same rule as R2
        #expect(try measure(report, "4.1.a").value == 3)           // same rule as R3
        #expect(try measure(report, "6.3.a").value == 118)         // every audience, unlike R4
        #expect(try measure(report, "2.2.a").value == 12_401)      // PLN
        #expect(try measure(report, "5.1.a").value == 2)           // distinct institutions
        #expect(try measure(report, "2.1.a").value == 0)           // no meetings recorded
    }

    @Test func aReportIssuesOneQueryPerDistinctRule() async throws {
        let log = QueryLog()
        let engine = IndicatorEngine(
            aggregator: RecordingAggregator(inner: InMemoryActivityAggregator(records: KrakowData.records), log: log),
            references: InMemoryReferenceStatistics(values: KrakowData.references), sources: InMemoryMeasureSources())
        _ = try await engine.report(for: programme, year: 2025)
        let queries = await log.queries
        // The measures' rules (issue 13: measures with a source — 1.5.a's ratings, the registers, the
        // police data — read no records: 36 − 5 = 31) + 4 result rules, of which R1, R2 and R3 equal
        // 1.1.a, 3.5.a and 4.1.a: 31 + 1 = 32; the rules that split by audience or count people ask
        // for their coverage too (one query each).
        let measureRules = programme.tasks.flatMap(\.measures).filter { $0.rule != nil }.count
        let splitting = Set(queries.map(\.rule)).filter { $0.splitsByAudience || $0.people }.count
        #expect(queries.count == measureRules + 1 + splitting)
        #expect(Set(queries.map(\.rule)).count == measureRules + 1)
        #expect(queries.allSatisfy { $0.grouping == .total && $0.years == 2025...2025 && $0.programmeSlug == KrakowData.slug })
    }

    @Test func missingDenominatorsMakeSharesNotComputable() async throws {
        // 2026 has no reference values at all.
        let report = try await KrakowData.engine().report(for: programme, year: 2026)
        let r1 = try result(report, goal: 1)
        #expect(r1.actual == nil && r1.achievement == nil)
        #expect(r1.notComputable == .missingReference(key: "foreign-residents", year: 2026))
        #expect(r1.reason == "no reference value \"foreign-residents\" for 2026")
        #expect(r1.numerator == 0)
        #expect(try result(report, goal: 6).reason == "no reference value \"city-staff\" for 2026")
        // R3 is a count: 1 event in 2026, achievement 1 ÷ 400 = 0.0025.
        let r3 = try result(report, goal: 4)
        #expect(r3.actual == 1 && approximately(r3.achievement, 0.0025))
        // No index; the partial one covers R3 only: 0.25 × 0.0025 = 0.000625.
        #expect(report.index == nil)
        #expect(approximately(report.partialIndex, 0.000625))
        #expect(approximately(report.computableWeight, 0.25))
    }

    @Test func aZeroDenominatorIsNotComputable() async throws {
        var references = KrakowData.references.filter { $0.key != "city-staff" }
        references.append(ReferenceValue(key: "city-staff", year: 2025, value: 0, source: "HR"))
        let report = try await KrakowData.engine(references: references).report(for: programme, year: 2025)
        let r4 = try result(report, goal: 6)
        #expect(r4.actual == nil && r4.achievement == nil)
        #expect(r4.notComputable == .unusableReference(key: "city-staff", year: 2025, value: 0))
        #expect(r4.reason == "reference value \"city-staff\" for 2025 is 0, so a share of it cannot be computed")
        #expect(report.index == nil)
        // 0.25 + 0.15 + 0.001875 without R4.
        #expect(approximately(report.partialIndex, 0.401875))
        #expect(approximately(report.computableWeight, 0.75))
    }

    @Test func withoutRulesNothingIsComputedAndNothingIsZero() async throws {
        var p = programme
        p.goals[0].tasks[0].measures[0].rule = nil   // 1.1.a
        p.results[2].rule = nil                      // R3
        let report = try await KrakowData.engine().report(for: p, year: 2025)
        let m = try measure(report, "1.1.a")
        #expect(m.value == nil && m.notComputable == .noRule && m.reason == "no rule in the programme file")
        let r3 = try result(report, goal: 4)
        #expect(r3.actual == nil && r3.achievement == nil && r3.numerator == nil)
        #expect(r3.reason == "no rule in the programme file")
        // R1 still computes: it has its own rule.
        #expect(approximately(try result(report, goal: 1).actual, 4.5))
        #expect(report.index == nil)
        #expect(approximately(report.partialIndex, 0.55))           // 0.25 + 0.15 + 0.15
    }

    @Test func yearlySeriesOfAResult() async throws {
        let r1 = try #require(programme.results.first)
        let series = try await KrakowData.engine().series(of: .result(r1), in: programme)
        #expect(series.grouping == .year && !series.isNumeratorOnly)
        #expect(series.points.map(\.group) == (2024...2028).map { .year($0) })
        // 2024: 100 × 999 ÷ 90 000 = 1.11; 2025: 4.5; later years have no reference value.
        #expect(approximately(series.points[0].value, 1.11))
        #expect(approximately(series.points[1].value, 4.5))
        #expect(series.points[2...].allSatisfy { $0.value == nil })
        #expect(series.points[4].reason == "no reference value \"foreign-residents\" for 2028")
    }

    @Test func yearlySeriesOfAMeasure() async throws {
        let events = try #require(programme.measure(code: "4.1.a"))
        let series = try await KrakowData.engine().series(of: .measure(events), in: programme)
        #expect(series.points.map(\.value) == [0, 3, 1, 0, 0])
    }

    @Test func quarterBreakdownOfAMeasure() async throws {
        let beneficiaries = try #require(programme.measure(code: "1.1.a"))
        let series = try await KrakowData.engine().breakdown(of: .measure(beneficiaries), in: programme, year: 2025, by: .quarter)
        #expect(series.grouping == .quarter)
        #expect(series.points.map(\.group) == (1...4).map { .quarter(year: 2025, quarter: $0) })
        #expect(series.points.map(\.value) == [3000, 0, 1500, 0])
    }

    @Test func breakdownsOfSharesShowTheNumeratorOnly() async throws {
        let engine = KrakowData.engine()
        let r1 = try #require(programme.results.first { $0.goal == 1 })
        let byDistrict = try await engine.breakdown(of: .result(r1), in: programme, year: 2025, by: .district)
        #expect(byDistrict.isNumeratorOnly)
        #expect(byDistrict.points.count == 19)                        // 18 districts, then city-wide
        #expect(byDistrict.points[0] == IndicatorPoint(group: .district(1), value: 3000))
        #expect(byDistrict.points[18] == IndicatorPoint(group: .district(nil), value: 1500))
        #expect(byDistrict.points[1...17].allSatisfy { $0.value == 0 })

        let r2 = try #require(programme.results.first { $0.goal == 3 })
        let byQuarter = try await engine.breakdown(of: .result(r2), in: programme, year: 2025, by: .quarter)
        #expect(byQuarter.isNumeratorOnly)
        #expect(byQuarter.points.map(\.value) == [1200, 0, 0, 600])   // participants, not percent
    }

    @Test func breakdownsOfCountsAreCounts() async throws {
        let r3 = try #require(programme.results.first { $0.goal == 4 })
        let series = try await KrakowData.engine().breakdown(of: .result(r3), in: programme, year: 2025, by: .district)
        #expect(!series.isNumeratorOnly)
        #expect(series.points[17] == IndicatorPoint(group: .district(18), value: 2))
        #expect(series.points[18] == IndicatorPoint(group: .district(nil), value: 1))
    }

    @Test func seriesWithoutARule() async throws {
        let measure = Measure(code: "9.9.a", name: "Unruled")
        let engine = KrakowData.engine()
        let trend = try await engine.series(of: .measure(measure), in: programme)
        #expect(trend.points.count == 5 && trend.points.allSatisfy { $0.value == nil && $0.notComputable == .noRule })
        let split = try await engine.breakdown(of: .measure(measure), in: programme, year: 2025, by: .quarter)
        #expect(split.points.count == 4 && split.points.allSatisfy { $0.reason == "no rule in the programme file" })
    }
}

@Suite struct AchievementAndIndexTests {
    @Test func atLeast() {
        let target = ResultIndicator.Target(value: 4, comparison: .atLeast)
        #expect(target.achievement(of: 4.5) == 1.125)
        #expect(target.achievement(of: 2) == 0.5)
        #expect(target.achievement(of: 0) == 0)
        #expect(ResultIndicator.Target(value: 0, comparison: .atLeast).achievement(of: 3) == 1)
    }

    @Test func atMost() {
        let target = ResultIndicator.Target(value: 10, comparison: .atMost)
        #expect(target.achievement(of: 5) == 2)        // 10 ÷ 5: well under the ceiling
        #expect(target.achievement(of: 20) == 0.5)     // 10 ÷ 20
        #expect(target.achievement(of: 0) == 1)        // actual 0: 1, not a division by zero
    }

    @Test func exactly() {
        let target = ResultIndicator.Target(value: 400, comparison: .exactly)
        #expect(target.achievement(of: 400) == 1)
        #expect(target.achievement(of: 300) == 0.75)   // 1 − 100 ÷ 400
        #expect(target.achievement(of: 500) == 0.75)   // 1 − 100 ÷ 400
        #expect(target.achievement(of: 900) == 0)      // 1 − 500 ÷ 400 < 0 → 0
        #expect(ResultIndicator.Target(value: 0, comparison: .exactly).achievement(of: 0) == 1)
        #expect(ResultIndicator.Target(value: 0, comparison: .exactly).achievement(of: 3) == 0)
    }

    func value(weight: Double, achievement: Double?) -> ResultValue {
        ResultValue(goal: 1, indicator: "i", weight: weight, unit: .count, baseline: .init(value: 0, year: 2023),
                    target: .init(value: 1, comparison: .atLeast), actual: achievement, achievement: achievement,
                    reason: achievement == nil ? "why" : nil)
    }

    @Test func weightedIndexCapsEachAchievementAtOne() {
        // 0.5 × min(2, 1) + 0.3 × 0.5 + 0.2 × 0 = 0.5 + 0.15 + 0 = 0.65.
        let index = IndicatorIndex(results: [value(weight: 0.5, achievement: 2), value(weight: 0.3, achievement: 0.5),
                                             value(weight: 0.2, achievement: 0)])
        #expect(approximately(index.index, 0.65))
        #expect(approximately(index.partialIndex, 0.65))
        #expect(approximately(index.computableWeight, 1))
    }

    @Test func indexNeedsEveryResult() {
        let index = IndicatorIndex(results: [value(weight: 0.5, achievement: 0.8), value(weight: 0.5, achievement: nil)])
        #expect(index.index == nil)
        #expect(approximately(index.partialIndex, 0.4))
        #expect(approximately(index.computableWeight, 0.5))
        #expect(IndicatorIndex(results: []).index == nil)
    }
}

@Suite struct InMemoryActivityAggregatorTests {
    let aggregator = InMemoryActivityAggregator(records: KrakowData.records)

    func values(_ rule: MeasureRule, _ years: ClosedRange<Int> = 2025...2025, _ grouping: AggregateGrouping = .total,
                programme: String = KrakowData.slug) async throws -> [AggregateGroup: Double] {
        try await aggregator.values(AggregateQuery(programmeSlug: programme, rule: rule, years: years, grouping: grouping))
    }

    @Test func everyAggregate() async throws {
        // 4.1 in 2025: 4 approved records (3 events, 1 meeting).
        #expect(try await values(MeasureRule(taskCode: "4.1", aggregate: .count)) == [.total: 4])
        // 3.5 participants: 1200 + 600 + nil (0).
        #expect(try await values(MeasureRule(taskCode: "3.5", aggregate: .sum(.participants))) == [.total: 1800])
        // 1.1 beneficiaries: 3000 + 1500; participants: 20 (the other record's nil adds 0).
        #expect(try await values(MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries))) == [.total: 4500])
        #expect(try await values(MeasureRule(taskCode: "1.1", aggregate: .sum(.participants))) == [.total: 20])
        // 2.2 amount: 1 240 100 grosze = 12 401 PLN.
        #expect(try await values(MeasureRule(taskCode: "2.2", aggregate: .sum(.amount))) == [.total: 12_401])
        // 5.1: "SP 12" and " sp 12 " are one; "", nil and the draft's "Liceum 5" are none.
        #expect(try await values(MeasureRule(taskCode: "5.1", aggregate: .distinctInstitutions)) == [.total: 2])
    }

    @Test func amountsKeepTheirGrosze() async throws {
        let records = [KrakowData.record("2.2", .other, "2025-01-01", grosze: 1_999),
                       KrakowData.record("2.2", .other, "2025-01-02", grosze: 1)]
        let values = try await InMemoryActivityAggregator(records: records).values(
            AggregateQuery(programmeSlug: KrakowData.slug, rule: MeasureRule(taskCode: "2.2", aggregate: .sum(.amount)),
                           years: 2025...2025, grouping: .total))
        #expect(values == [.total: 20])                 // 2 000 grosze
    }

    @Test func everyGrouping() async throws {
        let events = MeasureRule(taskCode: "4.1", aggregate: .count, kinds: [.event])
        #expect(try await values(events, 2024...2026, .year) == [.year(2025): 3, .year(2026): 1])
        #expect(try await values(events, 2025...2025, .quarter)
            == [.quarter(year: 2025, quarter: 1): 1, .quarter(year: 2025, quarter: 2): 1, .quarter(year: 2025, quarter: 4): 1])
        #expect(try await values(events, 2025...2025, .district) == [.district(18): 2, .district(nil): 1])
        #expect(try await values(events, 2024...2026, .total) == [.total: 4])
        // 1.1 beneficiaries over two years: 999 in 2024, 4500 in 2025.
        let beneficiaries = MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries))
        #expect(try await values(beneficiaries, 2024...2025, .year) == [.year(2024): 999, .year(2025): 4500])
    }

    @Test(arguments: [ActivityStatus.draft, .submitted, .returned])
    func onlyApprovedRecordsCount(_ status: ActivityStatus) async throws {
        let records = [KrakowData.record("4.1", .event, "2025-05-05", status, participants: 7)]
        let aggregator = InMemoryActivityAggregator(records: records)
        for aggregate in [MeasureRule.Aggregate.count, .sum(.participants)] {
            let query = AggregateQuery(programmeSlug: KrakowData.slug, rule: MeasureRule(taskCode: "4.1", aggregate: aggregate),
                                       years: 2025...2025, grouping: .total)
            #expect(try await aggregator.values(query).isEmpty)
        }
    }

    @Test func otherYearsAndProgrammesNeverCount() async throws {
        let beneficiaries = MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries))
        #expect(try await values(beneficiaries, 2024...2024) == [.total: 999])
        #expect(try await values(beneficiaries, 2026...2028) == [:])
        #expect(try await values(beneficiaries, programme: "other-city") == [.total: 7777])
    }

    @Test func kindsAndAudiencesFilter() async throws {
        let participants = MeasureRule.Aggregate.sum(.participants)
        // Trainings of 6.3: 40 + 25 + 8 + 30.
        #expect(try await values(MeasureRule(taskCode: "6.3", aggregate: participants, kinds: [.training])) == [.total: 103])
        // Police parts: 10 of the mixed training's breakdown + 30; the mixed one without a breakdown is left out.
        #expect(try await values(MeasureRule(taskCode: "6.3", aggregate: participants, audiences: [.police])) == [.total: 40])
        // A count takes records with at least one of its audiences: 3 trainings with police.
        #expect(try await values(MeasureRule(taskCode: "6.3", aggregate: .count, audiences: [.police])) == [.total: 3])
        // R4's audiences: 40 + 15 + 5.
        #expect(try await values(MeasureRule(taskCode: "6.3", aggregate: participants,
                                             audiences: [.cityOffice, .municipalGuard])) == [.total: 60])
        // Both filters: workshops for city office staff: 5.
        #expect(try await values(MeasureRule(taskCode: "6.3", aggregate: participants, kinds: [.workshop],
                                             audiences: [.cityOffice])) == [.total: 5])
    }

    @Test func institutionKeys() {
        #expect(ActivityRecord.institutionKey("  SP 12\n") == "sp 12")
        #expect(ActivityRecord.institutionKey("Szkoła Łąkowa") == ActivityRecord.institutionKey("SZKOŁA ŁĄKOWA"))
        #expect(ActivityRecord.institutionKey("   ") == nil)
        #expect(ActivityRecord.institutionKey(nil) == nil)
    }
}

@Suite struct InMemoryReferenceStatisticsTests {
    @Test func theLatestRevisionIsCurrent() async throws {
        let statistics = InMemoryReferenceStatistics(values: KrakowData.references)
        #expect(try await statistics.current(key: "foreign-residents", year: 2025)?.value == 100_000)
        #expect(try await statistics.current(key: "foreign-residents", year: 2024)?.value == 90_000)
        #expect(try await statistics.current(key: "foreign-residents", year: 2026) == nil)
        #expect(try await statistics.current(key: "city-staff", year: 2024) == nil)
    }

    @Test func amongEqualTimesTheLaterInTheListIsCurrent() async throws {
        let statistics = InMemoryReferenceStatistics(values: [
            ReferenceValue(key: "city-staff", year: 2025, value: 1, source: "a"),
            ReferenceValue(key: "city-staff", year: 2025, value: 2, source: "b"),
        ])
        #expect(try await statistics.current(key: "city-staff", year: 2025)?.value == 2)
    }
}

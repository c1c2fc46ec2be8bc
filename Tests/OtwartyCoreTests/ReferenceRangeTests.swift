import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

/// Denominators with a range (issue 13): a reference statistic's low and high estimates give a
/// share's range and the index's, while achievement and the index keep the central value. Every
/// expected number is worked out in the comments from `KrakowData.records`.
@Suite struct ReferenceRangeTests {
    /// Kraków's programme with two hand-made results, so the arithmetic depends on nothing the
    /// programme file's rules may change:
    /// - goal 1 (weight 0.5): 100 × Σ beneficiaries of task 1.1 consultations ÷ foreign residents;
    ///   2025's approved consultations have 3000 + 1500 = 4500 beneficiaries;
    /// - goal 4 (weight 0.5): task 4.1 events, 3 in 2025, target at least 400 (no denominator).
    static func programme(shareTarget: ResultIndicator.Target = .init(value: 4, comparison: .atLeast)) throws -> Programme {
        var programme = try EmbeddedProgrammes.krakow()
        programme.results = [
            ResultIndicator(goal: 1, indicator: "share", weight: 0.5, unit: .percent, baseline: .init(value: 1, year: 2023),
                            target: shareTarget,
                            rule: IndicatorRule(rule: MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries), kinds: [.consultation]),
                                                denominator: "foreign-residents", scale: 100)),
            ResultIndicator(goal: 4, indicator: "events", weight: 0.5, unit: .count, baseline: .init(value: 0, year: 2023),
                            target: .init(value: 400, comparison: .atLeast),
                            rule: IndicatorRule(rule: MeasureRule(taskCode: "4.1", aggregate: .count, kinds: [.event]))),
        ]
        return programme
    }

    static func engine(low: Double?, high: Double?) -> IndicatorEngine {
        let reference = ReferenceValue(key: "foreign-residents", year: 2025, value: 100_000, source: "central",
                                       low: low.map { ReferenceEstimate(value: $0, source: "register") },
                                       high: high.map { ReferenceEstimate(value: $0, source: "study") })
        return KrakowData.engine(references: [reference])
    }

    @Test func aShareCarriesTheRangeOfItsDenominatorAndTheIndexTheRangeItImplies() async throws {
        let report = try await Self.engine(low: 75_000, high: 150_000).report(for: try Self.programme(), year: 2025)
        let share = try #require(report.results.first { $0.goal == 1 })
        // Central: 100 × 4500 ÷ 100 000 = 4.5 %; achievement 4.5 ÷ 4 = 1.125 (the central value's).
        #expect(approximately(share.actual, 4.5))
        #expect(approximately(share.achievement, 1.125))
        // Range: 100 × 4500 ÷ 150 000 = 3 % … 100 × 4500 ÷ 75 000 = 6 %; achievement 0.75 … 1.5.
        #expect(approximately(share.actualRange?.low, 3))
        #expect(approximately(share.actualRange?.high, 6))
        #expect(approximately(share.achievementRange?.low, 0.75))
        #expect(approximately(share.achievementRange?.high, 1.5))
        #expect(share.reference?.low == ReferenceEstimate(value: 75_000, source: "register"))
        // The count has no denominator, so no range: 3 events, achievement 3 ÷ 400 = 0.0075.
        let events = try #require(report.results.first { $0.goal == 4 })
        #expect(events.actualRange == nil && events.achievementRange == nil)
        // Index (central) = 0.5 × min(1.125, 1) + 0.5 × 0.0075 = 0.5 + 0.00375 = 0.50375.
        #expect(approximately(report.index, 0.50375))
        // Low end = 0.5 × 0.75 + 0.00375 = 0.37875; high end = 0.5 × min(1.5, 1) + 0.00375 = 0.50375.
        #expect(approximately(report.indexRange?.low, 0.37875))
        #expect(approximately(report.indexRange?.high, 0.50375))
        #expect(report.partialIndexRange == report.indexRange)
    }

    @Test func aMissingEstimateLeavesItsEndOpen() async throws {
        // Only the higher estimate: the share's low end 100 × 4500 ÷ 150 000 = 3 %, no high end.
        let onlyHigh = try await Self.engine(low: nil, high: 150_000).report(for: try Self.programme(), year: 2025)
        let share = try #require(onlyHigh.results.first { $0.goal == 1 })
        #expect(approximately(share.actualRange?.low, 3) && share.actualRange?.high == nil)
        #expect(approximately(share.achievementRange?.low, 0.75) && share.achievementRange?.high == nil)
        #expect(approximately(onlyHigh.indexRange?.low, 0.37875) && onlyHigh.indexRange?.high == nil)
        // Only the lower estimate: 100 × 4500 ÷ 90 000 = 5 % at the high end, no low end.
        let onlyLow = try await Self.engine(low: 90_000, high: nil).report(for: try Self.programme(), year: 2025)
        let other = try #require(onlyLow.results.first { $0.goal == 1 })
        #expect(other.actualRange?.low == nil && approximately(other.actualRange?.high, 5))
        // Neither: no range at all, for the share or the index; the central figures are unchanged.
        let none = try await Self.engine(low: nil, high: nil).report(for: try Self.programme(), year: 2025)
        #expect(none.results.allSatisfy { $0.actualRange == nil && $0.achievementRange == nil })
        #expect(none.indexRange == nil && none.partialIndexRange == nil)
        #expect(approximately(none.index, 0.50375))
    }

    @Test func atMostAndExactlyTargetsMapTheEndsByTheirShape() async throws {
        // "At most 5 %": achievement = 5 ÷ actual, so the high share gives the low achievement:
        // 5 ÷ 6 = 0.8333… at the low end, 5 ÷ 3 = 1.6667 at the high end; central 5 ÷ 4.5 = 1.1111.
        let atMost = try await Self.engine(low: 75_000, high: 150_000)
            .report(for: try Self.programme(shareTarget: .init(value: 5, comparison: .atMost)), year: 2025)
        let capped = try #require(atMost.results.first { $0.goal == 1 })
        #expect(approximately(capped.achievement, 5 / 4.5))
        #expect(approximately(capped.achievementRange?.low, 5.0 / 6))
        #expect(approximately(capped.achievementRange?.high, 5.0 / 3))
        // "Exactly 4 %": 1 − |3 − 4| ÷ 4 = 0.75 and 1 − |6 − 4| ÷ 4 = 0.5; 4 lies inside 3 … 6, so the
        // best is 1. Central: 1 − 0.5 ÷ 4 = 0.875.
        let exactly = try await Self.engine(low: 75_000, high: 150_000)
            .report(for: try Self.programme(shareTarget: .init(value: 4, comparison: .exactly)), year: 2025)
        let exact = try #require(exactly.results.first { $0.goal == 1 })
        #expect(approximately(exact.achievement, 0.875))
        #expect(approximately(exact.achievementRange?.low, 0.5))
        #expect(approximately(exact.achievementRange?.high, 1))
    }

    @Test func aShareWithoutItsCentralFigureHasNoRange() async throws {
        // 2026 has no reference value: not computable, and no range pretends otherwise.
        let report = try await Self.engine(low: 75_000, high: 150_000).report(for: try Self.programme(), year: 2026)
        let share = try #require(report.results.first { $0.goal == 1 })
        #expect(share.actual == nil && share.actualRange == nil && share.achievementRange == nil)
        #expect(report.index == nil && report.indexRange == nil)
    }
}

@Suite struct ReferenceEstimateValidationTests {
    static func input(value: String = "100000", lowValue: String = "", lowSource: String = "", highValue: String = "",
                      highSource: String = "") -> ReferenceStatisticInput {
        ReferenceStatisticInput(key: "foreign-residents", year: "2025", value: value, source: "GUS", lowValue: lowValue,
                                lowSource: lowSource, highValue: highValue, highSource: highSource)
    }

    @Test func estimatesWithTheirSourcesAreKept() throws {
        let value = try ReferenceStatisticsService.validated(
            Self.input(lowValue: "15 000", lowSource: "baza meldunkowa UMK", highValue: "177500,5", highSource: "UMP"),
            recordedAt: TestClock.defaultStart)
        #expect(value.low == ReferenceEstimate(value: 15_000, source: "baza meldunkowa UMK"))
        #expect(value.high == ReferenceEstimate(value: 177_500.5, source: "UMP"))
        // Empty fields: no range, as before.
        let plain = try ReferenceStatisticsService.validated(Self.input(), recordedAt: TestClock.defaultStart)
        #expect(plain.low == nil && plain.high == nil)
        // The bounds themselves may equal the value.
        let equal = try ReferenceStatisticsService.validated(
            Self.input(lowValue: "100000", lowSource: "a", highValue: "100000", highSource: "b"), recordedAt: TestClock.defaultStart)
        #expect(equal.low?.value == 100_000 && equal.high?.value == 100_000)
    }

    @Test func eachProblemNamesItsField() {
        func fields(_ input: ReferenceStatisticInput) -> [String] {
            ReferenceStatisticsServiceTests.problems(input).map(\.field)
        }
        #expect(fields(Self.input(lowValue: "150000", lowSource: "register")) == ["lowValue"])        // above the value
        #expect(fields(Self.input(highValue: "50000", highSource: "study")) == ["highValue"])         // below the value
        #expect(fields(Self.input(lowValue: "15000")) == ["lowSource"])                                // no source
        #expect(fields(Self.input(highSource: "study")) == ["highValue"])                              // no number
        #expect(fields(Self.input(lowValue: "abc", lowSource: "x")) == ["lowValue"])
        #expect(fields(Self.input(highValue: "1e999", highSource: "x")) == ["highValue"])              // infinity
        #expect(fields(Self.input(highValue: "2000000000000", highSource: "x")) == ["highValue"])      // above 10¹²
        #expect(fields(Self.input(lowValue: "0", lowSource: "x")) == ["lowValue"])                     // divides by nothing
        #expect(fields(Self.input(lowValue: "-5", lowSource: "x")) == ["lowValue"])
        #expect(fields(Self.input(highValue: "200000", highSource: String(repeating: "s", count: 301))) == ["highSource"])
        #expect(ReferenceStatisticsServiceTests.problems(Self.input(lowValue: "150000", lowSource: "r")).first?.messageKey
            == "error.reference.low-above-value")
    }

    @Test func theAuditEntryNamesTheEstimates() async throws {
        let references = InMemoryReferenceRepository(dataVersion: InMemoryDataVersion())
        let audit = InMemoryAuditLog()
        let service = ReferenceStatisticsService(references: references, audit: audit, clock: TestClock().office)
        try await service.set(Self.input(lowValue: "15000", lowSource: "register", highValue: "177500", highSource: "study"), by: 1)
        #expect(try await audit.all.map(\.detail) == ["100000.0 (GUS); low 15000.0 (register); high 177500.0 (study)"])
        #expect(try await references.current(key: "foreign-residents", year: 2025)?.high?.value == 177_500)
    }
}

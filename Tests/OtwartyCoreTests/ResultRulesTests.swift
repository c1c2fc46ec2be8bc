import Foundation
import Testing
@testable import OtwartyCore

/// The results of goals 1, 3, 4 and 6 and the measures that share their records (1.1.a, 1.4.a,
/// 3.5.a, 4.1.a, 6.3.a) computed by Kraków's programme file on hand-computed records (issue 13):
/// goal 1 counts the Point's advice only, and people; goal 4 counts the forms task 4.1 names;
/// goal 6 counts City Office and Guard staff, as people; the shares say where attendances stood in.
@Suite struct ResultRulesTests {
    let programme: Programme
    init() throws { programme = try EmbeddedProgrammes.krakow() }

    static func record(_ task: String, _ kind: ActivityKind, _ status: ActivityStatus = .approved,
                       participants: Int? = nil, beneficiaries: Int? = nil, new: Int? = nil,
                       audiences: Set<Audience> = [], byAudience: [Audience: Int]? = nil) -> ActivityRecord {
        var record = KrakowData.record(task, kind, "2025-05-05", status, participants: participants,
                                       beneficiaries: beneficiaries, audiences: audiences, byAudience: byAudience)
        record.participantsNew = new
        return record
    }

    static let records: [ActivityRecord] = [
        // Task 1.1: advice = consultations. 120 new people reported + 50 visits without a count of
        // new people = 170. The visibility campaign (10 000 reached) and the open day (400) give no
        // advice; the draft never counts. (The rule before issue 13: 300 + 50 + 10 000 + 400 = 10 750.)
        record("1.1", .consultation, beneficiaries: 300, new: 120),
        record("1.1", .consultation, beneficiaries: 50),
        record("1.1", .promotion, beneficiaries: 10_000),
        record("1.1", .event, beneficiaries: 400),
        record("1.1", .consultation, .draft, beneficiaries: 999),

        // Task 1.4: trainings and workshops; 20 new of 25 + 12 (no count of new) = 32; the meeting
        // is not a training.
        record("1.4", .training, participants: 25, new: 20),
        record("1.4", .workshop, participants: 12),
        record("1.4", .meeting, participants: 50),

        // Task 3.5: 25 new of 40 + 60 (no count of new) + 0 new of 10 (all learnt earlier this year) = 85.
        record("3.5", .course, participants: 40, new: 25),
        record("3.5", .workshop, participants: 60),
        record("3.5", .course, participants: 10, new: 0),

        // Task 4.1: an event, a conference, a seminar and a debate = 4; the organisers' meeting, the
        // promotion and the draft conference do not count. (Events only, before issue 13: 1.)
        record("4.1", .event),
        record("4.1", .conference),
        record("4.1", .seminar),
        record("4.1", .debate),
        record("4.1", .meeting),
        record("4.1", .promotion),
        record("4.1", .conference, .draft),

        // Task 6.3, goal 6 (City Office + Municipal Guard, people):
        //   A City Office only, 30, 20 new, no breakdown → whole → 20 people;
        //   B City Office 12 + police 18, 25 new → parts: the 25 new include police officers, so
        //     the City Office part counts as attendances → 12 (fallback);
        //   C seminar, Guard only, 15, no breakdown, no count of new → whole → 15 (fallback);
        //   D Guard + police, 20, no breakdown → left out;
        //   E police only, 40 → not the rule's audiences;
        //   F City Office 6 + Guard 4, 7 new → parts, all the rule's → 7 people.
        //   Σ = 20 + 12 + 15 + 7 = 54; counted A, B, C, F = 4; whole without breakdown A, C = 2;
        //   left out D = 1; fallbacks B, C = 2.
        // 6.3.a (every audience, people): 20 + 25 + 15 + 20 (D, fallback) + 40 (E, fallback) + 7 = 127;
        //   counted 6, fallbacks C, D, E = 3.
        record("6.3", .training, participants: 30, new: 20, audiences: [.cityOffice]),
        record("6.3", .training, participants: 30, new: 25, audiences: [.cityOffice, .police], byAudience: [.cityOffice: 12, .police: 18]),
        record("6.3", .seminar, participants: 15, audiences: [.municipalGuard]),
        record("6.3", .training, participants: 20, audiences: [.municipalGuard, .police]),
        record("6.3", .workshop, participants: 40, audiences: [.police]),
        record("6.3", .training, participants: 10, new: 7, audiences: [.cityOffice, .municipalGuard],
               byAudience: [.cityOffice: 6, .municipalGuard: 4]),
    ]

    static let references = [
        ReferenceValue(key: "foreign-residents", year: 2025, value: 10_000, source: "hand"),
        ReferenceValue(key: "city-staff", year: 2025, value: 3_000, source: "hand"),
    ]

    func report() async throws -> IndicatorReport {
        try await IndicatorEngine(aggregator: InMemoryActivityAggregator(records: Self.records),
                                  references: InMemoryReferenceStatistics(values: Self.references),
                                  sources: InMemoryMeasureSources()).report(for: programme, year: 2025)
    }

    func result(_ report: IndicatorReport, goal: Int) throws -> ResultValue { try #require(report.results.first { $0.goal == goal }) }
    func measure(_ report: IndicatorReport, _ code: String) throws -> MeasureValue { try #require(report.measures.first { $0.code == code }) }

    @Test func goal1CountsPeopleAdvisedByThePointOnly() async throws {
        let report = try await report()
        // R1 = 100 × 170 ÷ 10 000 = 1.7 % (before: 107.5 %).
        let r1 = try result(report, goal: 1)
        #expect(r1.numerator == 170)
        #expect(approximately(r1.actual, 1.7))
        #expect(r1.coverage == AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 2))
        let m = try measure(report, "1.1.a")
        #expect(m.value == 170)
        #expect(m.coverage == r1.coverage)
        #expect(programme.results.first { $0.goal == 1 }?.rule?.rule.kinds == [.consultation])
    }

    @Test func goal4CountsTheFormsTask41Names() async throws {
        let report = try await report()
        // R3 = 4; achievement 4 ÷ 400 = 0.01.
        let r3 = try result(report, goal: 4)
        #expect(r3.actual == 4)
        #expect(approximately(r3.achievement, 0.01))
        #expect(try measure(report, "4.1.a").value == 4)
        // The scope is written in the rule, for pages to show beside the number.
        #expect(programme.results.first { $0.goal == 4 }?.rule?.rule.kinds == [.event, .conference, .seminar, .debate])
    }

    @Test func goal6CountsCityOfficeAndGuardStaffAsPeople() async throws {
        let report = try await report()
        // R4 = 100 × 54 ÷ 3000 = 1.8 %; achievement 1.8 ÷ 2 = 0.9.
        let r4 = try result(report, goal: 6)
        #expect(r4.numerator == 54)
        #expect(approximately(r4.actual, 1.8))
        #expect(approximately(r4.achievement, 0.9))
        #expect(r4.coverage == AggregateCoverage(recordsWithoutBreakdown: 2, recordsLeftOut: 1, attendanceFallbacks: 2, recordsCounted: 4))
        let m = try measure(report, "6.3.a")
        #expect(m.value == 127)
        #expect(m.coverage == AggregateCoverage(attendanceFallbacks: 3, recordsCounted: 6))
    }

    @Test func sharesAndMeasuresOfPeopleUseOfWhomNew() async throws {
        let report = try await report()
        // R2 = 100 × 85 ÷ 10 000 = 0.85 %.
        let r2 = try result(report, goal: 3)
        #expect(r2.numerator == 85)
        #expect(approximately(r2.actual, 0.85))
        #expect(r2.coverage == AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 3))
        #expect(try measure(report, "3.5.a").value == 85)
        #expect(try measure(report, "1.4.a").value == 32)
        #expect(try measure(report, "1.4.a").coverage == AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 2))
    }

    @Test func whichRulesCountPeople() {
        // People where the name counts people (notes/B.md gives the resolution's wording for each).
        let people = programme.goals.flatMap(\.tasks).flatMap(\.measures).filter { $0.rule?.people == true }.map(\.code)
        #expect(Set(people).isSuperset(of: ["1.1.a", "1.4.a", "3.5.a", "6.3.a"]))
        #expect(programme.results.allSatisfy { $0.rule?.rule.people == ($0.unit == .percent) })
        // 1.5.a reads the ratings, positive and negative apart.
        let ratings = programme.goals.flatMap(\.tasks).flatMap(\.measures).first { $0.code == "1.5.a" }
        #expect(ratings?.source == .serviceRatings && ratings?.rule == nil)
    }
}

import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

/// A small hand-made set of Kraków's records for the annual report. Ids are unique so the
/// annex's order can be checked by id.
enum AnnualReportData {
    static let slug = EmbeddedProgrammes.krakowSlug

    static func day(_ iso: String) -> CalendarDate { Fixtures.day(iso) }

    static func record(_ id: ActivityID, _ task: String, _ kind: ActivityKind, _ date: String,
                       _ status: ActivityStatus = .approved, programme: String = slug, participants: Int? = nil,
                       beneficiaries: Int? = nil, grosze: Int64? = nil) -> ActivityRecord {
        ActivityRecord(id: id, programmeSlug: programme, taskCode: task, kind: kind, title: "\(task) #\(id)",
                       startDate: day(date), organisationID: 1, participants: participants,
                       beneficiaries: beneficiaries, amountGrosze: grosze, status: status)
    }

    /// Given out of order on purpose: the annex sorts them.
    static let records: [ActivityRecord] = [
        record(5, "4.1", .event, "2025-12-31"),
        record(1, "1.1", .consultation, "2024-06-01", beneficiaries: 999),
        record(3, "1.1", .consultation, "2025-08-05", beneficiaries: 1500),
        record(2, "1.1", .consultation, "2025-02-10", beneficiaries: 3000),
        record(4, "1.1", .consultation, "2025-03-01", .draft, beneficiaries: 10000),       // never counts
        record(6, "4.1", .event, "2025-03-03"),
        record(7, "3.5", .course, "2025-01-15", participants: 1200),
        record(8, "4.1", .event, "2026-01-01"),                                             // after 2025
        record(9, "1.1", .consultation, "2025-03-01", programme: "other-city", beneficiaries: 7777),
        record(10, "2.2", .other, "2025-01-02", grosze: 1_234_567),                        // late for 2.2
        record(11, "1.3", .publication, "2025-05-05"),
        record(12, "1.10", .other, "2025-04-04"),                                           // no such task
        record(13, "4.1", .event, "2025-03-03"),                                            // same day as 6
    ]

    /// Foreign residents for 2024 and 2025; no city staff at all, so goal 6's result is not computable.
    static let references = InMemoryReferenceStatistics(values: [
        ReferenceValue(key: "foreign-residents", year: 2024, value: 50_000, source: "test"),
        ReferenceValue(key: "foreign-residents", year: 2025, value: 60_000, source: "test"),
    ])

    static func engine(_ records: [ActivityRecord] = records) -> IndicatorEngine {
        IndicatorEngine(aggregator: InMemoryActivityAggregator(records: records), references: references,
                        sources: InMemoryMeasureSources())
    }

    static func build(year: Int, records: [ActivityRecord] = records,
                      products: [ProductRecord] = []) async throws -> AnnualReport {
        try await AnnualReportBuilder(engine: engine(records))
            .build(programme: try EmbeddedProgrammes.krakow(), year: year, records: records,
                   generatedOn: day("2026-03-15"), products: products)
    }
}

@Suite("Annual report model")
struct AnnualReportTests {
    typealias Fixture = AnnualReportData

    @Test("title page and summary")
    func titleAndSummary() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        let report = try await Fixture.build(year: 2025)
        #expect(report.titlePage.programmeTitle == programme.title)
        #expect(report.titlePage.resolution == programme.resolution)
        #expect(report.titlePage.year == 2025)
        #expect(report.titlePage.generatedOn == Fixture.day("2026-03-15"))
        #expect(report.titlePage.dueOn == Fixture.day("2026-04-30"))
        // Approved Kraków records starting in 2025: ids 2, 3, 5, 6, 7, 10, 11, 12, 13.
        #expect(report.summary.approvedRecords == 9)
        // Tasks of the programme with one: 1.1, 1.3, 2.2, 3.5, 4.1 (1.10 is no task).
        #expect(report.summary.tasksWithRecords == 5)
        #expect(report.summary.taskCount == programme.tasks.count)
        #expect(report.summary.totalWeight == 1)
        // Goal 6's result has no city-staff figure: the index is partial over 0.75.
        #expect(report.summary.index == nil)
        #expect(report.summary.isIndexPartial)
        #expect(report.summary.computableWeight == 0.75)
    }

    @Test("results rows and index equal the engine's report")
    func resultsEqualEngine() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        let report = try await Fixture.build(year: 2025)
        let engineReport = try await Fixture.engine().report(for: programme, year: 2025)
        #expect(report.results == engineReport.results)
        #expect(report.results.count == programme.results.count)
        #expect(report.summary.partialIndex == engineReport.partialIndex)
        #expect(report.summary.computableWeight == engineReport.computableWeight)
        // Goal 1: 100 × 4500 ÷ 60 000 = 7.5 %.
        let goal1 = try #require(report.results.first { $0.goal == 1 })
        #expect(goal1.actual == 7.5)
        #expect(goal1.baseline == ResultIndicator.Baseline(value: 4.2, year: 2023))
        let goal6 = try #require(report.results.first { $0.goal == 6 })
        #expect(goal6.actual == nil && goal6.achievement == nil)
        #expect(goal6.notComputable == .missingReference(key: "city-staff", year: 2025))
        #expect(goal6.reason != nil)
        // Every measure's current value is the engine's too.
        let measures = report.goals.flatMap(\.tasks).flatMap(\.measures).map(\.current)
        #expect(measures == engineReport.measures)
    }

    @Test("each measure has one value per year from the period start to the report year")
    func measureHistory() async throws {
        let report = try await Fixture.build(year: 2025)
        let histories = report.goals.flatMap(\.tasks).flatMap(\.measures)
        #expect(!histories.isEmpty)
        for measure in histories {
            #expect(measure.history.map(\.year) == [2024, 2025], "\(measure.code)")
            #expect(measure.history.last?.value == measure.current.value, "\(measure.code)")
            #expect(measure.earlier.map(\.year) == [2024])
        }
        let m11a = try #require(histories.first { $0.code == "1.1.a" })
        #expect(m11a.history == [.init(year: 2024, value: 999), .init(year: 2025, value: 4500)])
        // 2.2.a is in PLN: 1 234 567 grosze = 12 345.67.
        let m22a = try #require(histories.first { $0.code == "2.2.a" })
        #expect(m22a.history.map(\.value) == [0, 12_345.67])

        let first = try await Fixture.build(year: 2024)
        for measure in first.goals.flatMap(\.tasks).flatMap(\.measures) {
            #expect(measure.history.map(\.year) == [2024])
            #expect(measure.earlier.isEmpty)
        }
        let last = try await Fixture.build(year: 2028)
        let m11aLast = try #require(last.goals.flatMap(\.tasks).flatMap(\.measures).first { $0.code == "1.1.a" })
        #expect(m11aLast.history.map(\.year) == Array(2024...2028))
        #expect(m11aLast.history.map(\.value) == [999, 4500, 0, 0, 0])
    }

    private func status(_ report: AnnualReport, _ code: String) throws -> AnnualReport.DeadlineStatus {
        try #require(report.goals.flatMap(\.tasks).first { $0.code == code }).deadlineStatus
    }

    /// Issue 13: the status comes from the task's products (Table 1), not from records: a
    /// record of 2.2 on the deadline day no longer meets it; its two products delivered do.
    @Test("deadline status: continuous, due, overdue, met, late, from products")
    func deadlineStatus() async throws {
        func delivered(_ code: String, _ index: Int, _ iso: String) -> ProductRecord {
            ProductRecord(programmeSlug: Fixture.slug, taskCode: code, index: index, status: .delivered,
                          deliveredOn: Fixture.day(iso))
        }
        let report2025 = try await Fixture.build(year: 2025)
        // 1.1 has no deadline.
        #expect(try status(report2025, "1.1") == .continuous)
        // 1.3 is due 2028-12-31 and nothing of it is recorded: still due in 2025, whatever records exist.
        #expect(try status(report2025, "1.3") == .due)
        // 2.2 was due 2024-12-31 and no product is delivered: overdue.
        #expect(try status(report2025, "2.2") == .overdue)
        #expect(try status(try await Fixture.build(year: 2024), "2.2") == .overdue)

        // A record on the deadline day does not meet it any more: it is not a product.
        let onTime = Fixture.records + [Fixture.record(20, "2.2", .other, "2024-12-31", grosze: 100)]
        #expect(try status(try await Fixture.build(year: 2024, records: onTime), "2.2") == .overdue)
        // Both products, the second on the deadline day: met, in its year and later.
        let both = [delivered("2.2", 0, "2024-10-01"), delivered("2.2", 1, "2024-12-31")]
        #expect(try status(try await Fixture.build(year: 2024, products: both), "2.2") == .met)
        #expect(try status(try await Fixture.build(year: 2025, products: both), "2.2") == .met)
        // The second a month late: overdue in the 2024 report, late from 2025 on.
        let late = [delivered("2.2", 0, "2024-10-01"), delivered("2.2", 1, "2025-01-31")]
        #expect(try status(try await Fixture.build(year: 2024, products: late), "2.2") == .overdue)
        #expect(try status(try await Fixture.build(year: 2025, products: late), "2.2") == .late)

        // 1.3's one product delivered in 2025: met already (delivered before its 2028 deadline);
        // 1.5 (also 2028) had none: in progress once its product is in progress, overdue in 2028.
        let early = [delivered("1.3", 0, "2025-05-01"),
                     ProductRecord(programmeSlug: Fixture.slug, taskCode: "1.5", index: 0, status: .inProgress)]
        #expect(try status(try await Fixture.build(year: 2025, products: early), "1.3") == .met)
        #expect(try status(try await Fixture.build(year: 2025, products: early), "1.5") == .inProgress)
        let report2028 = try await Fixture.build(year: 2028, products: early)
        #expect(try status(report2028, "1.3") == .met)
        #expect(try status(report2028, "1.5") == .overdue)
        #expect(try status(report2028, "1.1") == .continuous)

        // Every task: continuous exactly when it has no deadline.
        for task in report2025.goals.flatMap(\.tasks) {
            #expect((task.deadlineStatus == .continuous) == (task.deadline == nil), "\(task.code)")
        }
    }

    @Test("annex: the year's approved records grouped by task code, then by date")
    func annex() async throws {
        let report = try await Fixture.build(year: 2025)
        #expect(report.annex.map(\.taskCode) == ["1.1", "1.3", "1.10", "2.2", "3.5", "4.1"])
        #expect(report.annex.map { $0.records.map(\.id) } == [[2, 3], [11], [12], [10], [7], [6, 13, 5]])
        #expect(report.annex.first?.taskTitle == (try EmbeddedProgrammes.krakow()).task(code: "1.1")?.title)
        #expect(report.annex[2].taskTitle == nil)
        let all = report.annex.flatMap(\.records)
        let expected = Fixture.records.filter { $0.status == .approved && $0.year == 2025 && $0.programmeSlug == Fixture.slug }
        #expect(Set(all.map(\.id)) == Set(expected.map(\.id)))
        #expect(all.allSatisfy { $0.year == 2025 })
        #expect(all.count == report.summary.approvedRecords)
        // Records per task in the goal sections agree with the annex.
        let tasks = report.goals.flatMap(\.tasks)
        #expect(tasks.first { $0.code == "4.1" }?.recordsInYear == 3)
        #expect(tasks.first { $0.code == "1.2" }?.recordsInYear == 0)
    }

    @Test("tasks carry products and implementers; risks carry score and level")
    func tasksAndRisks() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        let report = try await Fixture.build(year: 2025)
        #expect(report.goals.map(\.number) == programme.goals.map(\.number))
        let task = try #require(report.goals.first?.tasks.first { $0.code == "1.3" })
        let source = try #require(programme.task(code: "1.3"))
        #expect(task.products == source.products)
        #expect(task.implementers == source.implementers)
        #expect(task.deadline == Fixture.day("2028-12-31"))
        #expect(report.risks.count == programme.risks.count)
        let risk = try #require(report.risks.first)
        #expect(risk.score == 3 && risk.level == .moderate && risk.levelName == "ryzyko umiarkowane")
        #expect(report.risks.last?.level == .moderate)
        #expect(report.risks.first { $0.goal == 2 }?.level == .low)
    }

    @Test("a year outside the programme period is rejected", arguments: [2023, 2029])
    func yearOutsidePeriod(year: Int) async throws {
        do {
            _ = try await Fixture.build(year: year)
            Issue.record("expected \(year) to be rejected")
        } catch let DomainError.invalid(errors) {
            #expect(errors.map(\.field) == ["year"])
        }
    }

    @Test("the same inputs give the same report")
    func reproducible() async throws {
        let a = try await Fixture.build(year: 2025)
        let b = try await Fixture.build(year: 2025, records: Fixture.records.reversed())
        #expect(a == b)
    }
}

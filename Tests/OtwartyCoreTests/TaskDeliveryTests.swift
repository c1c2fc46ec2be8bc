import Foundation
import OtwartyCore
import OtwartyTestSupport
import Testing

/// Issue 13 (deliverables): a dated task is met when every product it names was delivered on or
/// before the deadline. Task 2.2 of Kraków's programme is due 2024-12-31 with two products
/// („Zarządzenie Prezydenta”, „Informacja o realizacji planu budżetowego”); 1.1 is continuous.
@Suite struct TaskDeliveryTests {
    static let slug = EmbeddedProgrammes.krakowSlug
    static func day(_ iso: String) -> CalendarDate { Fixtures.day(iso) }
    static func task(_ code: String) throws -> ProgrammeTask { try #require(try EmbeddedProgrammes.krakow().task(code: code)) }

    static func delivered(_ code: String, _ index: Int, _ iso: String) -> ProductRecord {
        ProductRecord(programmeSlug: slug, taskCode: code, index: index, status: .delivered, deliveredOn: day(iso))
    }
    static func status(_ code: String, _ index: Int, _ status: ProductStatus) -> ProductRecord {
        ProductRecord(programmeSlug: slug, taskCode: code, index: index, status: status)
    }

    func at(_ iso: String, _ records: [ProductRecord]) throws -> AnnualReport.DeadlineStatus {
        TaskDelivery.status(of: try Self.task("2.2"), endOf: Self.day(iso), products: records)
    }

    @Test("deadline boundaries: delivered on the deadline day is met, the day after is late")
    func boundaries() throws {
        let both = [Self.delivered("2.2", 0, "2024-11-30"), Self.delivered("2.2", 1, "2024-12-31")]
        #expect(try at("2024-12-31", both) == .met)          // the second on the deadline day itself
        #expect(try at("2026-06-01", both) == .met)          // and it stays met
        let oneLate = [Self.delivered("2.2", 0, "2024-11-30"), Self.delivered("2.2", 1, "2025-01-01")]
        #expect(try at("2024-12-31", oneLate) == .overdue)   // at the deadline's end only one of two is there
        #expect(try at("2025-01-01", oneLate) == .late)      // both delivered, one a day after the deadline
        #expect(try at("2025-12-31", oneLate) == .late)
    }

    @Test("overdue, in progress, due; other tasks' and an unknown index's rows are ignored")
    func beforeAndAfter() throws {
        // Nothing recorded: due before the deadline, overdue once its day is over.
        #expect(try at("2024-06-30", []) == .due)
        #expect(try at("2024-12-30", []) == .due)
        #expect(try at("2024-12-31", []) == .overdue)
        // One of two delivered early: in progress before, overdue after.
        let one = [Self.delivered("2.2", 0, "2024-05-10")]
        #expect(try at("2024-06-30", one) == .inProgress)
        #expect(try at("2025-01-01", one) == .overdue)
        // In progress without a date counts as started; planned does not.
        #expect(try at("2024-06-30", [Self.status("2.2", 1, .inProgress)]) == .inProgress)
        #expect(try at("2024-06-30", [Self.status("2.2", 0, .planned), Self.status("2.2", 1, .planned)]) == .due)
        // Both delivered early: met before the deadline falls.
        #expect(try at("2024-06-30", [Self.delivered("2.2", 0, "2024-05-10"), Self.delivered("2.2", 1, "2024-06-01")]) == .met)
        // A delivery after the day asked about does not count yet.
        #expect(try at("2024-06-30", [Self.delivered("2.2", 0, "2024-05-10"), Self.delivered("2.2", 1, "2024-07-01")]) == .inProgress)
        // Rows of another task or a product the task does not have change nothing.
        #expect(try at("2025-01-01", [Self.delivered("1.3", 0, "2024-05-10"), Self.delivered("2.2", 5, "2024-05-10")]) == .overdue)
        // A continuous task is never judged.
        #expect(TaskDelivery.status(of: try Self.task("1.1"), endOf: Self.day("2028-12-31"),
                                    products: [Self.delivered("1.1", 0, "2024-05-10")]) == .continuous)
    }

    @Test("the report for a year judges at its 31 December and shows later deliveries as in progress")
    func reportYear() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        let products = [Self.delivered("2.2", 0, "2024-10-01"), Self.delivered("2.2", 1, "2025-02-01")]
        let engine = IndicatorEngine(aggregator: InMemoryActivityAggregator(records: []), references: InMemoryReferenceStatistics(values: []),
                                     sources: InMemoryMeasureSources())
        let r2024 = try await AnnualReportBuilder(engine: engine).build(
            programme: programme, year: 2024, records: [], generatedOn: Self.day("2026-03-15"), products: products)
        let t2024 = try #require(r2024.goals.flatMap(\.tasks).first { $0.code == "2.2" })
        #expect(t2024.deadlineStatus == .overdue)
        #expect(t2024.productLines.map(\.record.status) == [.delivered, .inProgress])
        #expect(t2024.productLines.map(\.name) == ["Zarządzenie Prezydenta", "Informacja o realizacji planu budżetowego"])
        let r2025 = try await AnnualReportBuilder(engine: engine).build(
            programme: programme, year: 2025, records: [], generatedOn: Self.day("2026-03-15"), products: products)
        #expect(try #require(r2025.goals.flatMap(\.tasks).first { $0.code == "2.2" }).deadlineStatus == .late)
    }

    @Test("the report shows only public evidence, and a document's title")
    func publicEvidence() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        var withDocument = Self.delivered("2.2", 0, "2024-10-01")
        withDocument.evidence = .document(id: 7)
        var privateLink = Self.delivered("2.2", 1, "2024-10-02")
        privateLink.evidence = .link(url: "https://intranet.example.org/x", isPublic: false)
        var publicLink = Self.delivered("1.3", 0, "2025-01-02")
        publicLink.evidence = .link(url: "https://bip.krakow.pl/?id=1", isPublic: true)
        let engine = IndicatorEngine(aggregator: InMemoryActivityAggregator(records: []), references: InMemoryReferenceStatistics(values: []),
                                     sources: InMemoryMeasureSources())
        let report = try await AnnualReportBuilder(engine: engine).build(
            programme: programme, year: 2025, records: [], generatedOn: Self.day("2026-03-15"),
            products: [withDocument, privateLink, publicLink], documentTitles: [7: "Zarządzenie nr 1/2024"])
        let tasks = report.goals.flatMap(\.tasks)
        let lines = try #require(tasks.first { $0.code == "2.2" }).productLines
        #expect(lines[0].record.evidence == .document(id: 7))
        #expect(lines[0].documentTitle == "Zarządzenie nr 1/2024")
        #expect(lines[1].record.evidence == nil)
        #expect(try #require(tasks.first { $0.code == "1.3" }).productLines[0].record.evidence
                == .link(url: "https://bip.krakow.pl/?id=1", isPublic: true))
    }

    @Test("input rules name their field")
    func inputProblems() {
        let period = Period(from: 2024, to: 2028)
        let today = Self.day("2025-06-15")
        func fields(_ input: ProductInput) -> [String] { input.problems(today: today, period: period).map(\.field) }
        #expect(fields(ProductInput(status: .delivered)) == ["deliveredOn"])
        #expect(fields(ProductInput(status: .delivered, deliveredOn: Self.day("2025-06-15"))) == [])     // today is fine
        #expect(fields(ProductInput(status: .delivered, deliveredOn: Self.day("2025-06-16"))) == ["deliveredOn"])  // tomorrow is not
        #expect(fields(ProductInput(status: .delivered, deliveredOn: Self.day("2022-12-31"))) == ["deliveredOn"])
        #expect(fields(ProductInput(status: .planned, deliveredOn: Self.day("2025-01-01"))) == ["deliveredOn"])
        #expect(fields(ProductInput(status: .planned, plannedOn: Self.day("2030-01-01"))) == ["plannedOn"])
        #expect(fields(ProductInput(status: .inProgress, documentID: 1, link: "https://a.pl")) == ["evidence"])
        for bad in ["javascript:alert(1)", "ftp://a.pl/x", "https://", "https://a.pl/ x", "bip.krakow.pl",
                    "https://a.pl/" + String(repeating: "x", count: 500)] {
            #expect(fields(ProductInput(status: .inProgress, link: bad)) == ["link"], "\(bad)")
        }
        #expect(fields(ProductInput(status: .inProgress, link: "http://bip.krakow.pl/?dok_id=167")) == [])
        #expect(fields(ProductInput(status: .planned, note: String(repeating: "ą", count: 1001))) == ["note"])
    }
}

import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

@Suite struct BudgetServiceTests {
    let budget = MemoryBudgetRepository()
    let audit = RecordingAuditLog()
    let clock = TestClock()
    let programme: Programme
    var service: BudgetService { BudgetService(budget: budget, audit: audit, clock: clock.office) }

    init() throws { programme = try EmbeddedProgrammes.krakow() }

    var subject: String { "budget:\(programme.slug)" }

    func entry(year: Int = 2025, task: String = "1.1", source: Int = 1, planned: Int64 = 150_050, spent: Int64? = nil) -> BudgetEntry {
        BudgetEntry(programmeSlug: programme.slug, year: year, taskCode: task, source: source, plannedGrosze: planned,
                    spentGrosze: spent, note: "Punkt informacyjny")
    }

    @Test func aSavedEntryIsStampedStoredAndAudited() async throws {
        let saved = try await service.save(entry(), in: programme, by: 4)
        #expect(saved.updatedAt == TestClock.defaultStart && saved.updatedBy == 4)
        clock.advance(by: 60)
        try await service.save(entry(spent: 120_000), in: programme, by: 5)
        #expect(try await budget.entries(programme: programme.slug, year: 2025).map(\.spentGrosze) == [120_000])
        #expect(audit.all == [
            AuditEntry(at: TestClock.defaultStart, actorUserID: 4, action: "budget.saved", subject: subject,
                       detail: "2025 1.1 source 1: planned 150050 spent -"),
            AuditEntry(at: TestClock.defaultStart.addingTimeInterval(60), actorUserID: 5, action: "budget.saved", subject: subject,
                       detail: "2025 1.1 source 1: planned 150050 spent 120000"),
        ])
    }

    @Test func anEntryThatDoesNotFitTheProgrammeIsRefusedByField() async throws {
        do {
            try await service.save(entry(year: 2031, task: "9.9", source: 0, planned: -1), in: programme, by: 4)
            Issue.record("a bad entry was stored")
        } catch let DomainError.invalid(errors) {
            #expect(errors.map(\.field) == ["year", "task", "source", "planned"])
        }
        #expect(try await budget.entries(programme: programme.slug, year: nil).isEmpty)
        #expect(audit.all.isEmpty)
    }

    @Test func deletingNamesTheEntryAndAnAbsentOneIsNotFound() async throws {
        try await service.save(entry(), in: programme, by: 4)
        await #expect(throws: DomainError.notFound("Budget entry")) {
            try await service.delete(programme: programme, year: 2025, taskCode: "1.1", source: 2, by: 4)
        }
        try await service.delete(programme: programme, year: 2025, taskCode: "1.1", source: 1, by: 4)
        #expect(try await budget.entries(programme: programme.slug, year: nil).isEmpty)
        #expect(audit.all.map(\.action) == ["budget.saved", "budget.deleted"])
        #expect(audit.all.last?.detail == "2025 1.1 source 1")
    }

    @Test func anImportStoresEveryRowOrNone() async throws {
        let good = "year,task,source,planned,spent,note\n2025,1.1,1,1500.50,,\n2025,1.2,2,200,100,szkolenia\n"
        #expect(try await service.importCSV(good, fileName: "budżet.csv", programme: programme, by: 4) == .imported(count: 2))
        #expect(try await budget.entries(programme: programme.slug, year: 2025).map(\.taskCode) == ["1.1", "1.2"])
        #expect(audit.all == [AuditEntry(at: TestClock.defaultStart, actorUserID: 4, action: "budget.imported", subject: subject,
                                         detail: "2 entries from budżet.csv")])

        let bad = "year,task,source,planned\n2026,1.1,1,100\n2026,9.9,1,100\n"
        guard case let .rejected(problems) = try await service.importCSV(bad, fileName: "zły.csv", programme: programme, by: 4) else {
            Issue.record("a file with a bad row was imported")
            return
        }
        #expect(problems.map(\.row) == [2])
        #expect(try await budget.entries(programme: programme.slug, year: 2026).isEmpty)
        #expect(audit.all.count == 1)
    }
}

import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

@Suite struct ReportStorageTests {
    typealias F = ActivityFixtures
    static let slug = "otwarty-krakow-2024-2028"

    @Test(arguments: DatabaseEngine.allCases)
    func budgetEntriesUpsertByYearTaskAndSourceAndSortTasksAsNumbers(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let budget = SQLBudgetRepository(database: database)
            let user = try await F.user(database)
            let a = BudgetEntry(programmeSlug: Self.slug, year: 2025, taskCode: "1.10", source: 1, plannedGrosze: 100_00,
                                spentGrosze: nil, note: "", updatedAt: F.t0, updatedBy: user)
            let b = BudgetEntry(programmeSlug: Self.slug, year: 2025, taskCode: "1.2", source: 2, plannedGrosze: 5_000_00,
                                spentGrosze: 4_500_50, note: "UE", updatedAt: F.t0, updatedBy: nil)
            let other = BudgetEntry(programmeSlug: Self.slug, year: 2024, taskCode: "1.2", source: 2, plannedGrosze: 1,
                                    spentGrosze: 1, updatedAt: F.t0)
            try await budget.saveAll([a, b, other])
            #expect(try await budget.entries(programme: Self.slug, year: 2025) == [b, a])
            #expect(try await budget.entries(programme: Self.slug, year: nil) == [other, b, a])
            #expect(try await budget.entries(programme: "other", year: nil).isEmpty)

            var changed = a
            changed.spentGrosze = 90_00
            changed.note = "korekta"
            try await budget.save(changed)
            #expect(try await budget.entries(programme: Self.slug, year: 2025) == [b, changed])

            #expect(try await budget.delete(programme: Self.slug, year: 2025, taskCode: "1.2", source: 2))
            #expect(try await budget.delete(programme: Self.slug, year: 2025, taskCode: "1.2", source: 2) == false)
            #expect(try await budget.entries(programme: Self.slug, year: 2025) == [changed])
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func narrativeReplacesAllSections(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let narratives = SQLReportNarrativeRepository(database: database)
            #expect(try await narratives.narrative(programme: Self.slug, year: 2025) == .empty)
            let first = ReportNarrative(introduction: "Wstęp <b>", goalComments: [1: "Cel 1", 3: "Cel 3"],
                                        updatedAt: F.t0, updatedBy: nil)
            try await narratives.save(first, programme: Self.slug, year: 2025)
            #expect(try await narratives.narrative(programme: Self.slug, year: 2025) == first)
            #expect(try await narratives.narrative(programme: Self.slug, year: 2024) == .empty)
            let second = ReportNarrative(introduction: "", goalComments: [2: "Cel 2"], updatedAt: F.t0.addingTimeInterval(60))
            try await narratives.save(second, programme: Self.slug, year: 2025)
            #expect(try await narratives.narrative(programme: Self.slug, year: 2025) == second)
            // Emptied entirely: still "saved", with nothing in it.
            let emptied = ReportNarrative(updatedAt: F.t0.addingTimeInterval(120))
            try await narratives.save(emptied, programme: Self.slug, year: 2025)
            #expect(try await narratives.narrative(programme: Self.slug, year: 2025) == emptied)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func riskAssessmentsComeBackInDateOrder(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let risks = SQLRiskAssessmentRepository(database: database)
            let late = RiskAssessment(programmeSlug: Self.slug, risk: 2, date: F.day("2025-09-01"), score: 6,
                                      reason: "wzrost napięć", recordedAt: F.t0)
            let early = RiskAssessment(programmeSlug: Self.slug, risk: 2, date: F.day("2025-03-01"), score: 3,
                                       reason: "spadek", recordedAt: F.t0.addingTimeInterval(10))
            try await risks.add(late)
            try await risks.add(early)
            #expect(try await risks.assessments(programme: Self.slug) == [early, late])
            #expect(try await risks.assessments(programme: "other").isEmpty)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func frozenFilesComeBackByteForByteAndNumbersAreUnique(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let versions = SQLReportVersionRepository(database: database)
            let user = try await F.user(database)
            // Every byte value, including NUL, must survive both engines' blob types.
            let odt = ReportFile(format: .odt, bytes: (0..<4096).map { UInt8($0 % 256) })
            let html = ReportFile(format: .html, bytes: Array("<html>zażółć</html>".utf8))
            let v1 = try await versions.freeze(programme: Self.slug, year: 2025, number: 1, files: [html, odt],
                                               at: F.t0, by: user)
            #expect(v1.number == 1)
            #expect(v1.digests == [.odt: odt.sha256, .html: html.sha256])
            #expect(try await versions.file(programme: Self.slug, year: 2025, number: 1, format: .odt) == odt)
            #expect(try await versions.file(programme: Self.slug, year: 2025, number: 1, format: .html) == html)
            #expect(try await versions.file(programme: Self.slug, year: 2025, number: 1, format: .pdf) == nil)
            #expect(try await versions.file(programme: Self.slug, year: 2025, number: 2, format: .odt) == nil)

            await #expect(throws: DomainError.self) {
                _ = try await versions.freeze(programme: Self.slug, year: 2025, number: 1, files: [html], at: F.t0, by: nil)
            }
            // The failed freeze stored nothing.
            #expect(try await versions.versions(programme: Self.slug, year: 2025).count == 1)

            _ = try await versions.freeze(programme: Self.slug, year: 2025, number: 2, files: [html], at: F.t0, by: nil)
            _ = try await versions.freeze(programme: Self.slug, year: 2024, number: 1, files: [odt], at: F.t0, by: nil)
            #expect(try await versions.versions(programme: Self.slug, year: 2025).map(\.number) == [2, 1])
            #expect(try await versions.versions(programme: Self.slug).map { "\($0.year)/\($0.number)" } == ["2025/2", "2025/1", "2024/1"])
            #expect(try await versions.versions(programme: Self.slug, year: 2025).last?.digests == v1.digests)

            // A PDF added later is kept; a second one does not replace it.
            let pdf = ReportFile(format: .pdf, bytes: Array("%PDF-1.7 first".utf8))
            #expect(try await versions.addFile(pdf, programme: Self.slug, year: 2025, number: 1) == pdf)
            let again = ReportFile(format: .pdf, bytes: Array("%PDF-1.7 second".utf8))
            #expect(try await versions.addFile(again, programme: Self.slug, year: 2025, number: 1) == pdf)
            #expect(try await versions.file(programme: Self.slug, year: 2025, number: 1, format: .pdf) == pdf)
            await #expect(throws: DomainError.self) {
                _ = try await versions.addFile(pdf, programme: Self.slug, year: 2023, number: 1)
            }
        }
    }
}

extension ReportStorageTests {
    @Test(arguments: DatabaseEngine.allCases)
    func reportedActivitiesAreTheApprovedRecordsUpToTheYear(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisations = try await F.organisations(database, count: 1)
            func add(_ slug: String, _ date: String, _ status: ActivityStatus, end: String? = nil) async throws -> ActivityRecord {
                let input = ActivityInput(taskCode: "4.1", kind: .event, title: "Wydarzenie \(date) 'ü' <x>", startDate: F.day(date),
                                          endDate: end.map(F.day), organisationID: organisations[0], district: F.district(7),
                                          participants: 12, amountGrosze: 150_050)
                return try await repository.create(programmeSlug: slug, input: input, status: status, by: nil, at: F.t0)
            }
            let a = try await add(Self.slug, "2025-03-01", .approved, end: "2025-03-02")
            let b = try await add(Self.slug, "2024-12-31", .approved)
            _ = try await add(Self.slug, "2026-01-01", .approved)
            _ = try await add(Self.slug, "2025-05-05", .submitted)
            _ = try await add("other-programme", "2025-05-05", .approved)
            let reported = try await repository.reportedActivities(programmeSlug: Self.slug, throughYear: 2025)
            #expect(reported.sorted { $0.id < $1.id } == [ReportedActivity(a), ReportedActivity(b)].sorted { $0.id < $1.id })
            #expect(try await repository.reportedActivities(programmeSlug: Self.slug, throughYear: 2024) == [ReportedActivity(b)])
        }
    }
}

import Foundation
import Testing
@testable import OtwartyCore

@Suite("Budget, narrative and risk inputs of the annual report")
struct ReportInputsTests {
    typealias Fixture = AnnualReportData

    /// The budget file reads amounts as every other amount is read (`Money.parse`), and names the
    /// row and column of each it refuses.
    @Test func budgetAmountsAreReadLikeEveryOtherAmount() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let at = Date(timeIntervalSince1970: 0)
        let good = "year,task,source,planned,spent\n2025,1.2,1,\"1 500,50 zł\",PLN 100\n2025,1.2,2,1\u{00A0}000\u{00A0}000,\n"
        guard case let .entries(entries) = BudgetCSV.parse(good, programme: programme, by: nil, at: at) else {
            Issue.record("rejected")
            return
        }
        #expect(entries.map(\.plannedGrosze) == [150_050, 100_000_000] && entries.map(\.spentGrosze) == [10_000, nil])
        let bad = "year,task,source,planned,spent\n2025,1.2,1,\"1,500.50\",\n2025,1.2,2,1000000000.01,-5\n2025,1.2,3,,12.345\n"
        guard case let .problems(problems) = BudgetCSV.parse(bad, programme: programme, by: nil, at: at) else {
            Issue.record("accepted")
            return
        }
        #expect(problems.map(\.description) == [
            "row 1, planned: \"1,500.50\" is not an amount in PLN (e.g. 1500, 1 500,50 or 1500.50 zł)",
            "row 2, planned: \"1000000000.01\" is too large (at most 1000000000 PLN)",
            "row 2, spent: \"-5\": the amount cannot be negative",
            "row 3, planned: an amount in PLN is required (e.g. 1500, 1 500,50 or 1500.50 zł)",
            "row 3, spent: \"12.345\" has more than 2 decimal places (group thousands with spaces: 1 500)",
        ])
        let tooLarge = BudgetEntry(programmeSlug: programme.slug, year: 2025, taskCode: "1.2", source: 1,
                                   plannedGrosze: Money.maxAmount.grosze + 1, spentGrosze: Money.maxAmount.grosze)
        #expect(tooLarge.problems(in: programme).map(\.field) == ["planned"])
    }

    @Test func budgetFileRoundTripsAndOrderOfColumnsIsFree() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let text = "note,spent,planned,source,task,year\n\"UE, część 1\",\"4 500,50\",5000,3,1.2,2025\n,,100,1,6.1,2024\n"
        guard case let .entries(entries) = BudgetCSV.parse(text, programme: programme, by: 7, at: Date(timeIntervalSince1970: 0)) else {
            Issue.record("rejected")
            return
        }
        #expect(entries.count == 2)
        #expect(entries[0].year == 2025 && entries[0].taskCode == "1.2" && entries[0].source == 3)
        #expect(entries[0].plannedGrosze == 500_000 && entries[0].spentGrosze == 450_050 && entries[0].note == "UE, część 1")
        #expect(entries[0].updatedBy == 7)
        #expect(entries[1].spentGrosze == nil)
        guard case let .entries(again) = BudgetCSV.parse(BudgetCSV.write(entries), programme: programme, by: 7,
                                                         at: Date(timeIntervalSince1970: 0)) else {
            Issue.record("written file rejected")
            return
        }
        #expect(again == entries)
    }

    @Test func aBadFileIsRejectedWholeWithEveryProblemNamed() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let text = """
            year,task,source,planned,spent
            2025,1.2,1,100,
            2031,9.9,8,-1,x
            2025,1.2,1,200,
            ,,,,
            """
        guard case let .problems(problems) = BudgetCSV.parse(text, programme: programme, by: nil, at: Date()) else {
            Issue.record("accepted a bad file")
            return
        }
        let shown = problems.map(\.description)
        #expect(shown.contains { $0.hasPrefix("row 2, planned:") })
        #expect(shown.contains { $0.hasPrefix("row 2, spent:") })
        #expect(shown.contains("row 3: repeats row 1 (same year, task and source)"))
        // The range checks come after the cells parse; a row with a good shape but bad values:
        guard case let .problems(range) = BudgetCSV.parse("year,task,source,planned\n2031,9.9,8,1\n", programme: programme,
                                                          by: nil, at: Date()) else {
            Issue.record("accepted values outside the programme")
            return
        }
        #expect(Set(range.compactMap(\.column)) == ["year", "task", "source"])
        #expect(range.allSatisfy { $0.row == 1 })
    }

    @Test func fileLevelProblems() throws {
        let programme = try EmbeddedProgrammes.krakow()
        for (text, expected) in [("", "the file is empty"), ("year,task,source,planned,colour\n", "colour: is not a column"),
                                 ("year,task,planned\n", "source: the column is missing"),
                                 ("year,task,source,planned\n", "the file has a header but no rows")] {
            guard case let .problems(problems) = BudgetCSV.parse(text, programme: programme, by: nil, at: Date()) else {
                Issue.record("accepted \(text)")
                continue
            }
            #expect(problems.contains { $0.description.hasPrefix(expected) }, "\(problems)")
        }
    }

    @Test func narrativeSectionsRoundTripAndAreChecked() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let narrative = ReportNarrative(introduction: "Wstęp", goalComments: [2: "Dwa", 5: ""])
        #expect(narrative.sections == ["introduction": "Wstęp", "goal-2": "Dwa"])
        #expect(ReportNarrative(sections: narrative.sections, updatedAt: nil, updatedBy: nil).goalComments == [2: "Dwa"])
        #expect(narrative.problems(in: programme).isEmpty)
        let bad = ReportNarrative(introduction: String(repeating: "x", count: ReportNarrative.maxSectionLength + 1),
                                  goalComments: [9: "nie ma"])
        #expect(bad.problems(in: programme).map(\.field) == ["introduction", "goal-9"])
    }

    @Test func theReportSumsBudgetPerSourceAndTaskAndFollowsRiskScores() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        func entry(_ year: Int, _ task: String, _ source: Int, _ planned: Int64, _ spent: Int64?) -> BudgetEntry {
            BudgetEntry(programmeSlug: programme.slug, year: year, taskCode: task, source: source, plannedGrosze: planned,
                        spentGrosze: spent)
        }
        let budget = [entry(2025, "1.2", 1, 1000, 900), entry(2025, "1.3", 1, 500, nil), entry(2025, "1.2", 3, 200, 250),
                      entry(2024, "1.2", 1, 99_999, 99_999)]
        func assessment(_ risk: Int, _ date: String, _ score: Int) -> RiskAssessment {
            RiskAssessment(programmeSlug: programme.slug, risk: risk, date: Fixture.day(date), score: score, reason: "r")
        }
        let assessments = [assessment(1, "2024-11-01", 5), assessment(1, "2025-06-01", 2), assessment(1, "2026-02-01", 7),
                           assessment(2, "2025-12-31", 7)]
        let report = try await AnnualReportBuilder(engine: Fixture.engine())
            .build(programme: programme, year: 2025, records: Fixture.records, generatedOn: Fixture.day("2026-03-15"),
                   budget: budget, narrative: ReportNarrative(introduction: "Wstęp"), assessments: assessments)

        let sources = report.financing.sources
        #expect(sources.count == programme.financingSources.count)
        #expect(sources[0].plannedGrosze == 1500 && sources[0].spentGrosze == 900 && sources[0].entries == 2)
        #expect(sources[2].plannedGrosze == 200 && sources[2].spentGrosze == 250 && sources[2].execution == 1.25)
        #expect(sources[1].entries == 0 && sources[1].spentGrosze == nil)
        #expect(report.financing.plannedGrosze == 1700 && report.financing.spentGrosze == 1150)
        let tasks = report.goals.flatMap(\.tasks)
        #expect(tasks.first { $0.code == "1.2" }?.plannedGrosze == 1200)
        #expect(tasks.first { $0.code == "1.2" }?.spentGrosze == 1150)
        #expect(tasks.first { $0.code == "1.3" }?.spentGrosze == nil)
        #expect(tasks.first { $0.code == "2.1" }?.plannedGrosze == nil)
        #expect(report.narrative.introduction == "Wstęp")

        #expect(report.risks[0].scoreAtStart == 5)
        #expect(report.risks[0].score == 2)
        #expect(report.risks[0].level == .low)
        #expect(report.risks[0].changes.map(\.score) == [2])
        #expect(report.risks[1].scoreAtStart == programme.risks[1].score)
        #expect(report.risks[1].score == 7 && report.risks[1].level == .critical)
        #expect(report.risks[2].changes.isEmpty && report.risks[2].score == programme.risks[2].score)

        // A risk added to the register appears after Table 3's, with its reassessments.
        let added = RiskDetails(programmeSlug: programme.slug, number: programme.risks.count + 1,
                                added: .init(goal: 6, name: "Dezinformacja", score: 4, response: .counteract, responseDetail: "d"))
        let withAdded = try await AnnualReportBuilder(engine: Fixture.engine())
            .build(programme: programme, year: 2025, records: Fixture.records, generatedOn: Fixture.day("2026-03-15"),
                   assessments: assessments + [assessment(programme.risks.count + 1, "2025-10-01", 6)], riskDetails: [added])
        #expect(withAdded.risks.count == programme.risks.count + 1)
        #expect(withAdded.risks.last?.name == "Dezinformacja" && withAdded.risks.last?.scoreAtStart == 4 && withAdded.risks.last?.score == 6)
    }

    @Test func aRiskAssessmentIsChecked() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let good = RiskAssessment(programmeSlug: programme.slug, risk: 1, date: Fixture.day("2025-01-01"), score: 4, reason: "x")
        #expect(good.problems(in: programme).isEmpty)
        var bad = good
        bad.risk = 99
        bad.score = 8
        bad.reason = "  "
        #expect(bad.problems(in: programme).map(\.field) == ["risk", "score", "reason"])
    }
}

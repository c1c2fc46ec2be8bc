import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

/// Every one of the 40 rules of Kraków's programme (36 task measures and 4 results), each on its
/// own small year of records worked out by hand (`ProgrammeRuleCases`, the arithmetic in its
/// comments), through the engine with the in-memory aggregator — the reference the SQL aggregator is
/// held to (`ProgrammeRulesSQLTests`). docs/indicators.md lists the same 40 rules.
@Suite struct ProgrammeRulesTests {
    @Test(arguments: ProgrammeRuleCases.all)
    func theRuleGivesTheHandComputedValue(_ c: ProgrammeRuleCase) async throws {
        let engine = IndicatorEngine(aggregator: InMemoryActivityAggregator(records: c.records),
                                     references: InMemoryReferenceStatistics(values: c.references), sources: c.sources)
        let report = try await engine.report(for: Fixtures.krakow, year: ProgrammeRuleCases.year)
        let differences = c.differences(in: report)
        #expect(differences.isEmpty, "\(c): \(differences.joined(separator: "; "))")
    }

    /// The cases were worked out for the rules in the programme file: a rule or source that changes
    /// (or a new measure or result) without its case being worked out again fails here.
    @Test func everyMeasureAndResultOfTheProgrammeHasACaseForItsRule() {
        let programme = Fixtures.krakow
        let cases = ProgrammeRuleCases.all
        var byTarget: [ProgrammeRuleCase.Target: ProgrammeRuleCase] = [:]
        for c in cases {
            #expect(byTarget[c.target] == nil, "two cases for \(c)")
            byTarget[c.target] = c
        }
        var expectedTargets: Set<ProgrammeRuleCase.Target> = []
        for task in programme.tasks {
            for measure in task.measures {
                expectedTargets.insert(.measure(measure.code))
                guard let c = byTarget[.measure(measure.code)] else {
                    Issue.record("\(measure.code) has no case in ProgrammeRuleCases"); continue
                }
                let basis: ProgrammeRuleCase.Basis? = measure.rule.map { .rule($0) } ?? measure.source.map { .source($0) }
                #expect(basis == c.basis, "\(measure.code): the programme file says \(String(describing: basis)), the case was worked out for \(c.basis)")
            }
        }
        for result in programme.results {
            expectedTargets.insert(.result(goal: result.goal))
            guard let c = byTarget[.result(goal: result.goal)] else {
                Issue.record("goal \(result.goal)'s result has no case in ProgrammeRuleCases"); continue
            }
            #expect(result.rule.map { .result($0) } == c.basis,
                    "goal \(result.goal): the programme file says \(String(describing: result.rule)), the case was worked out for \(c.basis)")
        }
        #expect(Set(byTarget.keys) == expectedTargets, "cases for rules the programme does not have: \(Set(byTarget.keys).subtracting(expectedTargets))")
        // Kraków: 36 task measures and 4 results.
        #expect(expectedTargets.count == 40)
    }

    /// 6.2.c for a year whose police data was never imported: still no value and no "not
    /// computable", the status says "never" (importedAt nil), whatever records task 6.2 has.
    @Test func aYearWithoutPoliceDataSaysNeverImported() async throws {
        let sources = InMemoryMeasureSources(imports: [.policeStatistics: [ProgrammeRuleCases.year - 1: ProgrammeRuleCases.policeImport2025]])
        let engine = IndicatorEngine(aggregator: InMemoryActivityAggregator(records: [ProgrammeRuleCases.r("6.2", .other)]),
                                     references: InMemoryReferenceStatistics(), sources: sources)
        let report = try await engine.report(for: Fixtures.krakow, year: ProgrammeRuleCases.year)
        let value = try #require(report.measures.first { $0.code == "6.2.c" })
        #expect(value.value == nil && value.notComputable == nil)
        #expect(value.detail == .dataImport(importedAt: nil))
    }

    /// docs/indicators.md ("For implementers"): Kraków's report is 32 queries for its 35 rules over
    /// records, and 7 of those rules also ask for coverage.
    @Test func theDocumentedQueryCountsHold() {
        let rules = Fixtures.krakow.distinctRules
        #expect(rules.count == 32)
        #expect(rules.filter { $0.splitsByAudience || $0.people }.count == 7)
        #expect(ProgrammeRuleCases.all.filter { $0.recordRule != nil }.count == 35)
    }

    /// The cases are worth their name: each record-based case has records that must not count, and
    /// leaving them out of the rule's filters would change the value.
    @Test(arguments: ProgrammeRuleCases.all.filter { $0.recordRule != nil })
    func theRecordsThatMustNotCountWouldChangeTheValue(_ c: ProgrammeRuleCase) async throws {
        let rule = try #require(c.recordRule)
        // Every record approved, of the case's programme, year and task, of an allowed kind: the
        // value computed over them without the audience split must differ from the expected one.
        let loosened = c.records.map { record -> ActivityRecord in
            var r = record
            r.status = .approved
            r.programmeSlug = Fixtures.krakowSlug
            r.startDate = CalendarDate(year: ProgrammeRuleCases.year, month: 6, day: 1)!
            r.taskCode = rule.taskCode
            if !rule.kinds.isEmpty, !rule.kinds.contains(r.kind) { r.kind = rule.kinds.sorted { $0.rawValue < $1.rawValue }[0] }
            return r
        }
        let loose = MeasureRule(taskCode: rule.taskCode, aggregate: rule.aggregate, kinds: rule.kinds)
        let value = try await InMemoryActivityAggregator(records: loosened)
            .values(AggregateQuery(programmeSlug: Fixtures.krakowSlug, rule: loose, years: ProgrammeRuleCases.year...ProgrammeRuleCases.year,
                                   grouping: .total))[.total] ?? 0
        #expect(value != c.numerator ?? c.expected, "\(c): the records that must not count add nothing")
    }
}

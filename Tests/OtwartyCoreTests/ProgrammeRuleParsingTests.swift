import Foundation
import Testing
@testable import OtwartyCore

/// The `rule` of measures and results in programme files (docs/programme-format.md, "rule").
@Suite struct ProgrammeRuleParsingTests {
    /// Two goals, so that a measure's rule can name a task of a later goal.
    static let file = """
        format: 1
        slug: "rules-city-2025-2027"
        title: "Rules programme"
        resolution: "I/1/25"
        adopted: "2025-01-15"
        period: { from: 2025, to: 2027 }
        reportDue: { month: 4, day: 30 }
        language: "en"
        mainGoal: "An open city"
        goals:
          - number: 1
            title: "Better services"
            tasks:
              - number: 1
                title: "run an information point"
                measures:
                  - name: "Number of beneficiaries"
                    rule: { aggregate: "sum", field: "beneficiaries" }
                  - name: "Number of meetings"
                    rule: { aggregate: "count", kinds: ["meeting", "consultation"], audiences: ["migrants"] }
                  - name: "Number of schools in goal 2's workshops"
                    rule: { aggregate: "distinct-institutions", task: "2.1" }
                  - name: "Budget"
                    rule: { aggregate: "sum", field: "amount" }
                  - name: "Not yet counted"
                deadline: null
                implementers: ["The coordinator"]
          - number: 2
            title: "Education"
            tasks:
              - number: 1
                title: "workshops in schools"
                measures:
                  - name: "Number of workshops"
                    rule: null
                deadline: null
                implementers: ["The coordinator"]
        results:
          - goal: 1
            indicator: "Share of foreigners advised"
            weight: 0.5
            unit: percent
            baseline: { value: 4.2, year: 2024 }
            target: { value: 4, comparison: atLeast }
            rule: { task: "1.1", aggregate: "sum", field: "beneficiaries", denominator: "foreign-residents", scale: 100 }
          - goal: 2
            indicator: "Workshops"
            weight: 0.5
            unit: count
            baseline: { value: 10, year: 2024 }
            target: { value: 12, comparison: atLeast }
            rule: { task: "2.1", aggregate: "count", kinds: ["workshop"] }
        """

    func issues(_ text: String) -> [ProgrammeFileError.Issue] {
        do {
            _ = try ProgrammeFileParser.parse(text)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func readsMeasureRules() throws {
        let p = try ProgrammeFileParser.parse(Self.file)
        let measures = p.tasks[0].measures
        // Without `task`, a measure's rule reads its own task.
        #expect(measures[0].rule == MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries)))
        #expect(measures[1].rule == MeasureRule(taskCode: "1.1", aggregate: .count, kinds: [.meeting, .consultation],
                                                audiences: [.migrants]))
        // A rule may name a task of a later goal.
        #expect(measures[2].rule == MeasureRule(taskCode: "2.1", aggregate: .distinctInstitutions))
        #expect(measures[3].rule == MeasureRule(taskCode: "1.1", aggregate: .sum(.amount)))
        #expect(measures[4].rule == nil)
        #expect(p.tasks[1].measures[0].rule == nil, "rule: null is no rule")
    }

    @Test func readsResultRules() throws {
        let p = try ProgrammeFileParser.parse(Self.file)
        #expect(p.results[0].rule == IndicatorRule(rule: MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries)),
                                                   denominator: "foreign-residents", scale: 100))
        // scale defaults to 1, denominator to none.
        #expect(p.results[1].rule == IndicatorRule(rule: MeasureRule(taskCode: "2.1", aggregate: .count, kinds: [.workshop])))
        #expect(p.results[1].rule?.scale == 1)
    }

    static let measureRule = "rule: { aggregate: \"sum\", field: \"beneficiaries\" }"
    static let measurePath = "goals[0].tasks[0].measures[0].rule"
    static let resultRule = "rule: { task: \"1.1\", aggregate: \"sum\", field: \"beneficiaries\", denominator: \"foreign-residents\", scale: 100 }"
    static let resultPath = "results[0].rule"

    @Test(arguments: [
        // (replace, with, expected path, expected message fragment)
        (measureRule, "rule: { aggregate: \"avg\" }", "\(measurePath).aggregate",
         "\"avg\" is not one of: count, sum, distinct-institutions"),
        (measureRule, "rule: { kinds: [\"event\"] }", "\(measurePath).aggregate", "is required"),
        (measureRule, "rule: { aggregate: \"sum\", field: \"visitors\" }", "\(measurePath).field",
         "\"visitors\" is not one of: participants, beneficiaries, amount"),
        (measureRule, "rule: { aggregate: \"sum\" }", "\(measurePath).field",
         "is required when aggregate is sum (one of: participants, beneficiaries, amount)"),
        (measureRule, "rule: { aggregate: \"count\", field: \"participants\" }", "\(measurePath).field",
         "is only allowed when aggregate is sum"),
        (measureRule, "rule: { aggregate: \"distinct-institutions\", field: \"participants\" }", "\(measurePath).field",
         "is only allowed when aggregate is sum"),
        (measureRule, "rule: { aggregate: \"count\", task: \"9.1\" }", "\(measurePath).task",
         "task \"9.1\" does not exist in this programme"),
        (measureRule, "rule: { aggregate: \"count\", task: \"\" }", "\(measurePath).task", "must not be empty"),
        (measureRule, "rule: { aggregate: \"count\", kinds: [\"event\", \"meetings\"] }", "\(measurePath).kinds[1]",
         "\"meetings\" is not one of: event, training, workshop"),
        (measureRule, "rule: { aggregate: \"count\", kinds: \"event\" }", "\(measurePath).kinds", "must be a list"),
        (measureRule, "rule: { aggregate: \"count\", kinds: [] }", "\(measurePath).kinds",
         "must not be an empty list (leave the key out to count any kind)"),
        (measureRule, "rule: { aggregate: \"count\", kinds: [\"event\", \"event\"] }", "\(measurePath).kinds[1]",
         "\"event\" is listed twice"),
        (measureRule, "rule: { aggregate: \"count\", audiences: [\"staff\"] }", "\(measurePath).audiences[0]",
         "\"staff\" is not one of: city_office, municipal_guard, police"),
        (measureRule, "rule: { aggregate: \"count\", audiences: [] }", "\(measurePath).audiences",
         "must not be an empty list (leave the key out to count any audience)"),
        (measureRule, "rule: { aggregate: \"count\", denominator: \"foreign-residents\" }", "\(measurePath).denominator",
         "is only allowed in a result's rule"),
        (measureRule, "rule: { aggregate: \"count\", scale: 100 }", "\(measurePath).scale",
         "is only allowed in a result's rule"),
        (measureRule, "rule: { aggregate: \"count\", filter: \"x\" }", "\(measurePath).filter", "is not a known key"),
        (measureRule, "rule: \"count\"", measurePath, "must be a mapping"),
        (resultRule, "rule: { aggregate: \"sum\", field: \"beneficiaries\", denominator: \"foreign-residents\", scale: 100 }",
         "\(resultPath).task", "is required (the code of the task whose records count"),
        (resultRule, "rule: { task: \"7.1\", aggregate: \"count\", denominator: \"foreign-residents\" }", "\(resultPath).task",
         "task \"7.1\" does not exist in this programme"),
        (resultRule, "rule: { task: \"1.1\", aggregate: \"count\", denominator: \"Foreign Residents\" }",
         "\(resultPath).denominator", "\"Foreign Residents\" must be lowercase letters, digits and hyphens"),
        (resultRule, "rule: { task: \"1.1\", aggregate: \"count\", denominator: \"foreign-residents\", scale: 0 }",
         "\(resultPath).scale", "0 must be greater than 0 (use 100 for a percentage)"),
        (resultRule, "rule: { task: \"1.1\", aggregate: \"count\", denominator: \"foreign-residents\", scale: \"percent\" }",
         "\(resultPath).scale", "\"percent\" is not a number"),
        (resultRule, "rule: { task: \"1.1\", aggregate: \"count\" }", "\(resultPath).denominator",
         "is required when unit is percent"),
        (resultRule, "rule: { task: \"1.1\", aggregate: \"count\", denominator: \"foreign-residents\", extra: 1 }",
         "\(resultPath).extra", "is not a known key"),
        ("target: { value: 12, comparison: atLeast }", "target: { value: -12, comparison: atLeast }",
         "results[1].target.value", "-12 must not be negative"),
    ] as [(String, String, String, String)])
    func rejectsMalformedRules(_ replace: String, _ replacement: String, _ path: String, _ message: String) {
        let text = Self.file.replacingOccurrences(of: replace, with: replacement)
        #expect(text != Self.file, "the test's replacement did not apply: \(replace)")
        let found = issues(text)
        #expect(found.contains { $0.path == path && $0.message.contains(message) },
                "expected \(path): …\(message)… in \(found)")
    }

    @Test func reportsEveryRuleProblemAtOnceWithLines() {
        let text = Self.file
            .replacingOccurrences(of: Self.measureRule, with: "rule: { aggregate: \"avg\", field: \"visitors\" }")
            .replacingOccurrences(of: "task: \"2.1\", aggregate: \"count\"", with: "task: \"2.9\", aggregate: \"count\"")
        let found = issues(text)
        #expect(found.map(\.path) == ["\(Self.measurePath).aggregate", "\(Self.measurePath).field", "results[1].rule.task"])
        #expect(found.allSatisfy { $0.line != nil })
    }

    @Test func aTaskRejectedForAnotherReasonIsNotAlsoMissing() {
        // Task 2.1's deadline is wrong; the rules naming 2.1 must not add "does not exist".
        let text = Self.file.replacingOccurrences(of: "workshops in schools\"\n        measures:\n          - name: \"Number of workshops\"\n            rule: null\n        deadline: null",
                                                  with: "workshops in schools\"\n        measures:\n          - name: \"Number of workshops\"\n            rule: null\n        deadline: \"soon\"")
        #expect(text != Self.file)
        #expect(issues(text).map(\.path) == ["goals[1].tasks[0].deadline"])
    }

    /// The example at the top of docs/programme-format.md, rules included, is a valid file.
    @Test func documentationExampleLoads() throws {
        // Symlinks resolved, so that a package linking these tests in still finds the docs.
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/programme-format.md"), encoding: .utf8)
        let blocks = doc.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let example = try #require(blocks.first)
        let p = try ProgrammeFileParser.parse(example)
        #expect(p.tasks[0].measures.allSatisfy { $0.rule != nil })
        #expect(p.results.allSatisfy { $0.rule != nil })
    }

    /// `people: true` counts people ("of whom new") instead of attendances (issue 13).
    @Test func readsPeopleFlag() throws {
        let text = Self.file.replacingOccurrences(of: Self.measureRule,
                                                  with: "rule: { aggregate: \"sum\", field: \"beneficiaries\", people: true }")
        #expect(text != Self.file)
        let rule = try #require(try ProgrammeFileParser.parse(text).tasks[0].measures[0].rule)
        #expect(rule == MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries), people: true))
        // Stored without the key when false, so every other rule's stored form is unchanged.
        let plain = try JSONEncoder().encode(MeasureRule(taskCode: "1.1", aggregate: .count))
        #expect(!String(decoding: plain, as: UTF8.self).contains("people"))
        let encoded = try JSONEncoder().encode(rule)
        #expect(try JSONDecoder().decode(MeasureRule.self, from: encoded) == rule)
    }

    static let unsourced = "- name: \"Not yet counted\"\n"

    /// A measure may read a register, the ratings or a data import instead of records (issue 13).
    @Test(arguments: [
        ("source: { register: \"dialogue-bodies\" }", MeasureSource.register(.dialogueBodies)),
        ("source: { register: \"intercultural-assistants\" }", MeasureSource.register(.interculturalAssistants)),
        ("source: { ratings: \"service-points\" }", MeasureSource.serviceRatings),
        ("source: { import: \"police-statistics\" }", MeasureSource.dataImport(.policeStatistics)),
    ])
    func readsMeasureSources(_ line: String, _ expected: MeasureSource) throws {
        let text = Self.file.replacingOccurrences(of: Self.unsourced, with: Self.unsourced + "            \(line)\n")
        #expect(text != Self.file)
        let measure = try ProgrammeFileParser.parse(text).tasks[0].measures[4]
        #expect(measure.source == expected && measure.rule == nil)
    }

    @Test(arguments: [
        ("source: { register: \"choirs\" }", "goals[0].tasks[0].measures[4].source.register", "is not one of"),
        ("source: { register: \"dialogue-bodies\", import: \"police-statistics\" }", "goals[0].tasks[0].measures[4].source",
         "exactly one of"),
        ("source: { ratings: \"taxis\" }", "goals[0].tasks[0].measures[4].source.ratings", "is not one of"),
        ("source: { census: \"2021\" }", "goals[0].tasks[0].measures[4].source.census", "is not a known key"),
        ("rule: { aggregate: \"count\" }\n            source: { register: \"dialogue-bodies\" }",
         "goals[0].tasks[0].measures[4].source", "a rule or a source, not both"),
    ])
    func rejectsMalformedSources(_ line: String, _ path: String, _ message: String) {
        let text = Self.file.replacingOccurrences(of: Self.unsourced, with: Self.unsourced + "            \(line)\n")
        #expect(text != Self.file)
        let found = issues(text)
        #expect(found.contains { $0.path == path && $0.message.contains(message) }, "expected \(path) in \(found)")
    }

    @Test(arguments: [
        ("rule: { aggregate: \"count\", people: true }", "is only allowed with aggregate sum"),
        ("rule: { aggregate: \"sum\", field: \"amount\", people: true }", "is only allowed with aggregate sum"),
        ("rule: { aggregate: \"sum\", field: \"beneficiaries\", people: \"yes\" }", "must be true or false"),
    ])
    func rejectsPeopleWhereThereAreNoPeople(_ rule: String, _ message: String) {
        let text = Self.file.replacingOccurrences(of: Self.measureRule, with: rule)
        let found = issues(text)
        #expect(found.contains { $0.path == "\(Self.measurePath).people" && $0.message.contains(message) }, "\(found)")
    }

    @Test func readsRulesFromJSON() throws {
        let json = """
            {"format": 1, "slug": "j", "title": "T", "resolution": "R", "adopted": "2025-01-01",
             "period": {"from": 2025, "to": 2026}, "reportDue": {"month": 4, "day": 30}, "language": "pl",
             "mainGoal": "M", "goals": [{"number": 1, "title": "G", "outcomes": [], "tasks": [
               {"number": 1, "title": "T", "deadline": null, "products": [], "implementers": ["I"],
                "measures": [{"name": "N", "rule": {"aggregate": "count", "kinds": ["event"]}}]}]}]}
            """
        #expect(try ProgrammeFileParser.parse(json).tasks[0].measures[0].rule
            == MeasureRule(taskCode: "1.1", aggregate: .count, kinds: [.event]))
    }
}

/// Kraków's file: every measure and result has a rule, and the results' rules are exactly the
/// product owner's.
@Suite struct KrakowRulesTests {
    let programme: Programme
    init() throws { programme = try EmbeddedProgrammes.krakow() }

    @Test func everyMeasureAndResultHasARule() {
        let measures = programme.tasks.flatMap(\.measures)
        #expect(measures.count == 36)
        // Each measure has a rule over records or a source (issue 13: 1.5.a reads the ratings).
        #expect(measures.filter { ($0.rule == nil) == ($0.source == nil) }.map(\.code) == [])
        #expect(programme.results.allSatisfy { $0.rule != nil })
        // Rules name existing tasks; a measure without an explicit task reads its own.
        for task in programme.tasks {
            for measure in task.measures where measure.source == nil { #expect(measure.rule?.taskCode == task.code, "\(measure.code)") }
        }
    }

    @Test func resultRulesAreTheProductOwners() {
        let rules = programme.results.map(\.rule)
        // Issue 13: R1 counts the Point's advice (consultations) and people; R2 and R4 count people;
        // R3 counts the forms task 4.1 names (conferences, seminars, debates beside events).
        #expect(rules == [
            IndicatorRule(rule: MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries), kinds: [.consultation], people: true),
                          denominator: "foreign-residents", scale: 100),
            IndicatorRule(rule: MeasureRule(taskCode: "3.5", aggregate: .sum(.participants), people: true),
                          denominator: "foreign-residents", scale: 100),
            IndicatorRule(rule: MeasureRule(taskCode: "4.1", aggregate: .count, kinds: [.event, .conference, .seminar, .debate])),
            IndicatorRule(rule: MeasureRule(taskCode: "6.3", aggregate: .sum(.participants),
                                            audiences: [.cityOffice, .municipalGuard], people: true),
                          denominator: "city-staff", scale: 100),
        ])
    }

    @Test func measuresNamingAKindFilterByIt() {
        func rule(_ code: String) -> MeasureRule? { programme.measure(code: code)?.rule }
        #expect(rule("1.2.a")?.kinds == [.translation])
        #expect(rule("1.6.a")?.kinds == [.researchReport])
        #expect(rule("2.1.a") == MeasureRule(taskCode: "2.1", aggregate: .count, kinds: [.meeting]))
        #expect(rule("2.2.a")?.aggregate == .sum(.amount))
        #expect(rule("3.1.b")?.kinds == [.event])
        #expect(rule("3.3.a")?.kinds == [.promotion])
        #expect(rule("4.2.b")?.kinds == [.meeting])
        #expect(rule("4.3.a")?.kinds == [.patronage])
        #expect(rule("5.1.a")?.aggregate == .distinctInstitutions)
        #expect(rule("5.2.a")?.aggregate == .distinctInstitutions)
        #expect(rule("6.1.b")?.kinds == [.initiative])
        #expect(rule("6.2.a")?.kinds == [.analysis])
        #expect(rule("3.1.a")?.aggregate == .sum(.beneficiaries))
        #expect(rule("6.3.a")?.aggregate == .sum(.participants))
    }
}

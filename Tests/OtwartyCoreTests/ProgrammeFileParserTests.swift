import Testing
@testable import OtwartyCore

@Suite struct ProgrammeFileParserTests {
    static let minimal = """
        format: 1
        slug: "test-city-2025-2027"
        title: "Test programme"
        resolution: "I/1/25"
        adopted: "2025-01-15"
        period: { from: 2025, to: 2027 }
        reportDue: { month: 4, day: 30 }
        language: "en"
        mainGoal: "An open city"
        goals:
          - number: 1
            title: "Better services"
            outcomes: ["equal access"]
            tasks:
              - number: 1
                title: "run an information point"
                measures:
                  - name: "Number of beneficiaries"
                  - name: "Number of consultations"
                deadline: null
                products: ["A strategy"]
                implementers: ["The coordinator"]
              - number: 2
                title: "translate documents"
                measures: [{ name: "Number of documents", code: "T-2" }]
                deadline: "2026-12-31"
                products: []
                implementers: ["The coordinator"]
        results:
          - goal: 1
            indicator: "Share of foreigners advised"
            weight: 1
            unit: percent
            baseline: { value: 4.2, year: 2024 }
            target: { value: 4, comparison: atLeast }
        risks:
          - { goal: 1, name: "Low interest", score: 5, response: counteract, responseDetail: "promotion" }
        """

    func issues(_ text: String) -> [ProgrammeFileError.Issue] {
        do {
            _ = try ProgrammeFileParser.parse(text)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func readsAMinimalFile() throws {
        let p = try ProgrammeFileParser.parse(Self.minimal)
        #expect(p.slug == "test-city-2025-2027")
        #expect(p.tasks.map(\.code) == ["1.1", "1.2"])
        #expect(p.tasks[0].measures.map(\.code) == ["1.1.a", "1.1.b"])
        #expect(p.tasks[1].measures.map(\.code) == ["T-2"])
        #expect(p.tasks[1].deadline == CalendarDate(year: 2026, month: 12, day: 31))
        #expect(p.riskScale == .krakow)
        #expect(p.risks[0].score == 5 && p.riskScale.level(forScore: 5) == .serious)
        #expect(p.financingSources.isEmpty && p.partnerAreas.isEmpty)
    }

    @Test func acceptsJSON() throws {
        let json = """
            {"format": 1, "slug": "j", "title": "T", "resolution": "R", "adopted": "2025-01-01",
             "period": {"from": 2025, "to": 2026}, "reportDue": {"month": 4, "day": 30}, "language": "pl",
             "mainGoal": "M", "goals": [{"number": 1, "title": "G", "outcomes": [], "tasks": [
               {"number": 1, "title": "T", "measures": [{"name": "N"}], "deadline": null, "products": [],
                "implementers": ["I"]}]}]}
            """
        #expect(try ProgrammeFileParser.parse(json).tasks.count == 1)
    }

    @Test(arguments: [
        // (replace, with, expected path, expected message fragment)
        ("deadline: \"2026-12-31\"", "deadline: \"31.12.2026\"", "goals[0].tasks[1].deadline", "\"31.12.2026\" is not a date (YYYY-MM-DD)"),
        ("deadline: null\n", "\n", "goals[0].tasks[0].deadline", "is required (null for a continuous task)"),
        ("weight: 1", "weight: heavy", "results[0].weight", "\"heavy\" is not a number"),
        ("weight: 1", "weight: 0.5", "results", "the weights add up to 0.5, not 1"),
        ("unit: percent", "unit: percents", "results[0].unit", "\"percents\" is not one of: percent, count"),
        ("comparison: atLeast", "comparison: more", "results[0].target.comparison", "is not one of"),
        ("score: 5", "score: 9", "risks[0].score", "9 is outside 1–7"),
        ("response: counteract", "response: ignore", "risks[0].response", "\"ignore\" is not one of"),
        ("  - { goal: 1, name", "  - { goal: 7, name", "risks[0].goal", "goal 7 does not exist"),
        ("  - number: 1\n    title: \"Better", "  - number: 2\n    title: \"Better", "goals[0].number", "expected 1"),
        ("      - number: 2", "      - number: 3", "goals[0].tasks[1].number", "expected 2"),
        ("title: \"Test programme\"", "titel: \"Test programme\"", "titel", "is not a known key"),
        ("title: \"Test programme\"\n", "\n", "title", "is required"),
        ("slug: \"test-city-2025-2027\"", "slug: \"Test City\"", "slug", "lowercase letters"),
        ("adopted: \"2025-01-15\"", "adopted: \"2025-02-30\"", "adopted", "is not a date"),
        ("format: 1", "format: 2", "format", "2 is not supported"),
        ("period: { from: 2025, to: 2027 }", "period: { from: 2027, to: 2025 }", "period", "from (2027) is after to (2025)"),
        ("reportDue: { month: 4, day: 30 }", "reportDue: { month: 2, day: 30 }", "reportDue", "month 2 has no day 30"),
        ("measures: [{ name: \"Number of documents\", code: \"T-2\" }]", "measures: []", "goals[0].tasks[1].measures", "at least one measure"),
        ("implementers: [\"The coordinator\"]\n      - number: 2", "implementers: \"The coordinator\"\n      - number: 2", "goals[0].tasks[0].implementers", "must be a list"),
        ("outcomes: [\"equal access\"]", "outcomes: [\"\"]", "goals[0].outcomes[0]", "must not be empty"),
    ] as [(String, String, String, String)])
    func rejectsMalformedValues(_ replace: String, _ replacement: String, _ path: String, _ message: String) {
        let text = Self.minimal.replacingOccurrences(of: replace, with: replacement)
        #expect(text != Self.minimal, "the test's replacement did not apply: \(replace)")
        let found = issues(text)
        #expect(found.contains { $0.path == path && $0.message.contains(message) },
                "expected \(path): …\(message)… in \(found)")
    }

    @Test func reportsEveryProblemAtOnce() {
        let text = Self.minimal
            .replacingOccurrences(of: "deadline: \"2026-12-31\"", with: "deadline: \"31.12.2026\"")
            .replacingOccurrences(of: "score: 5", with: "score: 0")
        let found = issues(text)
        #expect(found.map(\.path) == ["goals[0].tasks[1].deadline", "risks[0].score"])
        #expect(found[0].line != nil)
        #expect(found[0].description.hasPrefix("goals[0].tasks[1].deadline: \"31.12.2026\" is not a date (YYYY-MM-DD) (line "))
    }

    @Test func rejectsBrokenSyntaxAndEmptyFiles() {
        #expect(issues("")[0].message == "the file is empty")
        #expect(issues("goals: [unclosed")[0].message.hasPrefix("not valid YAML or JSON"))
        #expect(issues("- just\n- a list")[0].message.contains("must be a mapping"))
    }

    @Test func measureCodesAfterZ() {
        #expect(Measure.defaultCode(goal: 1, task: 2, index: 0) == "1.2.a")
        #expect(Measure.defaultCode(goal: 1, task: 2, index: 25) == "1.2.z")
        #expect(Measure.defaultCode(goal: 1, task: 2, index: 26) == "1.2.aa")
    }
}

import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

/// `method:` of measures and results (docs/programme-format.md, "method"): parsed with every part
/// required and errors naming the path; translated in the glosses file; and a database that took
/// Kraków's programme from an older embedded file picks up the new one.
@Suite struct MethodologyTests {
    static let method = """
        method: { definition: "Sum of beneficiaries of task 1.1 records", unit: "attendances", source: "records", limits: "A person advised twice counts twice" }
        """
    static let file = """
        format: 1
        slug: "method-city-2025-2027"
        title: "Method programme"
        resolution: "I/1/25"
        adopted: "2025-01-15"
        period: { from: 2025, to: 2027 }
        reportDue: { month: 4, day: 30 }
        language: "pl"
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
                    \(method)
                  - name: "Not yet explained"
                deadline: null
                implementers: ["The coordinator"]
        results:
          - goal: 1
            indicator: "Share of foreigners advised"
            weight: 1
            unit: percent
            baseline: { value: 4.2, year: 2024 }
            target: { value: 4, comparison: atLeast }
            rule: { task: "1.1", aggregate: "sum", field: "beneficiaries", denominator: "foreign-residents", scale: 100 }
            method:
              definition: "100 × beneficiaries ÷ foreign residents"
              unit: "percent"
              source: ["records", "reference-statistic"]
              limits: "The denominator is an estimate"
        """

    func issues(_ text: String) -> [ProgrammeFileError.Issue] {
        do {
            _ = try ProgrammeFileParser.parse(text)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func readsMethodsOfMeasuresAndResults() throws {
        let p = try ProgrammeFileParser.parse(Self.file)
        #expect(p.tasks[0].measures[0].method == Methodology(
            definition: "Sum of beneficiaries of task 1.1 records", unit: .attendances, sources: [.records],
            limits: "A person advised twice counts twice"))
        #expect(p.tasks[0].measures[1].method == nil, "method is optional")
        #expect(p.results[0].method?.sources == [.records, .referenceStatistic], "a list keeps its order")
        #expect(p.results[0].method?.unit == .percent)
        #expect(p.methodology(ofMeasure: "1.1.a")?.unit == .attendances)
        #expect(p.methodology(ofMeasure: "1.1.b") == nil && p.methodology(ofMeasure: "9.9.z") == nil)
        #expect(p.methodology(ofResult: 1)?.limits == "The denominator is an estimate")
        #expect(p.methodology(ofResult: 2) == nil)
    }

    static let path = "goals[0].tasks[0].measures[0].method"

    @Test(arguments: [
        ("unit: \"attendances\"", "unit: \"visitors\"", "\(path).unit", "\"visitors\" is not one of: events, meetings"),
        ("source: \"records\"", "source: \"survey\"", "\(path).source", "\"survey\" is not one of: records, register"),
        ("source: \"records\"", "source: []", "\(path).source", "must name at least one of: records"),
        ("source: \"records\"", "source: [\"records\", \"records\"]", "\(path).source[1]", "\"records\" is listed twice"),
        ("source: \"records\"", "sources: \"records\"", "\(path).sources", "is not a known key"),
        ("limits: \"A person advised twice counts twice\"", "limits: \"\"", "\(path).limits", "must not be empty"),
        ("limits: \"A person advised twice counts twice\"", "", "\(path).limits", "is required"),
        ("definition: \"Sum of beneficiaries of task 1.1 records\"", "definition: [\"x\"]", "\(path).definition",
         "must be text"),
    ])
    func aBadMethodNamesItsPath(replace: String, with: String, path: String, message: String) {
        let text = Self.file.replacingOccurrences(of: replace, with: with)
        #expect(text != Self.file)
        let found = issues(text)
        #expect(found.contains { $0.path == path && $0.message.contains(message) }, "\(found)")
    }

    @Test func aMethodThatIsNotAMappingIsRefused() {
        let text = Self.file.replacingOccurrences(of: Self.method, with: "method: \"counts people\"")
        #expect(issues(text).contains { $0.path == Self.path && $0.message.contains("must be a mapping") })
    }

    /// The digest of a stored programme must not move for a programme without methods: `method` is
    /// written only when present.
    @Test func aMeasureWithoutAMethodEncodesAsBefore() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(Measure(code: "1.1.a", name: "x")), as: UTF8.self)
        #expect(json == #"{"code":"1.1.a","name":"x"}"#)
        let decoded = try JSONDecoder().decode(Measure.self, from: Data(json.utf8))
        #expect(decoded.method == nil)
    }

    // MARK: Translations

    static let glosses = """
        programme: method-city-2025-2027
        languages: [en, uk]
        notice: { en: "Unofficial", uk: "Неофіційно" }
        methods:
          measures:
            "1.1.a":
              definition: { en: "Beneficiaries of task 1.1", uk: "Бенефіціари завдання 1.1" }
              limits: { en: "Counts visits", uk: "Рахує відвідування" }
          results:
            - goal: 1
              definition: { en: "Share advised", uk: "Частка" }
              limits: { en: "Estimate", uk: "Оцінка" }
        """

    @Test func textsComeInTheReadersLanguageOrInTheOriginalMarkedWithItsLanguage() throws {
        let p = try ProgrammeFileParser.parse(Self.file)
        let glosses = try ProgrammeGlosses.parse(Self.glosses)
        let en = try #require(p.methodology(of: .measure("1.1.a"), language: "en", glosses: glosses))
        #expect(en.definition == "Beneficiaries of task 1.1" && en.definitionLanguage == "en")
        #expect(en.limits == "Counts visits" && en.limitsLanguage == "en")
        #expect(en.unit == .attendances && en.sources == [.records])
        let pl = try #require(p.methodology(of: .measure("1.1.a"), language: "pl", glosses: glosses))
        #expect(pl.definition == "Sum of beneficiaries of task 1.1 records" && pl.definitionLanguage == "pl")
        // Russian is not in the file: the original, marked Polish.
        let ru = try #require(p.methodology(of: .measure("1.1.a"), language: "ru", glosses: glosses))
        #expect(ru.definitionLanguage == "pl" && ru.limits == "A person advised twice counts twice")
        #expect(p.methodology(of: .result(1), language: "uk", glosses: glosses)?.limits == "Оцінка")
        #expect(p.methodology(of: .measure("1.1.b"), language: "en", glosses: glosses) == nil)
        #expect(p.methodology(of: .goal(1), language: "en", glosses: glosses) == nil)
        #expect(glosses.missing(in: p).filter { $0.hasPrefix("methods.") } == [])
    }

    @Test func aMissingTranslationIsNamed() throws {
        let p = try ProgrammeFileParser.parse(Self.file)
        let text = Self.glosses.replacingOccurrences(of: "limits: { en: \"Counts visits\", uk: \"Рахує відвідування\" }",
                                                     with: "limits: { en: \"Counts visits\" }")
            .replacingOccurrences(of: "- goal: 1", with: "- goal: 2")
        let missing = try ProgrammeGlosses.parse(text).missing(in: p)
        #expect(missing.contains("methods.measures.1.1.a limits uk"))
        #expect(missing.contains("methods.results.1 goal 2 ≠ 1"))
    }

    @Test func aBadMethodsSectionNamesWhereItIsWrong() {
        for (text, path) in [
            ("programme: x\nlanguages: [en]\nmethods:\n  measure: {}\n", "methods.measure"),
            ("programme: x\nlanguages: [en]\nmethods:\n  measures:\n    \"1.1.a\": { scope: { en: \"x\" } }\n",
             "methods.measures.1.1.a.scope"),
            ("programme: x\nlanguages: [en]\nmethods:\n  results:\n    - definition: { en: \"x\" }\n", "methods.results[0].goal"),
        ] {
            do {
                _ = try ProgrammeGlosses.parse(text)
                Issue.record("accepted \(text)")
            } catch let error as GlossesFileError {
                #expect(error.path == path)
            } catch { Issue.record("\(error)") }
        }
    }

    // MARK: An older database picks up the changed embedded file

    @Test func anEmbeddedProgrammeFromAnOlderReleaseIsBroughtUpToDate() async throws {
        let clock = TestClock()
        let programmes = InMemoryProgrammeRepository(clock: clock.office)
        let audit = InMemoryAuditLog()
        let service = ProgrammeService(programmes: programmes, audit: audit, clock: clock.office)
        let current = try EmbeddedProgrammes.krakow()
        // What an older release stored at first start: a programme file that differed.
        var older = current
        older.goals[0].tasks[0].title += " (wersja starsza)"
        _ = try await programmes.save(older)
        try await audit.record(AuditEntry(at: clock.office.now(), actorUserID: nil, action: "programme.loaded",
                                          subject: "programme:\(current.slug)", detail: "embedded default"))
        #expect(try await service.refreshEmbeddedIfUnchangedByOperator() == .updated)
        #expect(try await programmes.programme(slug: current.slug) == current)
        #expect(try await audit.all.last?.detail == "embedded file changed")
        // Once up to date, nothing more happens.
        #expect(try await service.refreshEmbeddedIfUnchangedByOperator() == .unchanged)
        #expect(try await audit.all.count == 2)
    }

    @Test func anOperatorsOwnFileIsLeftAlone() async throws {
        let clock = TestClock()
        let programmes = InMemoryProgrammeRepository(clock: clock.office)
        let audit = InMemoryAuditLog()
        let service = ProgrammeService(programmes: programmes, audit: audit, clock: clock.office)
        #expect(try await service.loadDefaultIfNoneLoaded())
        var own = try EmbeddedProgrammes.krakow()
        own.goals[0].tasks[0].title += " (poprawione)"
        #expect(try await service.load(own, by: 1) == .updated)
        #expect(try await service.refreshEmbeddedIfUnchangedByOperator() == .unchanged)
        #expect(try await programmes.programme(slug: own.slug) == own)
        // An instance without Kraków's programme is not given it.
        let empty = ProgrammeService(programmes: InMemoryProgrammeRepository(clock: clock.office), audit: InMemoryAuditLog(),
                                     clock: clock.office)
        #expect(try await empty.refreshEmbeddedIfUnchangedByOperator() == .unchanged)
    }
}


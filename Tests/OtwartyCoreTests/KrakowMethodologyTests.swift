import Foundation
import Testing
@testable import OtwartyCore

/// Kraków's 40 numbers each carry a methodology that agrees with how the number is computed, and
/// is translated into every language of the glosses file.
@Suite struct KrakowMethodologyTests {
    @Test func everyMeasureAndResultHasAMethodTranslatedIntoEnglishUkrainianAndRussian() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let measures = programme.tasks.flatMap(\.measures)
        #expect(measures.count == 36 && programme.results.count == 4)
        #expect(measures.filter { $0.method == nil }.map(\.code) == [])
        #expect(programme.results.filter { $0.method == nil }.map(\.goal) == [])
        let glosses = try ProgrammeGlosses.parse(ProgrammeGlosses.bundledFileText(slug: programme.slug))
        // Names each gap, e.g. "methods.measures.3.4.a limits uk".
        #expect(glosses.missing(in: programme).filter { $0.hasPrefix("methods.") } == [])
        for language in ["en", "uk", "ru"] {
            let result = try #require(programme.methodology(of: .result(4), language: language, glosses: glosses))
            #expect(result.definitionLanguage == language && result.limitsLanguage == language)
        }
    }

    /// The words must not drift from the rule: the unit and sources follow from what the rule adds
    /// up and where it reads, and a definition over records names the task whose records count.
    @Test func everyMethodAgreesWithItsRule() throws {
        let programme = try EmbeddedProgrammes.krakow()
        var disagreements: [String] = []
        func check(_ name: String, _ method: Methodology?, rule: MeasureRule?, source: MeasureSource?, denominator: String?) {
            guard let method else { return }
            let expected: (units: Set<CountedUnit>, sources: [MethodSource])
            switch (rule, source) {
            case (_, .register?): expected = ([.people, .bodies], [.register])
            case (_, .serviceRatings?): expected = ([.ratings], [.ratings])
            case (_, .dataImport?): expected = ([.dataStatus], [.dataImport])
            case (let rule?, nil):
                let sources: [MethodSource] = denominator == nil ? [.records] : [.records, .referenceStatistic]
                if denominator != nil {
                    expected = ([.percent], sources)
                } else {
                    switch rule.aggregate {
                    case .count:
                        expected = ([.events, .meetings, .trainings, .actions, .initiatives, .patronages, .documents, .updates], sources)
                    case .sum(.amount): expected = ([.pln], sources)
                    case .sum: expected = (rule.people ? [.people] : [.attendances, .applications, .visits, .reach], sources)
                    case .distinctInstitutions: expected = ([.institutions], sources)
                    }
                }
                if !method.definition.contains(rule.taskCode) { disagreements.append("\(name): definition does not name task \(rule.taskCode)") }
            case (nil, nil): expected = ([], [])
            }
            if !expected.units.contains(method.unit) { disagreements.append("\(name): unit \(method.unit.rawValue)") }
            if method.sources != expected.sources { disagreements.append("\(name): sources \(method.sources.map(\.rawValue))") }
        }
        for measure in programme.tasks.flatMap(\.measures) {
            check(measure.code, measure.method, rule: measure.rule, source: measure.source, denominator: nil)
        }
        for (index, result) in programme.results.enumerated() {
            check("results[\(index)]", result.method, rule: result.rule?.rule, source: nil, denominator: result.rule?.denominator)
        }
        #expect(disagreements == [])
    }
}

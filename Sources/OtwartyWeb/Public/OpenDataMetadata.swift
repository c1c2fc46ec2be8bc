import Foundation
import OtwartyCore

/// A dataset's metadata in the spirit of Eurostat's SIMS (Single Integrated Metadata Structure,
/// version 2.0): the concepts a reader of official statistics looks for — contact, statistical
/// presentation, unit of measure, reference period, mandate, confidentiality, release policy,
/// frequency, accessibility, accuracy, timeliness, coherence, source data, validation and
/// compilation — each text in the four languages (`{"pl": …, "en": …, "uk": …, "ru": …}`). For
/// the indicators datasets, `methods` gives every measure's and result's methodology (issue 13,
/// "methodology beside every number"). Served at `/open-data/metadata/<dataset>` and listed in the
/// catalogue beside each dataset.
struct OpenDataMetadata: Encodable {
    typealias Texts = [String: String]

    struct Contact: Encodable {
        var organisation: Texts
        var email: String
        var homepage: String
    }

    struct StatisticalPresentation: Encodable {
        var dataDescription: Texts
        var classificationSystem: Texts
        var statisticalConceptsAndDefinitions: Texts
        var statisticalUnit: Texts
        var statisticalPopulation: Texts
        var referenceArea: Texts
        var timeCoverage: String
        /// nil where the data have no base period.
        @Nullable var basePeriod: Texts?
    }

    /// One measure's or result's methodology, as the programme file and the glosses file give it.
    struct Method: Encodable {
        /// `1.1.a`, or `R1` for the goal 1 result (as in the indicators files' `code`).
        var code: String
        var type: String
        /// The measure or indicator as the act words it (Polish).
        var name: String
        var definition: Texts
        var unit: Coded
        var sources: [Coded]
        var limits: Texts
    }

    struct Coded: Encodable {
        var code: String
        var name: Texts
    }

    var standard = "SIMS 2.0 (Eurostat Single Integrated Metadata Structure), selected concepts"
    var dataset: String
    var title: Texts
    var contact: Contact
    var metadataLastUpdate: String
    var statisticalPresentation: StatisticalPresentation
    var unitOfMeasure: Texts
    var referencePeriod: Texts
    var institutionalMandate: Texts
    var confidentiality: Texts
    var releasePolicy: Texts
    var license: String
    var frequencyOfDissemination: Texts
    var accessibilityAndClarity: Accessibility
    var accuracyAndReliability: Texts
    var timeliness: Texts
    var coherenceAndComparability: Texts
    var sourceData: Texts
    var dataValidation: Texts
    var dataCompilation: Texts
    /// Indicators datasets only: each value's definition, unit, sources and limits.
    var methods: [Method]?

    struct Accessibility: Encodable {
        var downloads: [String]
        var catalogue: String
        var documentation: Texts
    }
}

extension OpenDataCatalogue {
    /// The dataset families: which texts describe a dataset.
    enum Family: String {
        case programme, indicators, events, incidents, iati
    }

    static func family(of identifier: String) -> Family? {
        if identifier == "programme" { return .programme }
        if identifier == "iati-results" { return .iati }
        if identifier.hasPrefix("indicators-") { return .indicators }
        if identifier.hasPrefix("events-") { return .events }
        if identifier.hasPrefix("incident-statistics-") { return .incidents }
        return nil
    }

    /// The metadata of the catalogue's dataset `identifier`, or nil when the catalogue has none by
    /// that name. `updated` is the day the stored programme (its rules and methodology) last changed.
    func metadata(of identifier: String, updated: CalendarDate) -> OpenDataMetadata? {
        guard let dataset = datasets().first(where: { $0.identifier == identifier }),
              let family = Self.family(of: identifier) else { return nil }
        let year = Int(dataset.temporal)
        func filled(_ key: String, _ values: [String: String]) -> [String: String] {
            texts(key).mapValues { text in values.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) } }
        }
        let referencePeriod = year.map { filled("sims.reference-period.year", ["year": String($0)]) }
            ?? filled("sims.reference-period.programme", ["from": String(programme.period.from), "to": String(programme.period.to)])
        let population: String
        let source: String
        let confidentiality: [String: String]
        switch family {
        case .programme:
            population = "sims.population.programme"; source = "sims.source.programme"
            confidentiality = texts("sims.confidentiality")
        case .incidents:
            population = "sims.population.incidents"; source = "sims.source.incidents"
            confidentiality = texts("sims.confidentiality-incidents")
        case .indicators, .events, .iati:
            population = "sims.population.records"; source = "sims.source.records"
            confidentiality = texts("sims.confidentiality")
        }
        let hasBase = family == .indicators || family == .iati
        return OpenDataMetadata(
            dataset: identifier, title: dataset.title,
            contact: .init(organisation: texts("sims.contact.organisation"), email: "otwarty@um.krakow.pl", homepage: baseURL + "/"),
            metadataLastUpdate: updated.description,
            statisticalPresentation: .init(
                dataDescription: texts("sims.\(family.rawValue).description"), classificationSystem: texts("sims.classification"),
                // For indicators: how a value is formed from the records (the per-value definitions are in `methods`).
                statisticalConceptsAndDefinitions: texts(family == .indicators ? "sims.indicators.accuracy" : "sims.\(family.rawValue).description"),
                statisticalUnit: texts("sims.\(family.rawValue).unit"), statisticalPopulation: texts(population),
                referenceArea: texts("sims.reference-area"), timeCoverage: dataset.temporal,
                basePeriod: hasBase ? texts("sims.base-period") : nil),
            unitOfMeasure: texts("sims.\(family.rawValue).measure"), referencePeriod: referencePeriod,
            institutionalMandate: texts("sims.mandate"), confidentiality: confidentiality,
            releasePolicy: texts("sims.release"), license: Self.licence,
            frequencyOfDissemination: texts(family == .programme ? "sims.frequency-programme" : "sims.frequency"),
            accessibilityAndClarity: .init(downloads: dataset.distributions.map(\.downloadURL),
                                           catalogue: baseURL + SharedURL.apiOpenData.path(),
                                           documentation: texts("sims.documentation")),
            accuracyAndReliability: texts(family == .indicators ? "sims.indicators.reliability" : "sims.\(family.rawValue).accuracy"),
            timeliness: texts("sims.timeliness"),
            coherenceAndComparability: texts("sims.coherence"), sourceData: texts(source),
            dataValidation: texts("sims.validation"), dataCompilation: texts("sims.compilation"),
            methods: family == .indicators || family == .iati ? methods(resultsOnly: family == .iati) : nil)
    }

    /// Every methodology of the programme in every language (the results first, coded as in the
    /// indicators files: `R1` for goal 1's result).
    func methods(resultsOnly: Bool) -> [OpenDataMetadata.Method] {
        let glosses = ProgrammeGlosses.bundled(slug: programme.slug)
        let entries = AnnualReport.MethodEntry.all(of: programme).filter { !resultsOnly || $0.element.isResult }
        return entries.map { entry in
            var definition: [String: String] = [:]
            var limits: [String: String] = [:]
            for language in localiser.languages.map(\.code) {
                let localised = entry.method.localised(entry.element, language: language, programmeLanguage: programme.language,
                                                       glosses: glosses)
                definition[language] = localised.definition
                limits[language] = localised.limits
            }
            let isResult = entry.element.isResult
            return OpenDataMetadata.Method(
                code: isResult ? "R\(entry.code)" : entry.code, type: isResult ? "result" : "measure", name: entry.name,
                definition: definition,
                unit: .init(code: entry.method.unit.rawValue, name: texts("methodology.unit.\(entry.method.unit.rawValue)")),
                sources: entry.method.sources.map { .init(code: $0.rawValue, name: texts("methodology.source.\($0.rawValue)")) },
                limits: limits)
        }
    }
}

extension ProgrammeGlosses.Element {
    var isResult: Bool { if case .result = self { return true } else { return false } }
}

import Foundation
import OtwartyCore

/// What a reader needs beside a number to know what it means (issue 13, "methodology beside every
/// number"): the range a share may lie in, parts kept apart (ratings), a data source's status,
/// notes on what the value rests on, and — folded in a `<details>` "How it is counted" — the
/// definition, what the rule counts, the unit, the sources (with a share's reference statistic and
/// its estimates) and the known limits. One model and one partial (`value-explanation`) for the
/// dashboard and the public progress page, so both say the same thing.
///
/// Field names are read in templates as `{{.name}}` (the current context only): a nil field must
/// never find a namesake further up Mustache's context stack.
public struct ValueExplanation: Sendable {
    /// "3,1–6%": the value's range from the reference statistic's estimates; nil without one.
    public var valueRange: String?
    /// Says that an end of the range is missing and why; nil when both ends are known.
    public var rangeNote: String?
    /// Parts kept apart instead of one number: "12 positive, 3 negative".
    public var parts: String?
    /// A data source's status instead of a number: "imported on 12 March 2026", "not imported yet".
    public var status: String?
    /// What the value rests on: records without a breakdown, left out, attendance fallbacks.
    public var coverageNotes: [String] { didSet { hasCoverageNotes = !coverageNotes.isEmpty } }
    /// The folded rows: definition, what is counted, unit, source, reference, limits.
    public var terms: [Term] { didSet { hasTerms = !terms.isEmpty } }
    /// Stored, not computed: templates read properties by reflection.
    public private(set) var hasCoverageNotes = false
    /// Nothing to fold: the partial leaves out the `<details>`.
    public private(set) var hasTerms = false
    /// Parts or a status stand in for the number (the cell shows no "—").
    public var isShownApart: Bool = false

    public init(valueRange: String? = nil, rangeNote: String? = nil, parts: String? = nil, status: String? = nil,
                coverageNotes: [String] = [], terms: [Term] = []) {
        self.valueRange = valueRange
        self.rangeNote = rangeNote
        self.parts = parts
        self.status = status
        self.coverageNotes = coverageNotes
        self.terms = terms
        hasCoverageNotes = !coverageNotes.isEmpty
        hasTerms = !terms.isEmpty
        isShownApart = parts != nil || status != nil
    }

    public struct Term: Sendable {
        public var label: String
        public var text: String
        /// The language the text is in when it is not the page's (a methodology without a
        /// translation stays in the programme's language); nil for the page's own.
        public var textLanguage: String?
    }
}

/// Builds `ValueExplanation`s for one programme and reader.
struct ValueExplainer {
    let programme: Programme
    let language: String
    let localiser: Localiser

    var format: Formatting { Formatting(language: language) }
    func t(_ key: String) -> String { localiser.text(key, language) }
    /// A catalogue text, or nil when no catalogue has `key` (names another helper's catalogue adds).
    func known(_ key: String) -> String? {
        localiser.catalogues[language]?.string(key) ?? localiser.catalogues[Localiser.defaultLanguage]?.string(key)
    }

    var glosses: ProgrammeGlosses { ProgrammePageBuilder(programme: programme, language: language, localiser: localiser).glosses }

    // MARK: Measures

    func measure(_ measure: Measure, value: MeasureValue?) -> ValueExplanation {
        var explanation = ValueExplanation()
        switch value?.detail {
        case let .ratings(positive, negative)?:
            explanation.parts = ratings(positive: positive, negative: negative)
            explanation.isShownApart = true
        case let .dataImport(importedAt)?:
            explanation.status = importStatus(importedAt)
            explanation.isShownApart = true
        case nil:
            break
        }
        if let rule = measure.rule {
            explanation.coverageNotes = localiser.coverageNotes(value?.coverage, unit: CoverageUnit(rule), lang: language)
        }
        explanation.terms = methodTerms(programme.methodology(of: .measure(measure.code), language: language, glosses: glosses),
                                        counted: measure.rule.map(counted) ?? measure.source.map(sourceText))
        return explanation
    }

    /// "12 positive, 3 negative" in the reader's language (each part its own plural).
    func ratings(positive: Int, negative: Int) -> String {
        "\(localiser.plural("value-explain.ratings-positive", count: positive, language)), "
            + localiser.plural("value-explain.ratings-negative", count: negative, language)
    }

    /// "imported on 12 March 2026" (the office's calendar day) or "not imported yet".
    func importStatus(_ importedAt: Date?) -> String {
        guard let importedAt else { return t("value-explain.not-imported") }
        return t("value-explain.imported").replacingOccurrences(of: "{date}", with: format.date(OfficeClock().day(of: importedAt)))
    }

    // MARK: Results

    func result(_ result: ResultIndicator, row: Int, value: ResultValue) -> ValueExplanation {
        var explanation = ValueExplanation()
        if let range = value.actualRange, value.actual != nil {
            let (text, note) = rangeText(range, unit: result.unit)
            explanation.valueRange = text
            explanation.rangeNote = note
        }
        if let rule = result.rule {
            explanation.coverageNotes = localiser.coverageNotes(value.coverage, unit: CoverageUnit(rule), lang: language)
        }
        var terms = methodTerms(programme.methodology(of: .result(row), language: language, glosses: glosses),
                                counted: result.rule.map { counted($0.rule) })
        if let reference = value.reference {
            // After the unit, before the limits: what the count is divided by, with its estimates.
            let at = terms.firstIndex { $0.label == t("value-explain.limits") } ?? terms.endIndex
            terms.insert(.init(label: t("value-explain.reference"), text: referenceText(reference)), at: at)
        }
        explanation.terms = terms
        return explanation
    }

    /// The range as text and a note on a missing end (one definition with the annual report's).
    func rangeText(_ range: ValueRange, unit: ResultIndicator.Unit, digits: Int = 2) -> (String?, String?) {
        let text = DashboardFormatting(language: language, localiser: localiser, year: 0).rangeText(range, unit: unit, digits: digits)
        return (text.text, text.note)
    }

    /// "the number of foreign residents of Kraków: 129 900 (GUS…); lower estimate 15 000 (…); higher …".
    func referenceText(_ reference: ReferenceValue) -> String {
        var text = "\(localiser.statisticName(reference.key, language)): \(format.number(reference.value)) (\(reference.source))"
        if let low = reference.low {
            text += "; " + t("value-explain.low-estimate") + " \(format.number(low.value)) (\(low.source))"
        }
        if let high = reference.high {
            text += "; " + t("value-explain.high-estimate") + " \(format.number(high.value)) (\(high.source))"
        }
        return text
    }

    // MARK: Shared

    /// Definition, what is counted, unit, sources, limits — the methodology's rows where the
    /// programme file gives one, and the rule's scope in words always.
    func methodTerms(_ method: LocalisedMethodology?, counted: String?) -> [ValueExplanation.Term] {
        var terms: [ValueExplanation.Term] = []
        func foreign(_ textLanguage: String) -> String? { textLanguage == language ? nil : textLanguage }
        if let method {
            terms.append(.init(label: t("value-explain.definition"), text: method.definition,
                               textLanguage: foreign(method.definitionLanguage)))
        }
        if let counted { terms.append(.init(label: t("value-explain.counted"), text: counted)) }
        if let method {
            if let unit = known("methodology.unit.\(method.unit.rawValue)") {
                terms.append(.init(label: t("value-explain.unit"), text: unit))
            }
            let sources = method.sources.compactMap { known("methodology.source.\($0.rawValue)") }
            if !sources.isEmpty { terms.append(.init(label: t("value-explain.source"), text: sources.joined(separator: "; "))) }
            terms.append(.init(label: t("value-explain.limits"), text: method.limits, textLanguage: foreign(method.limitsLanguage)))
        }
        return terms
    }

    /// A rule's scope in words: what is added up, over which records (task, kinds, audiences).
    /// "Sum of participants — people: those new this year where the record says, otherwise
    /// attendances · records of task 6.1 · kinds: training, workshop · only the participants of:
    /// City Office staff, Municipal Guard".
    func counted(_ rule: MeasureRule) -> String {
        var parts: [String] = []
        switch rule.aggregate {
        case .count: parts.append(t("value-explain.aggregate.count"))
        case .distinctInstitutions: parts.append(t("value-explain.aggregate.institutions"))
        case let .sum(field):
            if rule.people && field != .amount {
                parts.append(t("value-explain.aggregate.people").replacingOccurrences(of: "{field}", with: t("value-explain.field.\(field.rawValue)")))
            } else {
                parts.append(t("value-explain.aggregate.sum").replacingOccurrences(of: "{field}", with: t("value-explain.field.\(field.rawValue)")))
            }
        }
        parts.append(t("value-explain.task").replacingOccurrences(of: "{task}", with: rule.taskCode))
        let kinds = rule.kinds.map(\.rawValue).sorted().map { t("activity.kind.\($0)") }
        parts.append(kinds.isEmpty ? t("value-explain.any-kind")
                     : t("value-explain.kinds").replacingOccurrences(of: "{list}", with: kinds.joined(separator: ", ")))
        if !rule.audiences.isEmpty {
            let audiences = rule.audiences.map(\.rawValue).sorted().map { t("activity.audience.\($0)") }.joined(separator: ", ")
            let key = rule.splitsByAudience ? "value-explain.audiences-parts" : "value-explain.audiences-any"
            parts.append(t(key).replacingOccurrences(of: "{list}", with: audiences))
        }
        return parts.joined(separator: " · ")
    }

    /// A measure read from a register, the ratings or a data import, in words.
    func sourceText(_ source: MeasureSource) -> String {
        switch source {
        case let .register(register): t("value-explain.register.\(register.rawValue)")
        case .serviceRatings: t("value-explain.service-ratings")
        case let .dataImport(kind): t("value-explain.import.\(kind.rawValue)")
        }
    }

    // MARK: The index

    /// The index's range ("48–70,1%") and a note when an end is missing.
    func indexRange(_ range: ValueRange?) -> (String?, String?) {
        guard let range else { return (nil, nil) }
        return rangeText(ValueRange(low: range.low.map { $0 * 100 }, high: range.high.map { $0 * 100 }), unit: .percent, digits: 1)
    }
}

/// How a measure's or a result's number is counted, in words a council member can check it by:
/// what exactly is counted (with the rule's scope: task, kinds, audiences), the unit, where the
/// data comes from, and what the number cannot tell. Written in the programme file under each
/// measure and result as `method:` (docs/programme-format.md), in the programme's own language;
/// other languages come from the glosses file (`ProgrammeGlosses.methodology`), since the texts
/// are the programme office's own, not the act's.
public struct Methodology: Hashable, Sendable, Codable {
    /// What exactly is counted, with the rule's scope in words.
    public var definition: String
    /// The unit one counted thing is.
    public var unit: CountedUnit
    /// Where the data comes from, in order (a share: records, then the reference statistic).
    public var sources: [MethodSource]
    /// What the number cannot tell: attendances not persons, missing breakdowns, a register's
    /// completeness, an estimated denominator…
    public var limits: String

    public init(definition: String, unit: CountedUnit, sources: [MethodSource], limits: String) {
        self.definition = definition
        self.unit = unit
        self.sources = sources
        self.limits = limits
    }
}

/// The unit of a counted number. Several measures count "records" of a kind: the unit names what
/// one record stands for (an event, a meeting, a document), so a reader knows what one is.
public enum CountedUnit: String, Hashable, Sendable, Codable, CaseIterable {
    /// Events (wydarzenia), incl. conferences, seminars, debates where the rule says so.
    case events
    /// Meetings (spotkania).
    case meetings
    /// Trainings and workshops (szkolenia, warsztaty).
    case trainings
    /// Actions: promotional or information actions (działania).
    case actions
    /// Initiatives supported (inicjatywy).
    case initiatives
    /// Patronages granted (patronaty).
    case patronages
    /// Applications submitted (wnioski).
    case applications
    /// Documents: translations, reports, analyses (dokumenty).
    case documents
    /// Updates of a publication (aktualizacje).
    case updates
    /// Persons, each counted once in the year where the source can tell (osoby).
    case people
    /// Attendances: a person at two activities counts twice (obecności).
    case attendances
    /// Visits to a web page (wejścia).
    case visits
    /// Reach of posts: the accounts that saw them, as the platform reports (zasięg).
    case reach
    /// Institutions: schools, units, organisations, each counted once (instytucje).
    case institutions
    /// Dialogue bodies: councils, teams (ciała dialogu).
    case bodies
    /// Ratings given in surveys (oceny).
    case ratings
    /// Money in złoty (PLN).
    case pln
    /// A percentage (%).
    case percent
    /// No number: whether a data set was received, and when (status danych).
    case dataStatus = "data-status"
}

/// Where a number's data comes from.
public enum MethodSource: String, Hashable, Sendable, Codable, CaseIterable {
    /// Approved activity records reported by the City Office, units and organisations.
    case records
    /// A register kept in Otwarty (dialogue bodies, assistants, coordinators), with from/until.
    case register
    /// The ratings the public gives at service points.
    case ratings
    /// A reference statistic entered each year with its source (a denominator).
    case referenceStatistic = "reference-statistic"
    /// A data set imported each year (police statistics).
    case dataImport = "data-import"
}

extension Programme {
    /// The methodology of the measure `code`, or nil when the file gives none.
    public func methodology(ofMeasure code: String) -> Methodology? {
        for task in tasks { if let measure = task.measures.first(where: { $0.code == code }) { return measure.method } }
        return nil
    }

    /// The methodology of the results declaration's row `row` (1 = first), or nil.
    public func methodology(ofResult row: Int) -> Methodology? {
        results.indices.contains(row - 1) ? results[row - 1].method : nil
    }

    /// The methodology of `element` (a measure or a result row) in `language`: the programme file's
    /// text in the programme's language, else the glosses file's translation, else the original
    /// marked with its language (so a page can set `lang`). Nil when the element has none.
    public func methodology(of element: ProgrammeGlosses.Element, language: String,
                            glosses: ProgrammeGlosses) -> LocalisedMethodology? {
        let method: Methodology?
        switch element {
        case .measure(let code): method = methodology(ofMeasure: code)
        case .result(let row): method = methodology(ofResult: row)
        default: method = nil
        }
        return method?.localised(element, language: language, programmeLanguage: self.language, glosses: glosses)
    }
}

extension Methodology {
    /// This methodology (of `element`) in `language`: the original in the programme's language,
    /// else the glosses file's translation, else the original marked with its language.
    public func localised(_ element: ProgrammeGlosses.Element, language: String, programmeLanguage: String,
                          glosses: ProgrammeGlosses) -> LocalisedMethodology {
        func pick(_ original: String, _ part: ProgrammeGlosses.MethodPart) -> (String, String) {
            guard language != programmeLanguage, glosses.covers(language),
                  let text = glosses.methodText(element, part, language) else { return (original, programmeLanguage) }
            return (text, language)
        }
        let definition = pick(self.definition, .definition)
        let limits = pick(self.limits, .limits)
        return LocalisedMethodology(definition: definition.0, definitionLanguage: definition.1, limits: limits.0,
                                    limitsLanguage: limits.1, unit: unit, sources: sources)
    }
}

/// A methodology's texts in a reader's language, each with the language it is actually in (the
/// original when no translation exists: pages mark it `lang`). Unit and sources stay typed: pages
/// name them from the catalogues (`methodology.unit.<raw>`, `methodology.source.<raw>`).
public struct LocalisedMethodology: Hashable, Sendable {
    public var definition: String
    public var definitionLanguage: String
    public var limits: String
    public var limitsLanguage: String
    public var unit: CountedUnit
    public var sources: [MethodSource]

    public init(definition: String, definitionLanguage: String, limits: String, limitsLanguage: String,
                unit: CountedUnit, sources: [MethodSource]) {
        self.definition = definition
        self.definitionLanguage = definitionLanguage
        self.limits = limits
        self.limitsLanguage = limitsLanguage
        self.unit = unit
        self.sources = sources
    }
}

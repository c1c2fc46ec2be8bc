import OtwartyCore

/// What a rule's value counts, as far as the notes beside it are concerned: a rule that counts
/// people ("of whom new this year") says where it had to count attendances instead; any other rule
/// has nothing to say about that.
public enum CoverageUnit: Hashable, Sendable {
    /// The rule counts people (`MeasureRule.people`).
    case people
    /// The rule counts attendances, records, institutions or money.
    case other

    public init(_ rule: MeasureRule) { self = rule.people ? .people : .other }
    public init(_ rule: IndicatorRule) { self.init(rule.rule) }
}

extension Localiser {
    /// The sentences to show beside a value about what it rests on (issue 13): records counted whole
    /// for lack of a breakdown by audience, records left out because their participants could not be
    /// split, and — for rules that count people — where people were reported and where attendances
    /// stood in for them. Empty when there is nothing to say (no coverage, or nothing counted).
    ///
    /// Each sentence is one plural text (`coverage.*`), so "1 działanie / 3 działania / 5 działań"
    /// follow the reader's language.
    public func coverageNotes(_ coverage: AggregateCoverage?, unit: CoverageUnit, lang: String) -> [String] {
        guard let coverage else { return [] }
        var notes: [String] = []
        if coverage.recordsWithoutBreakdown > 0 {
            notes.append(plural("coverage.without-breakdown", count: coverage.recordsWithoutBreakdown, lang))
        }
        if coverage.recordsLeftOut > 0 {
            notes.append(plural("coverage.left-out", count: coverage.recordsLeftOut, lang))
        }
        if unit == .people {
            // Records that gave "of whom new" are the counted ones that did not fall back; never below
            // zero even if a caller hands in inconsistent figures.
            let reported = max(0, coverage.recordsCounted - coverage.attendanceFallbacks)
            if reported > 0 { notes.append(plural("coverage.people-reported", count: reported, lang)) }
            if coverage.attendanceFallbacks > 0 {
                notes.append(plural("coverage.attendance-fallback", count: coverage.attendanceFallbacks, lang))
            }
        }
        return notes
    }
}

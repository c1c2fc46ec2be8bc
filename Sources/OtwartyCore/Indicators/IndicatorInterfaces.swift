import Foundation

// The indicator engine's inputs and outputs. The engine (IndicatorEngine) is pure: it turns the
// programme's rules into aggregate queries, asks an `ActivityAggregator` for the numbers, and
// combines them with reference statistics. Storage answers the queries in SQL; Core's
// `InMemoryActivityAggregator` answers them over a list of records and is the reference the SQL
// answers are tested against.

/// How an aggregate's values are split.
public enum AggregateGrouping: Hashable, Sendable {
    case total
    case year
    case quarter
    case district
}

/// The key of one value in an aggregate's answer.
public enum AggregateGroup: Hashable, Sendable {
    case total
    case year(Int)
    case quarter(year: Int, quarter: Int)
    /// nil: records with no district (city-wide).
    case district(Int?)
}

/// "Apply this rule to the approved records of these years, grouped so."
public struct AggregateQuery: Hashable, Sendable {
    public var programmeSlug: String
    public var rule: MeasureRule
    public var years: ClosedRange<Int>
    public var grouping: AggregateGrouping

    public init(programmeSlug: String, rule: MeasureRule, years: ClosedRange<Int>, grouping: AggregateGrouping) {
        self.programmeSlug = programmeSlug
        self.rule = rule
        self.years = years
        self.grouping = grouping
    }
}

/// Answers aggregate queries over activity records. Every implementation must give exactly the
/// answer `InMemoryActivityAggregator` gives (the reference the SQL one is tested against):
///
/// - **Only `.approved` records count.** Drafts, submitted and returned records never do: this
///   filter is the aggregator's job, not the caller's.
/// - Only records of `query.programmeSlug` whose start date's year is in `query.years`, and that
///   `query.rule.matches(_:)` (task, kinds, audiences).
/// - Groups: `.year` and `.quarter` by the start date; `.district(nil)` holds city-wide records.
/// - `.count` counts records; `.sum` adds the field, a missing (nil) field adding 0; `amount`
///   is in PLN (the grosze sum ÷ 100); `.distinctInstitutions` counts the different
///   `ActivityRecord.institutionKey(_:)` values, records without an institution adding none.
/// - Groups with no matching record may be absent: their value is 0.
public protocol ActivityAggregator: Sendable {
    func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double]
    /// What the total of `query` rests on (grouping ignored): records counted without a breakdown,
    /// left out for lack of one, or counted as attendances by a people rule (`AggregateCoverage`).
    func coverage(_ query: AggregateQuery) async throws -> AggregateCoverage
}

/// A reference statistic (denominator) for a year, e.g. the number of foreign residents.
public struct ReferenceValue: Hashable, Sendable {
    public var key: String
    public var year: Int
    public var value: Double
    public var source: String
    /// The day the figure was published or taken.
    public var asOf: CalendarDate?
    public var recordedAt: Date
    /// A lower estimate of the same quantity with its own source (e.g. a register that misses
    /// people who never registered), ≤ `value`; nil when none is known.
    public var low: ReferenceEstimate?
    /// A higher estimate with its own source (e.g. a study's estimate), ≥ `value`; nil when none.
    public var high: ReferenceEstimate?

    public init(key: String, year: Int, value: Double, source: String, asOf: CalendarDate? = nil,
                recordedAt: Date = Date(timeIntervalSince1970: 0), low: ReferenceEstimate? = nil,
                high: ReferenceEstimate? = nil) {
        self.key = key
        self.year = year
        self.value = value
        self.source = source
        self.asOf = asOf
        self.recordedAt = recordedAt
        self.low = low
        self.high = high
    }
}

/// One end of a reference statistic's range: another estimate of the same quantity, and where it
/// comes from. Kraków's resolution itself cites a register figure and much higher estimates of
/// the city's foreign population; a share divided by one figure alone would hide that.
public struct ReferenceEstimate: Hashable, Sendable {
    public var value: Double
    public var source: String

    public init(value: Double, source: String) {
        self.value = value
        self.source = source
    }
}

/// The range a value may lie in, from the ends of a reference statistic's range. Either end may
/// be missing (the statistic has no estimate on that side): the range then says nothing there,
/// rather than pretending the central value is a bound.
public struct ValueRange: Hashable, Sendable {
    public var low: Double?
    public var high: Double?

    public init(low: Double?, high: Double?) {
        self.low = low
        self.high = high
    }
}

/// The current (latest revision) reference values.
public protocol ReferenceStatistics: Sendable {
    func current(key: String, year: Int) async throws -> ReferenceValue?
}

/// One task measure's value for a period.
public struct MeasureValue: Hashable, Sendable {
    public var code: String
    public var taskCode: String
    public var name: String
    /// nil when the measure has no rule in the programme file.
    public var value: Double?
    public var reason: String?
    /// Why `value` is nil, typed so that pages can translate it; `reason` is its English text.
    public var notComputable: NotComputableReason?
    /// What the value rests on (records without a breakdown, attendance fallbacks); nil for
    /// measures not read from records.
    public var coverage: AggregateCoverage?
    /// More than one number (ratings kept apart) or a status instead of a number (a data source).
    public var detail: MeasureDetail?

    public init(code: String, taskCode: String, name: String, value: Double?, reason: String? = nil,
                notComputable: NotComputableReason? = nil, coverage: AggregateCoverage? = nil,
                detail: MeasureDetail? = nil) {
        self.code = code
        self.taskCode = taskCode
        self.name = name
        self.value = value
        self.reason = reason ?? notComputable?.description
        self.notComputable = notComputable
        self.coverage = coverage
        self.detail = detail
    }
}

/// One results indicator for a year. `actual` and `achievement` are nil when not computable,
/// and `reason` then says why (never 0, never a crash).
public struct ResultValue: Hashable, Sendable {
    public var goal: Int
    public var indicator: String
    public var weight: Double
    public var unit: ResultIndicator.Unit
    public var baseline: ResultIndicator.Baseline
    public var target: ResultIndicator.Target
    public var actual: Double?
    public var achievement: Double?
    public var reason: String?
    /// Why `actual` is nil, typed so that pages can translate it; `reason` is its English text.
    public var notComputable: NotComputableReason?
    /// The rule's aggregate before division and scaling (e.g. Σ beneficiaries), also when the
    /// denominator is missing, so a report can say what was counted; nil without a rule.
    public var numerator: Double?
    /// The reference statistic divided by, when the rule names one and it was found.
    public var reference: ReferenceValue?
    /// What the numerator rests on (records without a breakdown, attendance fallbacks).
    public var coverage: AggregateCoverage?
    /// The range of `actual` implied by the reference statistic's low and high estimates:
    /// scale × numerator ÷ high … scale × numerator ÷ low. nil when the reference has neither
    /// estimate (or the result divides by nothing); an end is nil when its estimate is missing.
    public var actualRange: ValueRange?
    /// `achievement` at the ends of `actualRange` (the lower and the higher of the two; for an
    /// "exactly" target whose value lies inside the range, the higher is 1). `achievement` itself
    /// stays the central value's.
    public var achievementRange: ValueRange?

    public init(goal: Int, indicator: String, weight: Double, unit: ResultIndicator.Unit,
                baseline: ResultIndicator.Baseline, target: ResultIndicator.Target, actual: Double?,
                achievement: Double?, reason: String?, notComputable: NotComputableReason? = nil,
                numerator: Double? = nil, reference: ReferenceValue? = nil) {
        self.goal = goal
        self.indicator = indicator
        self.weight = weight
        self.unit = unit
        self.baseline = baseline
        self.target = target
        self.actual = actual
        self.achievement = achievement
        self.reason = reason ?? notComputable?.description
        self.notComputable = notComputable
        self.numerator = numerator
        self.reference = reference
    }

    public var isComputable: Bool { actual != nil }
}

/// Everything the dashboard and the API show for a year.
public struct IndicatorReport: Hashable, Sendable {
    public var programmeSlug: String
    public var year: Int
    public var measures: [MeasureValue]
    public var results: [ResultValue]
    /// Σ weight × min(achievement, 1); nil unless every result is computable (and nil for a
    /// programme without results).
    public var index: Double?
    /// The same sum over the computable results only, with their total weight, for display.
    public var partialIndex: Double
    public var computableWeight: Double
    /// The range of `index` implied by the results' ranges (each at its range ends, capped at 1
    /// as the index is); nil when `index` is nil or no result has a range.
    public var indexRange: ValueRange?
    /// The same for `partialIndex` (over the computable results).
    public var partialIndexRange: ValueRange?

    public init(programmeSlug: String, year: Int, measures: [MeasureValue], results: [ResultValue], index: Double?,
                partialIndex: Double, computableWeight: Double, indexRange: ValueRange? = nil,
                partialIndexRange: ValueRange? = nil) {
        self.programmeSlug = programmeSlug
        self.year = year
        self.measures = measures
        self.results = results
        self.index = index
        self.partialIndex = partialIndex
        self.computableWeight = computableWeight
        self.indexRange = indexRange
        self.partialIndexRange = partialIndexRange
    }
}

/// What a chart or a breakdown is about: one task measure or one results indicator, taken from
/// the programme (`Programme.measure(code:)`, `Programme.results`).
public enum IndicatorSubject: Hashable, Sendable {
    case measure(Measure)
    case result(ResultIndicator)
}

/// How a year's value is split in a breakdown.
public enum IndicatorBreakdown: Hashable, Sendable, CaseIterable {
    /// Quarters 1–4 of the year, by the records' start dates.
    case quarter
    /// Kraków's 18 districts in their order, then the city-wide records (`.district(nil)`).
    case district
}

/// One point of a series: a group (year, quarter or district) and its value.
public struct IndicatorPoint: Hashable, Sendable {
    public var group: AggregateGroup
    /// nil when not computable; `notComputable` says why.
    public var value: Double?
    public var notComputable: NotComputableReason?

    public init(group: AggregateGroup, value: Double?, notComputable: NotComputableReason? = nil) {
        self.group = group
        self.value = value
        self.notComputable = notComputable
    }

    /// The reason in plain English, when there is no value.
    public var reason: String? { notComputable?.description }
}

/// Values of a measure or a result in order: one per year of the programme period (a trend), or
/// one per quarter or district of a year (a breakdown). Groups without records are 0, not absent,
/// so every chart has the same axis.
public struct IndicatorSeries: Hashable, Sendable {
    public var subject: IndicatorSubject
    public var grouping: AggregateGrouping
    public var points: [IndicatorPoint]
    /// True when the values are a share's numerator (e.g. Σ participants), not the share: a
    /// city-wide denominator split by district or quarter would give numbers that look like
    /// shares and are not. The unit of the points is then the numerator's, not percent.
    public var isNumeratorOnly: Bool

    public init(subject: IndicatorSubject, grouping: AggregateGrouping, points: [IndicatorPoint],
                isNumeratorOnly: Bool = false) {
        self.subject = subject
        self.grouping = grouping
        self.points = points
        self.isNumeratorOnly = isNumeratorOnly
    }
}

extension IndicatorEngine {
    /// One value per year of the programme's period, for trend charts: a measure's value, or a
    /// result's actual value (each year divided by that year's reference statistic). One query.
    public func series(of subject: IndicatorSubject, in programme: Programme) async throws -> IndicatorSeries {
        let years = programme.period.years
        let groups = years.map { AggregateGroup.year($0) }
        switch subject {
        case let .measure(measure):
            guard let rule = measure.rule else {
                // A measure with a source (ratings, a register, a data import) reads it year by year,
                // as the yearly report does, so a history ends on the report's own value.
                if let source = measure.source, let task = programme.tasks.first(where: { $0.measures.contains { $0.code == measure.code } }) {
                    var points: [IndicatorPoint] = []
                    for year in years {
                        let value = try await value(of: measure, task: task, source: source, year: year)
                        points.append(IndicatorPoint(group: .year(year), value: value.value))
                    }
                    return IndicatorSeries(subject: subject, grouping: .year, points: points)
                }
                return Self.withoutRule(subject, .year, groups)
            }
            let values = try await values(of: rule, in: programme, years: years, grouping: .year)
            return IndicatorSeries(subject: subject, grouping: .year,
                                   points: groups.map { IndicatorPoint(group: $0, value: values[$0] ?? 0) })
        case let .result(result):
            guard let rule = result.rule else { return Self.withoutRule(subject, .year, groups) }
            let values = try await values(of: rule.rule, in: programme, years: years, grouping: .year)
            var points: [IndicatorPoint] = []
            for year in years {
                let numerator = values[.year(year)] ?? 0
                switch try await actual(numerator: numerator, rule: rule, year: year) {
                case let .value(actual, _): points.append(IndicatorPoint(group: .year(year), value: actual))
                case let .notComputable(reason):
                    points.append(IndicatorPoint(group: .year(year), value: nil, notComputable: reason))
                }
            }
            return IndicatorSeries(subject: subject, grouping: .year, points: points)
        }
    }

    /// A year's value split by quarter or by district. A measure's groups are its value for the
    /// group's records. A result without a denominator (a count) is split the same way, scaled.
    /// A result with a denominator (a share) shows **its numerator only** (`isNumeratorOnly`):
    /// the reference statistic is city-wide and yearly, so dividing a district's or a quarter's
    /// records by it gives no district's or quarter's share.
    /// Distinct-institution counts are not additive: an institution served in two quarters
    /// counts in each, and once in the year.
    public func breakdown(of subject: IndicatorSubject, in programme: Programme, year: Int,
                          by breakdown: IndicatorBreakdown) async throws -> IndicatorSeries {
        let groups = breakdown.groups(in: year)
        let selection: (rule: MeasureRule, scale: Double, isNumeratorOnly: Bool)?
        switch subject {
        case let .measure(measure):
            selection = measure.rule.map { ($0, 1, false) }
        case let .result(result):
            selection = result.rule.map { rule in
                rule.denominator == nil ? (rule.rule, rule.scale, false) : (rule.rule, 1, true)
            }
        }
        guard let selection else { return Self.withoutRule(subject, breakdown.grouping, groups) }
        let values = try await values(of: selection.rule, in: programme, years: year...year, grouping: breakdown.grouping)
        let points = groups.map { IndicatorPoint(group: $0, value: selection.scale * (values[$0] ?? 0)) }
        return IndicatorSeries(subject: subject, grouping: breakdown.grouping, points: points,
                               isNumeratorOnly: selection.isNumeratorOnly)
    }

    private func values(of rule: MeasureRule, in programme: Programme, years: ClosedRange<Int>,
                        grouping: AggregateGrouping) async throws -> [AggregateGroup: Double] {
        try await aggregator.values(AggregateQuery(programmeSlug: programme.slug, rule: rule, years: years,
                                                   grouping: grouping))
    }

    private static func withoutRule(_ subject: IndicatorSubject, _ grouping: AggregateGrouping,
                                    _ groups: [AggregateGroup]) -> IndicatorSeries {
        IndicatorSeries(subject: subject, grouping: grouping,
                        points: groups.map { IndicatorPoint(group: $0, value: nil, notComputable: .noRule) })
    }
}

extension IndicatorBreakdown {
    public var grouping: AggregateGrouping {
        switch self {
        case .quarter: .quarter
        case .district: .district
        }
    }

    /// Every group of the breakdown in display order, including those without records.
    public func groups(in year: Int) -> [AggregateGroup] {
        switch self {
        case .quarter: (1...4).map { .quarter(year: year, quarter: $0) }
        case .district: District.all.map { .district($0.number) } + [.district(nil)]
        }
    }
}

/// Computes measures, results, achievement and the weighted index from approved activity
/// records (through an `ActivityAggregator`) and reference statistics (the denominators).
/// Pure: it reads nothing but its two inputs, so Core's in-memory aggregator and the SQL one
/// give the same report. How each value is computed: docs/indicators.md.
public struct IndicatorEngine: Sendable {
    public let aggregator: any ActivityAggregator
    public let references: any ReferenceStatistics
    /// Registers, ratings and data imports, for measures whose programme file names a `source`.
    public let sources: any MeasureSourceReader

    public init(aggregator: any ActivityAggregator, references: any ReferenceStatistics,
                sources: any MeasureSourceReader) {
        self.aggregator = aggregator
        self.references = references
        self.sources = sources
    }

    /// Every measure and result of `programme` for `year`, with achievement and the index.
    /// Issues one aggregate query per distinct rule: a measure and a result that count the same
    /// records (Kraków's 1.1.a and its goal 1 result) share one query. Any year may be asked
    /// for, also one outside the programme's period (e.g. to compare with the baseline year).
    public func report(for programme: Programme, year: Int) async throws -> IndicatorReport {
        var totals: [MeasureRule: Double] = [:]
        var coverages: [MeasureRule: AggregateCoverage] = [:]
        // One at a time rather than in a task group: a report needs a few dozen small queries, and
        // SQLite serialises them anyway.
        for rule in programme.distinctRules {
            let query = AggregateQuery(programmeSlug: programme.slug, rule: rule, years: year...year, grouping: .total)
            totals[rule] = try await aggregator.values(query)[.total] ?? 0
            // Only rules that split by audience or count people have anything to say beside the value.
            if rule.splitsByAudience || rule.people { coverages[rule] = try await aggregator.coverage(query) }
        }
        var measures: [MeasureValue] = []
        for task in programme.tasks {
            for measure in task.measures {
                if let rule = measure.rule {
                    measures.append(MeasureValue(code: measure.code, taskCode: task.code, name: measure.name,
                                                 value: totals[rule] ?? 0, coverage: coverages[rule]))
                } else if let source = measure.source {
                    measures.append(try await value(of: measure, task: task, source: source, year: year))
                } else {
                    measures.append(MeasureValue(code: measure.code, taskCode: task.code, name: measure.name, value: nil,
                                                 notComputable: .noRule))
                }
            }
        }
        var results: [ResultValue] = []
        for result in programme.results {
            let numerator = result.rule.map { totals[$0.rule] ?? 0 }
            var value = try await value(of: result, numerator: numerator, year: year)
            value.coverage = result.rule.flatMap { coverages[$0.rule] }
            results.append(value)
        }
        let index = IndicatorIndex(results: results)
        return IndicatorReport(programmeSlug: programme.slug, year: year, measures: measures, results: results,
                               index: index.index, partialIndex: index.partialIndex,
                               computableWeight: index.computableWeight,
                               indexRange: index.index == nil ? nil : index.range, partialIndexRange: index.range)
    }

    /// A measure read from a register, the ratings or a data import.
    func value(of measure: Measure, task: ProgrammeTask, source: MeasureSource, year: Int) async throws -> MeasureValue {
        switch source {
        case let .register(register):
            let count = try await sources.activeEntries(in: register, year: year)
            return MeasureValue(code: measure.code, taskCode: task.code, name: measure.name, value: Double(count))
        case .serviceRatings:
            let ratings = try await sources.serviceRatings(year: year)
            return MeasureValue(code: measure.code, taskCode: task.code, name: measure.name,
                                value: Double(ratings.positive) + Double(ratings.negative),
                                detail: .ratings(positive: ratings.positive, negative: ratings.negative))
        case let .dataImport(kind):
            let importedAt = try await sources.lastImport(of: kind, year: year)
            return MeasureValue(code: measure.code, taskCode: task.code, name: measure.name, value: nil,
                                detail: .dataImport(importedAt: importedAt))
        }
    }

    /// A result for `year` from its rule's aggregate (nil when it has no rule).
    func value(of result: ResultIndicator, numerator: Double?, year: Int) async throws -> ResultValue {
        func resultValue(_ actual: Double?, _ reason: NotComputableReason?, _ reference: ReferenceValue? = nil) -> ResultValue {
            var value = ResultValue(goal: result.goal, indicator: result.indicator, weight: result.weight, unit: result.unit,
                                    baseline: result.baseline, target: result.target, actual: actual,
                                    achievement: actual.map(result.target.achievement(of:)), reason: nil,
                                    notComputable: reason, numerator: numerator, reference: reference)
            if actual != nil, let reference, let numerator, let rule = result.rule,
               let range = Self.actualRange(numerator: numerator, scale: rule.scale, reference: reference) {
                value.actualRange = range
                value.achievementRange = Self.achievementRange(of: range, target: result.target)
            }
            return value
        }
        guard let rule = result.rule, let numerator else { return resultValue(nil, .noRule) }
        switch try await actual(numerator: numerator, rule: rule, year: year) {
        case let .value(actual, reference): return resultValue(actual, nil, reference)
        case let .notComputable(reason): return resultValue(nil, reason)
        }
    }

    /// A result's value from its numerator: scale × numerator ÷ the reference statistic of that
    /// year when the rule names one, else scale × numerator.
    func actual(numerator: Double, rule: IndicatorRule, year: Int) async throws -> ActualValue {
        guard let key = rule.denominator else { return .value(rule.scale * numerator, reference: nil) }
        guard let reference = try await references.current(key: key, year: year) else {
            return .notComputable(.missingReference(key: key, year: year))
        }
        guard reference.value > 0, reference.value.isFinite else {
            return .notComputable(.unusableReference(key: key, year: year, value: reference.value))
        }
        return .value(rule.scale * numerator / reference.value, reference: reference)
    }

    /// The share at the ends of the reference's range: the higher estimate gives the lower share
    /// (scale × numerator ÷ high), the lower estimate the higher share (÷ low). An estimate that is
    /// missing, or not a positive finite number, leaves its end nil; nil when both are.
    static func actualRange(numerator: Double, scale: Double, reference: ReferenceValue) -> ValueRange? {
        func share(_ estimate: ReferenceEstimate?) -> Double? {
            guard let estimate, estimate.value > 0, estimate.value.isFinite else { return nil }
            return scale * numerator / estimate.value
        }
        guard reference.low != nil || reference.high != nil else { return nil }
        return ValueRange(low: share(reference.high), high: share(reference.low))
    }

    /// Achievement at the ends of `range`: "at least" grows with the value, "at most" shrinks, so
    /// the ends map to ends (swapped for "at most"). "Exactly" peaks at the target: the lower end is
    /// the smaller end's achievement, the higher is 1 when the target lies inside the range; with
    /// an end missing nothing can be said on either side.
    static func achievementRange(of range: ValueRange, target: ResultIndicator.Target) -> ValueRange {
        let atLow = range.low.map(target.achievement(of:))
        let atHigh = range.high.map(target.achievement(of:))
        switch target.comparison {
        case .atLeast: return ValueRange(low: atLow, high: atHigh)
        case .atMost: return ValueRange(low: atHigh, high: atLow)
        case .exactly:
            guard let low = range.low, let high = range.high, let atLow, let atHigh else { return ValueRange(low: nil, high: nil) }
            // min/max: a range built by hand (not through the service) could have its ends swapped.
            let peak = (min(low, high)...max(low, high)).contains(target.value) ? 1 : max(atLow, atHigh)
            return ValueRange(low: min(atLow, atHigh), high: peak)
        }
    }

    enum ActualValue {
        case value(Double, reference: ReferenceValue?)
        case notComputable(NotComputableReason)
    }
}

/// The programme index: Σ weight × min(achievement, 1) over the results.
public struct IndicatorIndex: Hashable, Sendable {
    /// nil unless every result is computable, and nil for a programme without results: an index
    /// over part of the weights would read as a poor score rather than a missing one.
    public var index: Double?
    /// The same sum over the computable results only, for display beside `computableWeight`.
    public var partialIndex: Double
    /// Σ weight of the computable results (1 when all are, for weights that add up to 1).
    public var computableWeight: Double
    /// The range of `partialIndex` (and of `index` when there is one) implied by the results'
    /// achievement ranges: each result at the low (high) end of its range, capped at 1 as in the
    /// index, a result without a range at its central achievement. An end is nil when some result's
    /// range lacks it; nil when no computable result has a range.
    public var range: ValueRange?

    public init(results: [ResultValue]) {
        let computable = results.compactMap { result in result.achievement.map { (result.weight, $0) } }
        partialIndex = computable.reduce(0) { $0 + $1.0 * min($1.1, 1) }
        computableWeight = computable.reduce(0) { $0 + $1.0 }
        index = !results.isEmpty && computable.count == results.count ? partialIndex : nil
        let ranged = results.filter { $0.achievement != nil }
        if ranged.contains(where: { $0.achievementRange != nil }) {
            func end(_ side: KeyPath<ValueRange, Double?>) -> Double? {
                var sum = 0.0
                for result in ranged {
                    guard let central = result.achievement else { continue }
                    if let range = result.achievementRange {
                        guard let value = range[keyPath: side] else { return nil }
                        sum += result.weight * min(value, 1)
                    } else {
                        sum += result.weight * min(central, 1)
                    }
                }
                return sum
            }
            range = ValueRange(low: end(\.low), high: end(\.high))
        } else {
            range = nil
        }
    }
}

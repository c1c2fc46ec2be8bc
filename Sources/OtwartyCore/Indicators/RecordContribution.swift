/// What an approved record counts toward: the task measures and results indicators whose rules
/// (the same `MeasureRule.matches` the indicator engine counts with) take it in, and that it
/// actually adds to — a sum rule only when the record has a value for the summed field, an
/// institutions rule only when it names an institution. The approval banner names them.
public struct RecordContribution: Hashable, Sendable {
    public var measures: [Measure]
    public var results: [ResultIndicator]

    public var isEmpty: Bool { measures.isEmpty && results.isEmpty }
}

extension Programme {
    /// The measures and results `record` moves once approved, in the programme's order.
    public func contribution(of record: ActivityRecord) -> RecordContribution {
        func moves(_ rule: MeasureRule) -> Bool {
            guard rule.matches(record) else { return false }
            switch rule.aggregate {
            case .count: return true
            case .sum(.participants): return record.participants != nil
            case .sum(.beneficiaries): return record.beneficiaries != nil
            case .sum(.amount): return record.amountGrosze != nil
            case .distinctInstitutions: return ActivityRecord.institutionKey(record.institution) != nil
            }
        }
        return RecordContribution(
            measures: tasks.flatMap(\.measures).filter { $0.rule.map(moves) ?? false },
            results: results.filter { $0.rule.map { moves($0.rule) } ?? false })
    }
}

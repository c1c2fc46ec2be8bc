/// The reference implementation of `ActivityAggregator`, over records held in memory: for tests,
/// for small data sets, and as the answer the SQL aggregator is tested against.
public struct InMemoryActivityAggregator: ActivityAggregator {
    public var records: [ActivityRecord]

    public init(records: [ActivityRecord]) { self.records = records }

    public func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double] {
        let counted = records.filter { record in
            record.status == .approved
                && record.programmeSlug == query.programmeSlug
                && query.years.contains(record.year)
                && query.rule.matches(record)
        }
        let groups = Dictionary(grouping: counted) { Self.group(of: $0, by: query.grouping) }
        return groups.mapValues { Self.aggregate(query.rule.aggregate, over: $0) }
    }

    static func group(of record: ActivityRecord, by grouping: AggregateGrouping) -> AggregateGroup {
        switch grouping {
        case .total: .total
        case .year: .year(record.year)
        case .quarter: .quarter(year: record.year, quarter: record.quarter)
        case .district: .district(record.district?.number)
        }
    }

    static func aggregate(_ aggregate: MeasureRule.Aggregate, over records: [ActivityRecord]) -> Double {
        // Sums are taken in Double: exact for whole numbers below 2^53, and no overflow trap on input.
        func sum(_ field: (ActivityRecord) -> Double?) -> Double { records.reduce(0) { $0 + (field($1) ?? 0) } }
        switch aggregate {
        case .count:
            return Double(records.count)
        case .sum(.participants):
            return sum { $0.participants.map(Double.init) }
        case .sum(.beneficiaries):
            return sum { $0.beneficiaries.map(Double.init) }
        case .sum(.amount):
            // Grosze are added first and divided once, as the SQL does.
            return sum { $0.amountGrosze.map(Double.init) } / 100
        case .distinctInstitutions:
            return Double(Set(records.compactMap { ActivityRecord.institutionKey($0.institution) }).count)
        }
    }
}

extension ActivityRecord {
    /// The form under which two institution names are the same institution: trimmed and
    /// lowercased; nil for no name. Storage keeps it as `institution_key`.
    public static func institutionKey(_ institution: String?) -> String? {
        guard let trimmed = institution?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
        return trimmed.lowercased()
    }
}

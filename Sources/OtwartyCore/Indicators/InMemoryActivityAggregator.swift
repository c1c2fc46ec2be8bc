/// The reference implementation of `ActivityAggregator`, over records held in memory: for tests,
/// for small data sets, and as the answer the SQL aggregator is tested against.
public struct InMemoryActivityAggregator: ActivityAggregator {
    public var records: [ActivityRecord]

    public init(records: [ActivityRecord]) { self.records = records }

    public func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double] {
        let counted = candidates(query).filter(query.rule.matches)
        let groups = Dictionary(grouping: counted) { Self.group(of: $0, by: query.grouping) }
        return groups.mapValues { Self.aggregate(query.rule, over: $0) }
    }

    public func coverage(_ query: AggregateQuery) async throws -> AggregateCoverage {
        var coverage = AggregateCoverage()
        let rule = query.rule
        for record in candidates(query)
        where record.taskCode == rule.taskCode && (rule.kinds.isEmpty || rule.kinds.contains(record.kind)) {
            let match = rule.audienceMatch(record)
            switch match {
            case .none: continue
            case .unsplittable: coverage.recordsLeftOut += 1; continue
            case .whole: if rule.splitsByAudience { coverage.recordsWithoutBreakdown += 1 }
            case .parts: break
            }
            coverage.recordsCounted += 1
            if case let .sum(field) = rule.aggregate, rule.summand(of: record, field: field).fellBack {
                coverage.attendanceFallbacks += 1
            }
        }
        return coverage
    }

    /// Approved records of the query's programme and years, before the rule's own filters.
    func candidates(_ query: AggregateQuery) -> [ActivityRecord] {
        records.filter { record in
            record.status == .approved && record.programmeSlug == query.programmeSlug && query.years.contains(record.year)
        }
    }

    static func group(of record: ActivityRecord, by grouping: AggregateGrouping) -> AggregateGroup {
        switch grouping {
        case .total: .total
        case .year: .year(record.year)
        case .quarter: .quarter(year: record.year, quarter: record.quarter)
        case .district: .district(record.district?.number)
        }
    }

    static func aggregate(_ rule: MeasureRule, over records: [ActivityRecord]) -> Double {
        // Sums are taken in Double: exact for whole numbers below 2^53, and no overflow trap on input.
        switch rule.aggregate {
        case .count:
            return Double(records.count)
        case let .sum(field):
            let total = records.reduce(0) { $0 + rule.summand(of: $1, field: field).value }
            // Grosze are added first and divided once, as the SQL does.
            return field == .amount ? total / 100 : total
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

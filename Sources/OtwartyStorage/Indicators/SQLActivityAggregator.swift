import Foundation
import OtwartyCore
import SQLKit

/// Answers the indicator engine's queries with one GROUP BY statement each, on either engine.
public struct SQLActivityAggregator: ActivityAggregator {
    /// Where count and sum rules and coverage are read from.
    public enum Source: Sendable {
        /// `activity_totals` (migration 28), the approved records added up per group by triggers:
        /// a few thousand rows at a million records. Distinct-institution counts still read the records.
        case totals
        /// The records themselves: what every answer was computed from before migration 28, kept as
        /// the reference the totals are tested against (`ActivityTotalsTests`). Since migration 30
        /// no index covers these reads (only distinct-institution counts have one): tests only.
        case records
    }

    let database: Database
    let source: Source
    public init(database: Database, source: Source = .totals) {
        self.database = database
        self.source = source
    }

    /// Whether `rule` is answered from `activity_totals`: counts and sums add up, distinct
    /// institutions do not.
    func readsTotals(_ rule: MeasureRule) -> Bool { source == .totals && rule.aggregate != .distinctInstitutions }

    public func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double] {
        var result = try await groupValues(query, totals: readsTotals(query.rule))
        // Distinct institutions are counted over the records that name one (migration 30's partial
        // index), so a group whose matched records name none is missing from that answer; it is 0,
        // as the in-memory aggregator says. Which groups have matched records at all, the totals
        // tell (or the records, for the reference source).
        if query.rule.aggregate == .distinctInstitutions, query.grouping != .total {
            var counted = query
            counted.rule.aggregate = .count
            for group in try await groupValues(counted, totals: source == .totals).keys where result[group] == nil {
                result[group] = 0
            }
        }
        return result
    }

    private func groupValues(_ query: AggregateQuery, totals: Bool) async throws -> [AggregateGroup: Double] {
        try await database.withConnection { db in
            var select = db.select().from(totals ? ActivityTotals.table : "activities")
            let groupColumns: [ActivityColumn]
            switch query.grouping {
            case .total: groupColumns = []
            case .year: groupColumns = [.year]
            case .quarter: groupColumns = [.year, .quarter]
            case .district: groupColumns = [.district]
            }
            for column in groupColumns {
                // The totals keep a city-wide record's district as 0 (a key column is never NULL).
                select = totals && column == .district ? select.column(SQLRaw("NULLIF(district, 0)"), as: "district") : select.column(column)
            }
            select = select.column(Self.aggregateExpression(query.rule, totals: totals), as: "value")
            select = select.where(.programmeSlug, .equal, query.programmeSlug)
            // The totals hold approved records only.
            if !totals { select = select.where(.status, .equal, ActivityStatus.approved.rawValue) }
            select = select.where(.year, .greaterThanOrEqual, query.years.lowerBound)
                .where(.year, .lessThanOrEqual, query.years.upperBound)
            select = Self.apply(query.rule, to: select, totals: totals)
            // COUNT(DISTINCT) skips NULL keys anyway; said here so that SQLite's planner may read
            // migration 30's partial index, which holds only records naming an institution. Not in
            // `apply`: a list of the records behind a measure still shows those that name none.
            if query.rule.aggregate == .distinctInstitutions { select = select.where(SQLRaw("institution_key IS NOT NULL")) }
            for column in groupColumns { select = select.groupBy(column) }
            var result: [AggregateGroup: Double] = [:]
            for row in try await select.all() {
                let value = try row.decode(column: "value", as: Double?.self) ?? 0
                switch query.grouping {
                case .total:
                    // An aggregate without GROUP BY always returns one row; no records means 0.
                    if value != 0 || query.rule.aggregate == .count { result[.total] = value }
                case .year:
                    result[.year(try row.decode(column: ActivityColumn.year.rawValue, as: Int.self))] = value
                case .quarter:
                    result[.quarter(year: try row.decode(column: ActivityColumn.year.rawValue, as: Int.self),
                                    quarter: try row.decode(column: ActivityColumn.quarter.rawValue, as: Int.self))] = value
                case .district:
                    result[.district(try row.decode(column: ActivityColumn.district.rawValue, as: Int?.self))] = value
                }
            }
            if query.grouping == .total, result[.total] == 0 { result[.total] = nil }
            return result
        }
    }

    /// Every aggregate is cast to a double in SQL: PostgreSQL's COUNT is a bigint and its SUM of
    /// a bigint column a numeric, neither of which postgres-kit decodes as `Double?`. (SQLite
    /// reads `DOUBLE PRECISION` as REAL.) A SUM over no rows stays NULL and is read as 0.
    /// Over `activity_totals` (`totals`) a group row stands for its records: COUNT(*) becomes the
    /// sum of `records`, and each sum the sum of the groups' sums — the same integers, since every
    /// condition of a summand depends only on the groups' key columns.
    static func aggregateExpression(_ rule: MeasureRule, totals: Bool = false) -> any SQLExpression {
        switch rule.aggregate {
        case .count:
            return SQLRaw(totals ? "CAST(SUM(records) AS DOUBLE PRECISION)" : "CAST(COUNT(*) AS DOUBLE PRECISION)")
        case .sum(.amount):
            // Grosze are summed exactly as integers, converted once, then divided once into PLN,
            // as the in-memory aggregator does.
            return SQLQueryString("CAST(SUM(\(ActivityColumn.summed(.amount))) AS DOUBLE PRECISION) / 100")
        case let .sum(field):
            return SQLQueryString("CAST(SUM(\(AudienceSQL(rule, totals: totals).summand(field))) AS DOUBLE PRECISION)")
        case .distinctInstitutions:
            return SQLQueryString("CAST(COUNT(DISTINCT \(ActivityColumn.institutionKey)) AS DOUBLE PRECISION)")
        }
    }

    /// The rule's task, kinds and audiences as WHERE clauses (`MeasureRule.matches`).
    static func apply(_ rule: MeasureRule, to query: SQLSelectBuilder, totals: Bool = false) -> SQLSelectBuilder {
        var query = query.where(.taskCode, .equal, rule.taskCode)
        if !rule.kinds.isEmpty { query = query.where(.kind, .in, rule.kinds.map(\.rawValue).sorted()) }
        if let matched = AudienceSQL(rule, totals: totals).matched { query = query.where(matched) }
        return query
    }

    public func coverage(_ query: AggregateQuery) async throws -> AggregateCoverage {
        let rule = query.rule
        // Coverage counts records, which add up, whatever the rule's aggregate.
        let totals = source == .totals
        let audience = AudienceSQL(rule, totals: totals)
        let counts: Bool = if case .sum(let field) = rule.aggregate { rule.people && field != .amount } else { false }
        return try await database.withConnection { db in
            // One row of conditional counts over the rule's task and kinds; each CASE is one branch
            // of `MeasureRule.audienceMatch` / `summand` (the in-memory aggregator's `coverage`).
            var select = db.select().from(totals ? ActivityTotals.table : "activities")
                .where(.programmeSlug, .equal, query.programmeSlug)
            if !totals { select = select.where(.status, .equal, ActivityStatus.approved.rawValue) }
            select = select.where(.year, .greaterThanOrEqual, query.years.lowerBound)
                .where(.year, .lessThanOrEqual, query.years.upperBound)
                .where(.taskCode, .equal, rule.taskCode)
            if !rule.kinds.isEmpty { select = select.where(.kind, .in, rule.kinds.map(\.rawValue).sorted()) }
            let matched = audience.matched ?? SQLQueryString("1 = 1")
            select = select.column(Self.countWhere(matched, totals: totals), as: "counted")
            if rule.splitsByAudience {
                select = select.column(Self.countWhere(audience.unsplittable, totals: totals), as: "left_out")
                    .column(Self.countWhere(audience.wholeWithoutBreakdown, totals: totals), as: "without_breakdown")
            }
            if counts {
                select = select.column(Self.countWhere("(\(matched)) AND NOT (\(audience.countsNew))", totals: totals), as: "fallbacks")
            }
            let row = try await select.first()
            func read(_ column: String) throws -> Int { try row?.decode(column: column, as: Int?.self) ?? 0 }
            var coverage = AggregateCoverage(recordsCounted: try read("counted"))
            if rule.splitsByAudience {
                coverage.recordsLeftOut = try read("left_out")
                coverage.recordsWithoutBreakdown = try read("without_breakdown")
            }
            if counts { coverage.attendanceFallbacks = try read("fallbacks") }
            return coverage
        }
    }

    /// `SUM(CASE WHEN condition THEN 1 ELSE 0 END)`: NULL over no rows, read as 0. Over the totals
    /// a row adds its group's `records`, cast back to BIGINT (PostgreSQL sums a BIGINT as NUMERIC).
    static func countWhere(_ condition: SQLQueryString, totals: Bool = false) -> SQLQueryString {
        totals ? "CAST(SUM(CASE WHEN \(condition) THEN records ELSE 0 END) AS BIGINT)" : "SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END)"
    }
}

/// `MeasureRule.audienceMatch` and `summand(of:field:)` spelt in SQL over `audience_mask`,
/// `breakdown_mask`, the parts' columns and `participants_new` (migration 17), so that both
/// engines give exactly what the in-memory aggregator gives. Bitwise AND is `&` in SQLite and
/// PostgreSQL alike; the masks are bound as 64-bit integers.
struct AudienceSQL {
    let rule: MeasureRule
    /// Spelt over `activity_totals`, whose `has_new` key says whether its records gave "of whom new";
    /// every other column has the records' name there.
    let totals: Bool
    init(_ rule: MeasureRule, totals: Bool = false) {
        self.rule = rule
        self.totals = totals
    }

    /// The rule's audiences, and every other audience, as masks.
    var inside: Int64 { Audience.mask(rule.audiences) }
    var outside: Int64 { Audience.mask(Set(Audience.allCases).subtracting(rule.audiences)) }

    /// `.whole` or `.parts`; nil when every record's audiences match (the rule names none).
    var matched: SQLQueryString? {
        if rule.audiences.isEmpty { return nil }
        let anyOfRules: SQLQueryString = "(\(ActivityColumn.audienceMask) & \(bind: inside)) <> 0"
        guard rule.splitsByAudience else { return anyOfRules }
        return "((\(ActivityColumn.breakdownMask) & \(bind: inside)) <> 0 OR (\(wholeWithoutBreakdown)))"
    }

    /// `.whole` of a splitting rule: no breakdown, and all the record's audiences are the rule's.
    var wholeWithoutBreakdown: SQLQueryString {
        "\(ActivityColumn.breakdownMask) = 0 AND (\(ActivityColumn.audienceMask) & \(bind: inside)) <> 0 AND (\(ActivityColumn.audienceMask) & \(bind: outside)) = 0"
    }

    /// `.unsplittable`: no breakdown, and the record's audiences are partly outside the rule's.
    var unsplittable: SQLQueryString {
        "\(ActivityColumn.breakdownMask) = 0 AND (\(ActivityColumn.audienceMask) & \(bind: inside)) <> 0 AND (\(ActivityColumn.audienceMask) & \(bind: outside)) <> 0"
    }

    /// A matched record of a people rule adds its "of whom new": the whole record is the rule's
    /// (for a splitting rule: no breakdown, or one of the rule's audiences only) and it gave one.
    var countsNew: SQLQueryString {
        let isNew: SQLQueryString = totals ? "has_new <> 0" : "\(ActivityColumn.participantsNew) IS NOT NULL"
        guard rule.splitsByAudience else { return isNew }
        return "(\(ActivityColumn.breakdownMask) & \(bind: outside)) = 0 AND \(isNew)"
    }

    /// What a matched record adds to the sum of `field` (NULL adds nothing, as nil adds 0).
    func summand(_ field: ActivityField) -> SQLQueryString {
        let column = ActivityColumn.summed(field)
        var attendances: SQLQueryString = "\(column)"
        if rule.splitsByAudience {
            // Σ of the rule's audiences' parts; an absent part adds nothing.
            var parts: SQLQueryString = "0"
            for audience in Audience.allCases where rule.audiences.contains(audience) {
                parts = "\(parts) + COALESCE(\(ActivityColumn.part(audience)), 0)"
            }
            attendances = "CASE WHEN \(ActivityColumn.breakdownMask) <> 0 THEN \(parts) ELSE \(column) END"
        }
        guard rule.people, field != .amount else { return attendances }
        return "CASE WHEN \(countsNew) THEN \(ActivityColumn.participantsNew) ELSE \(attendances) END"
    }
}

extension MeasureRule.Aggregate {
    static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.count, .count), (.distinctInstitutions, .distinctInstitutions): return true
        case let (.sum(x), .sum(y)): return x == y
        default: return false
        }
    }
}

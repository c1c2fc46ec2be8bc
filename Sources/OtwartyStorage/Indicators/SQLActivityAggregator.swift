import Foundation
import OtwartyCore
import SQLKit

/// Answers the indicator engine's queries with one GROUP BY statement each, on either engine.
public struct SQLActivityAggregator: ActivityAggregator {
    let database: Database
    public init(database: Database) { self.database = database }

    public func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double] {
        try await database.withConnection { db in
            var select = db.select().from("activities")
            let groupColumns: [ActivityColumn]
            switch query.grouping {
            case .total: groupColumns = []
            case .year: groupColumns = [.year]
            case .quarter: groupColumns = [.year, .quarter]
            case .district: groupColumns = [.district]
            }
            for column in groupColumns { select = select.column(column) }
            select = select.column(Self.aggregateExpression(query.rule), as: "value")
            select = select.where(.programmeSlug, .equal, query.programmeSlug)
                .where(.status, .equal, ActivityStatus.approved.rawValue)
                .where(.year, .greaterThanOrEqual, query.years.lowerBound)
                .where(.year, .lessThanOrEqual, query.years.upperBound)
            select = Self.apply(query.rule, to: select)
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
    static func aggregateExpression(_ rule: MeasureRule) -> any SQLExpression {
        switch rule.aggregate {
        case .count:
            return SQLRaw("CAST(COUNT(*) AS DOUBLE PRECISION)")
        case .sum(.amount):
            // Grosze are summed exactly as integers, converted once, then divided once into PLN,
            // as the in-memory aggregator does.
            return SQLQueryString("CAST(SUM(\(ActivityColumn.summed(.amount))) AS DOUBLE PRECISION) / 100")
        case let .sum(field):
            return SQLQueryString("CAST(SUM(\(AudienceSQL(rule).summand(field))) AS DOUBLE PRECISION)")
        case .distinctInstitutions:
            return SQLQueryString("CAST(COUNT(DISTINCT \(ActivityColumn.institutionKey)) AS DOUBLE PRECISION)")
        }
    }

    /// The rule's task, kinds and audiences as WHERE clauses (`MeasureRule.matches`).
    static func apply(_ rule: MeasureRule, to query: SQLSelectBuilder) -> SQLSelectBuilder {
        var query = query.where(.taskCode, .equal, rule.taskCode)
        if !rule.kinds.isEmpty { query = query.where(.kind, .in, rule.kinds.map(\.rawValue).sorted()) }
        if let matched = AudienceSQL(rule).matched { query = query.where(matched) }
        return query
    }

    public func coverage(_ query: AggregateQuery) async throws -> AggregateCoverage {
        let rule = query.rule
        let audience = AudienceSQL(rule)
        let counts: Bool = if case .sum(let field) = rule.aggregate { rule.people && field != .amount } else { false }
        return try await database.withConnection { db in
            // One row of conditional counts over the rule's task and kinds; each CASE is one branch
            // of `MeasureRule.audienceMatch` / `summand` (the in-memory aggregator's `coverage`).
            var select = db.select().from("activities")
                .where(.programmeSlug, .equal, query.programmeSlug)
                .where(.status, .equal, ActivityStatus.approved.rawValue)
                .where(.year, .greaterThanOrEqual, query.years.lowerBound)
                .where(.year, .lessThanOrEqual, query.years.upperBound)
                .where(.taskCode, .equal, rule.taskCode)
            if !rule.kinds.isEmpty { select = select.where(.kind, .in, rule.kinds.map(\.rawValue).sorted()) }
            let matched = audience.matched ?? SQLQueryString("1 = 1")
            select = select.column(Self.countWhere(matched), as: "counted")
            if rule.splitsByAudience {
                select = select.column(Self.countWhere(audience.unsplittable), as: "left_out")
                    .column(Self.countWhere(audience.wholeWithoutBreakdown), as: "without_breakdown")
            }
            if counts {
                select = select.column(Self.countWhere("(\(matched)) AND NOT (\(audience.countsNew))"), as: "fallbacks")
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

    /// `SUM(CASE WHEN condition THEN 1 ELSE 0 END)`: NULL over no rows, read as 0.
    static func countWhere(_ condition: SQLQueryString) -> SQLQueryString {
        "SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END)"
    }
}

/// `MeasureRule.audienceMatch` and `summand(of:field:)` spelt in SQL over `audience_mask`,
/// `breakdown_mask`, the parts' columns and `participants_new` (migration 17), so that both
/// engines give exactly what the in-memory aggregator gives. Bitwise AND is `&` in SQLite and
/// PostgreSQL alike; the masks are bound as 64-bit integers.
struct AudienceSQL {
    let rule: MeasureRule
    init(_ rule: MeasureRule) { self.rule = rule }

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
        let isNew: SQLQueryString = "\(ActivityColumn.participantsNew) IS NOT NULL"
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

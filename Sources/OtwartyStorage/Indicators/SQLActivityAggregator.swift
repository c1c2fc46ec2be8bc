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
            select = select.column(Self.aggregateExpression(query.rule.aggregate), as: "value")
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
    static func aggregateExpression(_ aggregate: MeasureRule.Aggregate) -> any SQLExpression {
        switch aggregate {
        case .count:
            return SQLRaw("CAST(COUNT(*) AS DOUBLE PRECISION)")
        case .sum(.amount):
            // Grosze are summed exactly as integers, converted once, then divided once into PLN,
            // as the in-memory aggregator does.
            return SQLQueryString("CAST(SUM(\(ActivityColumn.summed(.amount))) AS DOUBLE PRECISION) / 100")
        case let .sum(field):
            return SQLQueryString("CAST(SUM(\(ActivityColumn.summed(field))) AS DOUBLE PRECISION)")
        case .distinctInstitutions:
            return SQLQueryString("CAST(COUNT(DISTINCT \(ActivityColumn.institutionKey)) AS DOUBLE PRECISION)")
        }
    }

    /// The rule's task, kinds and audiences as WHERE clauses (`MeasureRule.audienceMatch`).
    static func apply(_ rule: MeasureRule, to query: SQLSelectBuilder) -> SQLSelectBuilder {
        var query = query.where(.taskCode, .equal, rule.taskCode)
        if !rule.kinds.isEmpty { query = query.where(.kind, .in, rule.kinds.map(\.rawValue).sorted()) }
        if !rule.audiences.isEmpty {
            // Bitwise AND is spelled `&` in both SQLite and PostgreSQL.
            query = query.where(SQLQueryString("(\(ActivityColumn.audienceMask) & \(bind: Audience.mask(rule.audiences))) <> 0"))
            if rule.splitsByAudience {
                // Without a breakdown, a record counts only if all its audiences are the rule's.
                query = query.where(SQLQueryString("(\(ActivityColumn.audienceMask) & \(bind: outside(rule.audiences))) = 0"))
            }
        }
        return query
    }

    /// The mask of every audience not in `audiences`.
    static func outside(_ audiences: Set<Audience>) -> Int64 {
        Audience.mask(Set(Audience.allCases).subtracting(audiences))
    }

    public func coverage(_ query: AggregateQuery) async throws -> AggregateCoverage {
        let rule = query.rule
        return try await database.withConnection { db in
            var select = db.select().from("activities")
                .column(SQLRaw("COUNT(*)"), as: "counted")
                .where(.programmeSlug, .equal, query.programmeSlug)
                .where(.status, .equal, ActivityStatus.approved.rawValue)
                .where(.year, .greaterThanOrEqual, query.years.lowerBound)
                .where(.year, .lessThanOrEqual, query.years.upperBound)
                .where(.taskCode, .equal, rule.taskCode)
            if !rule.kinds.isEmpty { select = select.where(.kind, .in, rule.kinds.map(\.rawValue).sorted()) }
            if !rule.audiences.isEmpty {
                select = select.where(SQLQueryString("(\(ActivityColumn.audienceMask) & \(bind: Audience.mask(rule.audiences))) <> 0"))
            }
            let insideOnly = SQLQueryString("(\(ActivityColumn.audienceMask) & \(bind: Self.outside(rule.audiences))) = 0")
            if rule.splitsByAudience {
                select = select.column(SQLQueryString("SUM(CASE WHEN \(insideOnly) THEN 0 ELSE 1 END)"), as: "left_out")
            }
            let row = try await select.first()
            let candidates = try row?.decode(column: "counted", as: Int.self) ?? 0
            let leftOut = rule.splitsByAudience ? try row?.decode(column: "left_out", as: Int?.self) ?? 0 : 0
            let counted = candidates - leftOut
            var coverage = AggregateCoverage(recordsCounted: counted)
            // No record carries a breakdown or an "of whom new" yet: every counted record of a
            // splitting rule is counted whole, and every one of a people rule falls back.
            if rule.splitsByAudience { coverage.recordsWithoutBreakdown = counted }
            coverage.recordsLeftOut = leftOut
            if rule.people, case .sum = rule.aggregate { coverage.attendanceFallbacks = counted }
            return coverage
        }
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

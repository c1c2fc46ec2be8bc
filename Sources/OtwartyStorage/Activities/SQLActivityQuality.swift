import Foundation
import OtwartyCore
import SQLKit

// The reads of the review queue's data-quality checks (`QualityCheck`): one query each for a
// whole page of the queue, the same SQL on SQLite and PostgreSQL.
extension SQLActivityRepository {
    public func duplicateCandidates(programmeSlug: String, taskCodes: Set<String>,
                                    startDates: Set<CalendarDate>) async throws -> [DuplicateCandidate] {
        guard !taskCodes.isEmpty, !startDates.isEmpty else { return [] }
        struct Row: Decodable {
            var id: Int64
            var organisation_id: Int64
            var task_code: String
            var start_date: String
            var district: Int?
            var title: String
            var status: ActivityStatus
        }
        // A queue page has at most 50 records, the "only flagged" view at most 1,000
        // (`ActivitiesController.flaggedViewLimit`): at most 2,000 bound values, far below either
        // engine's limit (SQLite 32,766, PostgreSQL 65,535).
        let rows = try await database.withConnection { db in
            try await db.select()
                .columns(ActivityColumn.id, ActivityColumn.organisationID, ActivityColumn.taskCode, ActivityColumn.startDate,
                         ActivityColumn.district, ActivityColumn.title, ActivityColumn.status)
                .from("activities")
                .where(.programmeSlug, .equal, programmeSlug)
                .where(.status, .in, [ActivityStatus.approved.rawValue, ActivityStatus.submitted.rawValue])
                .where(.taskCode, .in, taskCodes.sorted())
                .where(.startDate, .in, startDates.map(\.description).sorted())
                .all(decoding: Row.self)
        }
        return rows.compactMap { row in
            guard let date = CalendarDate(iso: row.start_date) else { return nil }
            return DuplicateCandidate(id: row.id, organisationID: row.organisation_id, taskCode: row.task_code, startDate: date,
                                      district: row.district.flatMap(District.init(number:)), title: row.title, status: row.status)
        }
    }

    public func countProfiles(programmeSlug: String, kinds: Set<ActivityKind>) async throws -> CountProfiles {
        guard !kinds.isEmpty else { return [:] }
        struct Row: Decodable {
            var kind: ActivityKind
            var field: String
            var amount: Int
            var rn: Int
            var n: Int
        }
        // Per kind and field, only the two rows at the median's and the 99th percentile's nearest
        // ranks, ⌈50·n/100⌉ and ⌈99·n/100⌉ written as (p·n + 99) / 100 in integer arithmetic,
        // which truncates the same way on both engines. Window functions: SQLite ≥ 3.25, PostgreSQL.
        // The CASE folds the two ranks' rows into one row a kind and field, so nothing
        // depends on which comes first.
        func ranked(_ column: ActivityColumn) -> SQLQueryString {
            let kindList = SQLList(kinds.map(\.rawValue).sorted().map { SQLBind($0) })
            return """
                SELECT \(ident: "kind"), \(literal: column.rawValue) AS field, amount, rn, n FROM (
                  SELECT \(ident: "kind"), \(ident: column.rawValue) AS amount,
                         ROW_NUMBER() OVER (PARTITION BY \(ident: "kind") ORDER BY \(ident: column.rawValue)) AS rn,
                         COUNT(*) OVER (PARTITION BY \(ident: "kind")) AS n
                  FROM \(ident: "activities")
                  WHERE \(ident: "programme_slug") = \(bind: programmeSlug) AND \(ident: "status") = \(bind: ActivityStatus.approved.rawValue)
                    AND \(ident: column.rawValue) IS NOT NULL AND \(ident: "kind") IN (\(kindList))
                ) ranked WHERE rn = (50 * n + 99) / 100 OR rn = (99 * n + 99) / 100
                """
        }
        let query: SQLQueryString = "\(ranked(.participants)) UNION ALL \(ranked(.beneficiaries))"
        let rows = try await database.withConnection { db in try await db.raw(query).all(decoding: Row.self) }
        var profiles: CountProfiles = [:]
        for row in rows {
            guard let field = CountField(rawValue: row.field) else { continue }
            let n = row.n, rank = row.rn, value = row.amount
            var profile = profiles[row.kind]?[field] ?? CountProfile(records: n, median: 0, percentile99: 0)
            if rank == CountProfile.rank(50, of: n) { profile.median = value }
            if rank == CountProfile.rank(99, of: n) { profile.percentile99 = value }
            profiles[row.kind, default: [:]][field] = profile
        }
        return profiles
    }
}

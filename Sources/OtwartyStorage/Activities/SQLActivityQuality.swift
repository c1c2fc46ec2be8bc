import Foundation
import OtwartyCore
import SQLKit

// The reads of the review queue's data-quality checks (`QualityCheck`): one query each for a
// whole page of the queue, the same SQL on SQLite and PostgreSQL.
extension SQLActivityRepository {
    public func duplicateCandidates(programmeSlug: String, of checked: [DuplicateCandidate],
                                    limit: Int) async throws -> [DuplicateCandidate] {
        guard !checked.isEmpty, limit > 0 else { return [] }
        struct Row: Decodable {
            var id: Int64
            var organisation_id: Int64
            var task_code: String
            var start_date: String
            var district: Int?
            var title: String
            var status: ActivityStatus
        }
        // The checked records as a table of (id, organisation, task, start date, district), joined
        // with the records sharing their key through `activities_duplicates` (migrations 29 and 30: task and day): one
        // index search per checked record, never a scan of a task's records. ROW_NUMBER keeps the
        // first `limit` of each, so the rows returned are bounded by the page, not the data.
        // City-wide is district 0 on both sides (districts are 1–18): a plain `=` on both engines,
        // where NULLs would need `IS` on SQLite and `IS NOT DISTINCT FROM` on PostgreSQL.
        // A queue page has at most 50 records, the "only flagged" view at most 1,000
        // (`ActivitiesController.flaggedViewLimit`): at most 5,000 bound values, below either
        // engine's limit (SQLite 32,766, PostgreSQL 65,535).
        let keys = SQLList(checked.map { record in
            SQLGroupExpression([SQLBind(record.id), SQLBind(record.organisationID), SQLBind(record.taskCode),
                                SQLBind(record.startDate.description), SQLBind(Int64(record.district?.number ?? 0))])
        })
        let statuses = SQLList([SQLBind(ActivityStatus.approved.rawValue), SQLBind(ActivityStatus.submitted.rawValue)])
        // SQLite is told the index by name: without statistics its planner chose now this index,
        // now the indicators' index (programme, status, task), which walks every record of a task
        // (the full test run saw both for the same statement on a fresh file). PostgreSQL has
        // statistics and no such syntax.
        let indexedBy = database.kind == .sqlite ? " INDEXED BY activities_duplicates" : ""
        let query: SQLQueryString = "WITH checked (checked_id, organisation_id, task_code, start_date, district) AS (VALUES \(keys)) "
            + "SELECT c.id, c.organisation_id, c.task_code, c.start_date, c.district, c.title, c.status FROM (SELECT a.id, a.organisation_id, a.task_code, a.start_date, a.district, a.title, a.status, ROW_NUMBER() OVER (PARTITION BY k.checked_id ORDER BY a.id) AS rn "
            + "FROM checked k JOIN activities a\(unsafeRaw: indexedBy) ON a.programme_slug = \(bind: programmeSlug) AND a.task_code = k.task_code AND a.start_date = k.start_date AND a.status IN (\(statuses)) AND a.organisation_id <> k.organisation_id AND COALESCE(a.district, 0) = k.district) c "
            + "WHERE c.rn <= \(bind: Int64(limit))"
        let rows = try await database.withConnection { db in try await db.raw(query).all(decoding: Row.self) }
        var seen: Set<Int64> = []
        return rows.compactMap { row in
            guard seen.insert(row.id).inserted, let date = CalendarDate(iso: row.start_date) else { return nil }
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

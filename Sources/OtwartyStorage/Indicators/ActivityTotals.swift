import Foundation
import SQLKit

/// `activity_totals` (migration 28): the approved records added up per (programme, task, year,
/// kind, audience mask, breakdown mask, "of whom new" given or not, quarter, district), with the
/// record count and the sums of every column a rule adds up. Every summand and condition of the
/// engine's rules (`AudienceSQL`) depends on a record only through these key columns and is linear
/// in the summed ones, so Σ over a group's rows of the per-record formula equals the same formula
/// over the group's sums, exactly (integers, cast to a double once as before). The aggregator
/// answers count and sum rules and coverage from this table: about 17,000 rows at a million
/// records instead of range scans of the records index, which made the first dashboard view after
/// a change cost ~150 ms of SQL at 1M (docs/performance.md). Distinct-institution counts are not
/// additive and still read the records' covering index.
///
/// The table is kept by triggers on `activities`, in the same statement as each write, so every
/// path that writes records — create, update, status changes, both imports (SQLite's prepared
/// statements and PostgreSQL's COPY), a delete, a restore's own rows — keeps it right without
/// knowing about it: SQLite's per row, PostgreSQL's per statement over the transition tables (one
/// grouped upsert per COPY batch). A group whose count falls to 0 is deleted, so groups are
/// present exactly when approved records are, as with the records. `ActivityTotalsTests` compares
/// the table with a full recomputation after random writes on both engines.
enum ActivityTotals {
    static let table = "activity_totals"
    /// The SQLite insert trigger, which the import pauses for its transaction (`SQLiteActivityImport`).
    static let insertTrigger = "activity_totals_insert"
    /// The key, in the primary key's order: programme, task and year first (every query's
    /// equality and range), then what the rules filter and group on.
    static let key = ["programme_slug", "task_code", "year", "kind", "audience_mask", "breakdown_mask", "has_new", "quarter", "district"]
    /// The summed columns, named as in `activities`.
    static let sums = ["participants", "beneficiaries", "amount_grosze", "participants_new", "p_city_office", "p_municipal_guard",
                       "p_police", "p_teachers", "p_parents", "p_pupils", "p_residents", "p_migrants", "p_minorities", "p_other"]
    static var columns: [String] { key + ["records"] + sums }

    /// A key column's value from a row of `activities` (`prefix` "NEW.", "OLD." or "").
    static func keyValue(_ column: String, _ prefix: String) -> String {
        switch column {
        case "has_new": "CASE WHEN \(prefix)participants_new IS NOT NULL THEN 1 ELSE 0 END"
        // 0 for a city-wide record: a key column cannot be NULL (NULLs never conflict in a unique key).
        case "district": "COALESCE(\(prefix)district, 0)"
        default: prefix + column
        }
    }

    static var conflict: String { "ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET " + (["records"] + sums).map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", ") }

    /// One record's row added (`sign` 1) or taken away (-1), SQLite trigger body.
    static func sqliteUpsert(_ prefix: String, sign: Int) -> String {
        let s = sign < 0 ? "-" : ""
        let values = key.map { keyValue($0, prefix) } + ["\(s)1"] + sums.map { "\(s)COALESCE(\(prefix)\($0), 0)" }
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(values.joined(separator: ", "))) \(conflict);"
    }

    /// The empty group a taken-away record may leave, SQLite trigger body.
    static func sqliteDeleteEmpty(_ prefix: String) -> String {
        "DELETE FROM \(table) WHERE " + key.map { "\($0) = \(keyValue($0, prefix))" }.joined(separator: " AND ") + " AND records = 0;"
    }

    /// The rows of `source` grouped into totals (`sign` -1 to take them away).
    static func grouped(from source: String, sign: Int) -> String {
        let s = sign < 0 ? "-" : ""
        let keys = key.map { keyValue($0, "") }
        let selected = key.map { "\(keyValue($0, "")) AS \($0)" } + ["\(s)COUNT(*) AS records"] + sums.map { "\(s)SUM(COALESCE(\($0), 0)) AS \($0)" }
        return "SELECT \(selected.joined(separator: ", ")) FROM \(source) WHERE status = 'approved' GROUP BY \(keys.joined(separator: ", "))"
    }

    /// Migration 28's statements for `kind` (the table, its backfill, the triggers).
    static func migration(sqlite: Bool) -> [String] {
        let columnTypes = key.map { column in column == "programme_slug" || column == "task_code" || column == "kind" ? "\(column) TEXT NOT NULL" : "\(column) BIGINT NOT NULL" }
            + (["records"] + sums).map { "\($0) BIGINT NOT NULL" }
        // SQLite: WITHOUT ROWID, so the rows live in the primary key's b-tree and a lookup by the
        // key's prefix reads them there (SQLite's plan: `USING PRIMARY KEY`), as a covering index would.
        let create = "CREATE TABLE \(table) (\(columnTypes.joined(separator: ", ")), PRIMARY KEY (\(key.joined(separator: ", "))))" + (sqlite ? " WITHOUT ROWID" : "")
        let backfill = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) \(grouped(from: "activities", sign: 1))"
        if sqlite {
            // Only writes that can change what counts fire the update triggers (not search_text or a review comment).
            let counted = (["status"] + key.filter { $0 != "has_new" } + sums).joined(separator: ", ")
            return [
                create, backfill,
                "CREATE TRIGGER \(insertTrigger) AFTER INSERT ON activities WHEN NEW.status = 'approved' BEGIN \(sqliteUpsert("NEW.", sign: 1)) END",
                "CREATE TRIGGER activity_totals_delete AFTER DELETE ON activities WHEN OLD.status = 'approved' BEGIN \(sqliteUpsert("OLD.", sign: -1)) \(sqliteDeleteEmpty("OLD.")) END",
                "CREATE TRIGGER activity_totals_update_old AFTER UPDATE OF \(counted) ON activities WHEN OLD.status = 'approved' BEGIN \(sqliteUpsert("OLD.", sign: -1)) \(sqliteDeleteEmpty("OLD.")) END",
                "CREATE TRIGGER activity_totals_update_new AFTER UPDATE OF \(counted) ON activities WHEN NEW.status = 'approved' BEGIN \(sqliteUpsert("NEW.", sign: 1)) END",
            ]
        }
        // PostgreSQL: once per statement over the transition tables, rows in key order (two writers
        // touching the same groups lock them in the same order). The table is named in the schema
        // of the `activities` that fired (TG_TABLE_SCHEMA), so the function works whatever the
        // writer's search path, and still after a restore into a schema of another name.
        let keyList = key.joined(separator: ", ")
        let target = "%1$I.\(table) AS t (\(columns.joined(separator: ", ")))"
        let add = "ON CONFLICT (\(keyList)) DO UPDATE SET " + (["records"] + sums).map { "\($0) = t.\($0) + excluded.\($0)" }.joined(separator: ", ")
        let removeEmpty = "DELETE FROM %1$I.\(table) t USING (SELECT DISTINCT \(key.map { "\(keyValue($0, "")) AS \($0)" }.joined(separator: ", ")) FROM old_rows WHERE status = 'approved') o WHERE " + key.map { "t.\($0) = o.\($0)" }.joined(separator: " AND ") + " AND t.records = 0"
        let body = "BEGIN IF TG_OP IN ('UPDATE', 'DELETE') THEN EXECUTE format($q$INSERT INTO \(target) \(grouped(from: "old_rows", sign: -1)) ORDER BY \(keyList) \(add)$q$, TG_TABLE_SCHEMA); EXECUTE format($q$\(removeEmpty)$q$, TG_TABLE_SCHEMA); END IF; IF TG_OP IN ('INSERT', 'UPDATE') THEN EXECUTE format($q$INSERT INTO \(target) \(grouped(from: "new_rows", sign: 1)) ORDER BY \(keyList) \(add)$q$, TG_TABLE_SCHEMA); END IF; RETURN NULL; END"
        return [
            create, backfill,
            "CREATE FUNCTION activity_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$ \(body) $$",
            "CREATE TRIGGER activity_totals_insert AFTER INSERT ON activities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_totals_apply()",
            "CREATE TRIGGER activity_totals_update AFTER UPDATE ON activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_totals_apply()",
            "CREATE TRIGGER activity_totals_delete AFTER DELETE ON activities REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_totals_apply()",
        ]
    }

    /// The totals recomputed from the records, in the table's columns, for comparison with the kept
    /// table (`ActivityTotalsTests`).
    static var recomputation: String { grouped(from: "activities", sign: 1) }
}

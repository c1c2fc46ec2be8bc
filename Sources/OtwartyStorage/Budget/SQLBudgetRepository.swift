import Foundation
import OtwartyCore
import SQLKit

/// Budget entries, one row per programme, year, task and source.
public struct SQLBudgetRepository: BudgetRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `budget_entries`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case programmeSlug = "programme_slug", year, taskCode = "task_code", source, plannedGrosze = "planned_grosze",
                 spentGrosze = "spent_grosze", note, updatedAt = "updated_at", updatedBy = "updated_by"
        }
        typealias Column = CodingKeys
        var programmeSlug: String
        var year: Int
        var taskCode: String
        var source: Int
        var plannedGrosze: Int64
        var spentGrosze: Int64?
        var note: String
        var updatedAt: Double
        var updatedBy: Int64?

        var entry: BudgetEntry {
            BudgetEntry(programmeSlug: programmeSlug, year: year, taskCode: taskCode, source: source,
                        plannedGrosze: plannedGrosze, spentGrosze: spentGrosze, note: note,
                        updatedAt: Date(timeIntervalSince1970: updatedAt), updatedBy: updatedBy)
        }
    }

    public func entries(programme: String, year: Int?) async throws -> [BudgetEntry] {
        try await database.withConnection { db in
            var query = db.select().columns(Row.columns).from("budget_entries").where("programme_slug", .equal, programme)
            if let year { query = query.where("year", .equal, year) }
            let rows = try await query.orderBy("year").orderBy("task_code").orderBy("source").all(decoding: Row.self)
            // Task codes sort as numbers (1.2 before 1.10), which SQL's text order does not do.
            return rows.map(\.entry).sorted {
                ($0.year, TaskCodeOrder($0.taskCode), $0.source) < ($1.year, TaskCodeOrder($1.taskCode), $1.source)
            }
        }
    }

    public func save(_ entry: BudgetEntry) async throws {
        try await saveAll([entry])
    }

    public func saveAll(_ entries: [BudgetEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await database.transaction { db in
            for chunk in stride(from: 0, to: entries.count, by: 200).map({ entries[$0..<min($0 + 200, entries.count)] }) {
                var insert = db.insert(into: "budget_entries")
                    .columns("programme_slug", "year", "task_code", "source", "planned_grosze", "spent_grosze", "note",
                             "updated_at", "updated_by")
                for e in chunk {
                    insert = insert.values(SQLBind(e.programmeSlug), SQLBind(e.year), SQLBind(e.taskCode), SQLBind(e.source),
                                           SQLBind(e.plannedGrosze), SQLBind(e.spentGrosze), SQLBind(e.note),
                                           SQLBind(e.updatedAt.stored), SQLBind(e.updatedBy))
                }
                try await insert.onConflict(with: ["programme_slug", "year", "task_code", "source"]) {
                    $0.set(excludedValueOf: "planned_grosze").set(excludedValueOf: "spent_grosze")
                        .set(excludedValueOf: "note").set(excludedValueOf: "updated_at").set(excludedValueOf: "updated_by")
                }.run()
            }
        }
    }

    public func delete(programme: String, year: Int, taskCode: String, source: Int) async throws -> Bool {
        try await database.withConnection { db in
            let existing = try await db.select().column("source").from("budget_entries")
                .where("programme_slug", .equal, programme).where("year", .equal, year)
                .where("task_code", .equal, taskCode).where("source", .equal, source).first()
            guard existing != nil else { return false }
            try await db.delete(from: "budget_entries")
                .where("programme_slug", .equal, programme).where("year", .equal, year)
                .where("task_code", .equal, taskCode).where("source", .equal, source).run()
            return true
        }
    }
}

/// Orders `goal.task` codes as numbers; anything else after them, by text.
struct TaskCodeOrder: Comparable {
    let parts: [Int]
    let code: String
    init(_ code: String) {
        self.code = code
        let numbers = code.split(separator: ".").map { Int($0) }
        parts = numbers.contains(nil) ? [Int.max] : numbers.compactMap { $0 }
    }
    static func < (a: TaskCodeOrder, b: TaskCodeOrder) -> Bool {
        a.parts != b.parts ? a.parts.lexicographicallyPrecedes(b.parts) : a.code < b.code
    }
}

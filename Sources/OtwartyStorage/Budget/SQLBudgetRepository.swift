import Foundation
import OtwartyCore
import SQLKit

/// Budget entries, one row per programme, year, task and source.
public struct SQLBudgetRepository: BudgetRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static func entry(_ row: any SQLRow) throws -> BudgetEntry {
        BudgetEntry(programmeSlug: try row.decode(column: "programme_slug", as: String.self),
                    year: try row.decode(column: "year", as: Int.self),
                    taskCode: try row.decode(column: "task_code", as: String.self),
                    source: try row.decode(column: "source", as: Int.self),
                    plannedGrosze: try row.decode(column: "planned_grosze", as: Int64.self),
                    spentGrosze: try row.decode(column: "spent_grosze", as: Int64?.self),
                    note: try row.decode(column: "note", as: String.self),
                    updatedAt: try row.date("updated_at"),
                    updatedBy: try row.decode(column: "updated_by", as: Int64?.self))
    }

    public func entries(programme: String, year: Int?) async throws -> [BudgetEntry] {
        try await database.withConnection { db in
            var query = db.select().column("*").from("budget_entries").where("programme_slug", .equal, programme)
            if let year { query = query.where("year", .equal, year) }
            let rows = try await query.orderBy("year").orderBy("task_code").orderBy("source").all()
            // Task codes sort as numbers (1.2 before 1.10), which SQL's text order does not do.
            return try rows.map(Self.entry).sorted {
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

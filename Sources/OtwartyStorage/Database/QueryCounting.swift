import Foundation
import Logging
import NIOCore
import SQLKit

/// The statements one piece of work ran and the rows the database handed back for each: the
/// guard against pages whose work grows with the data (issue 15: the dashboard read every approved
/// record on every view, 7.6 s at a million records). Rows are what SQLite or PostgreSQL return to
/// Otwarty, not what they scan: an aggregate over a million rows is one row, a list of a million
/// records is a million. `RowCountGuardTests` requests every aggregating page at two data sizes and
/// requires the same counts, so no test has to time anything.
public final class QueryCount: @unchecked Sendable {
    public struct Statement: Sendable, Hashable {
        /// The statement as sent (placeholders, not values).
        public var sql: String
        public var rows: Int
    }

    private let lock = NSLock()
    private var list: [Statement] = []

    public init() {}

    public var statements: [Statement] { lock.withLock { list } }
    public var rows: Int { statements.reduce(0) { $0 + $1.rows } }

    func begin(_ sql: String) -> Int {
        lock.withLock {
            list.append(Statement(sql: sql, rows: 0))
            return list.count - 1
        }
    }

    func row(_ index: Int) { lock.withLock { list[index].rows += 1 } }
}

extension Database {
    /// Where `withConnection` counts, for the task that set it (and the tasks it starts). nil,
    /// as everywhere outside the guard's tests, costs one task-local read per connection lent.
    @TaskLocal static var queryCount: QueryCount?

    /// Runs `body` with every statement of this task on any `Database` counted into `count`.
    public static func counting<R>(into count: QueryCount, _ body: () async throws -> R) async throws -> R {
        try await $queryCount.withValue(count) { try await body() }
    }
}

/// A connection that passes everything through and notes each statement and row in a `QueryCount`.
struct CountingSQLDatabase: SQLDatabase {
    let base: any SQLDatabase
    let count: QueryCount

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let index = count.begin(base.serialize(query).sql)
        let count = self.count
        return base.execute(sql: query) { row in
            count.row(index)
            onRow(row)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let index = count.begin(base.serialize(query).sql)
        let count = self.count
        try await base.execute(sql: query) { row in
            count.row(index)
            onRow(row)
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let count = self.count
        return try await base.withSession { try await closure(CountingSQLDatabase(base: $0, count: count)) }
    }
}

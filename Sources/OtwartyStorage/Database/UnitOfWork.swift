import Foundation
import SQLKit

/// One transaction that the repository calls inside `Database.atomically` join: their
/// `transaction` and `withConnection` run on its connection instead of their own, so a change and
/// its audit entry (`AuditLog.atomically`) commit together or not at all.
///
/// The unit is found through a task-local value, so only code awaited inside the block joins it.
/// A task started inside that outlives the block finds the unit closed and takes a connection of
/// its own again. The block must not run queries concurrently (one connection, one statement at a
/// time), which the services' sequential writes never do.
final class UnitOfWork: @unchecked Sendable {
    @TaskLocal static var current: UnitOfWork?

    private let database: ObjectIdentifier
    private let connection: any SQLDatabase
    private let lock = NSLock()
    private var open = true

    init(database: Database, connection: any SQLDatabase) {
        self.database = ObjectIdentifier(database)
        self.connection = connection
    }

    func close() { lock.withLock { open = false } }

    /// The connection of the open unit of `database` this task runs in, if any.
    static func joining(_ database: Database) -> (any SQLDatabase)? {
        guard let unit = current, unit.database == ObjectIdentifier(database), unit.lock.withLock({ unit.open }) else {
            return nil
        }
        return unit.connection
    }
}

extension Database {
    /// Runs `body` in one transaction that every `transaction` and `withConnection` of this
    /// database inside it joins: committed when `body` returns, rolled back when it throws (or
    /// when the process dies before the commit). Nested, it joins the enclosing unit.
    public func atomically<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R {
        if UnitOfWork.joining(self) != nil { return try await body() }
        return try await transaction { db in
            let unit = UnitOfWork(database: self, connection: db)
            defer { unit.close() }
            return try await UnitOfWork.$current.withValue(unit) { try await body() }
        }
    }
}

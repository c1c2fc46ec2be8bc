@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import OtwartyCore
import PostgresKit
import SQLKit
import SQLiteKit

/// The SQL engine behind the repositories. Hands out a connection for the length of a closure,
/// so a transaction's statements all run on one connection whatever the pool does.
public final class Database: Sendable {
    public enum Kind: String, Sendable { case sqlite, postgres }
    /// The page size of a SQLite file Otwarty creates (see `open`).
    static let sqlitePageSize = 16_384

    public let kind: Kind
    public let location: DatabaseLocation
    private let withConnectionBody: @Sendable (@escaping @Sendable (any SQLDatabase) async throws -> Void) async throws -> Void
    private let shutdownBody: @Sendable () async throws -> Void
    /// SQLite's writers of this process, in turn (see `transaction`).
    private let writerTurns = Turns()
    /// Connections lent and waited for, and SQLite's write turns: what `/metrics` reads.
    public let usage = DatabaseUsage()
    /// PostgreSQL: connections of their own, outside the pool (`runJob`, `versionListener`).
    let postgresConnector: PostgresConnector?
    /// PostgreSQL: the LISTEN connection that hears other instances' writes (`SQLDataVersionSource`).
    let versionListener: DataVersionListener?
    /// The jobs this process is running now (`runJob`).
    let runningJobs = RunningJobs()

    private init(kind: Kind, location: DatabaseLocation,
                 with body: @escaping @Sendable (@escaping @Sendable (any SQLDatabase) async throws -> Void) async throws -> Void,
                 shutdown: @escaping @Sendable () async throws -> Void, postgresConnector: PostgresConnector? = nil) {
        self.kind = kind
        self.location = location
        self.withConnectionBody = body
        self.shutdownBody = shutdown
        self.postgresConnector = postgresConnector
        self.versionListener = postgresConnector.map { DataVersionListener(connector: $0) }
    }

    public static func open(_ location: DatabaseLocation, logger: Logger,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Database {
        switch location {
        case let .sqlite(path):
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // SQLite calls block a thread, and a connection waiting for the write lock sleeps in its
            // busy handler. With NIO's shared pool (one thread per core) two waiting writers can
            // starve the connection that holds the lock of the thread it needs to commit. A pool of
            // our own with a thread for every connection makes that impossible.
            let connectionsPerLoop = 4
            let threadPool = NIOThreadPool(numberOfThreads: connectionsPerLoop * eventLoopGroup.makeIterator().reduce(0) { n, _ in n + 1 } + 1)
            threadPool.start()
            let source = SQLiteTunedSource(base: SQLiteConnectionSource(
                configuration: .init(storage: .file(path: url.path), enableForeignKeys: true), threadPool: threadPool))
            // Writers take turns (one write lock per file), and a connection waiting for the lock
            // waits up to its busy timeout (10 s) while holding its place in the pool. A request for
            // a connection may therefore wait longer than one busy timeout when many write at
            // once (50 concurrent audit appends under load): it gives up after 30 s, not the
            // pool's default 10.
            let pool = EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: connectionsPerLoop,
                                                    requestTimeout: .seconds(30),
                                                    pruneInterval: nil, logger: logger, on: eventLoopGroup)
            let database = Database(kind: .sqlite, location: location, with: lending(pool, logger) { $0.sql(queryLogLevel: .trace) }, shutdown: {
                try await pool.shutdownAsync()
                try await threadPool.shutdownGracefully()
            })
            // WAL lets readers proceed while one writer commits; it is a property of the file, set once.
            // So is the page size, which SQLite fixes when it creates the file (the statement does
            // nothing to an existing one): 16 KiB rather than SQLite's 4 KiB, since the records'
            // table and indexes are written and read in bulk (a million-record import: 5.4 s with
            // 4 KiB pages, 4.5 s with 16 KiB, in the sqlite3 shell; docs/performance.md, "Import").
            do {
                try await database.withConnection { db in
                    try await db.raw("PRAGMA page_size = \(unsafeRaw: String(Self.sqlitePageSize))").run()
                    try await db.raw("PRAGMA journal_mode = WAL").run()
                }
            } catch {
                // A file that is not a database (or a damaged one) fails here: the pool and its threads
                // must still be shut down, or the process stops on AsyncKit's check when they go away.
                try? await database.shutdown()
                throw error
            }
            return database
        case let .postgres(url, schema):
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema { configuration.searchPath = [schema] }
            // As on SQLite, a request for a connection waits up to 30 s, not the pool's default 10:
            // writes that queue on one row's lock (thirty parallel sign-ins to one account reserve
            // their attempts in turn) hold their connections meanwhile, and under a full test run
            // on two cores 10 s was measured to run out (LoginThrottleStorageTests).
            let pool = EventLoopGroupConnectionPool(source: PostgresConnectionSource(sqlConfiguration: configuration),
                                                    maxConnectionsPerEventLoop: 4, requestTimeout: .seconds(30),
                                                    pruneInterval: nil, logger: logger, on: eventLoopGroup)
            return Database(kind: .postgres, location: location,
                            with: lending(pool, logger) { $0.sql(queryLogLevel: .trace) },
                            shutdown: { try await pool.shutdownAsync() },
                            postgresConnector: PostgresConnector(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger))
        }
    }

    /// A closure that borrows one pooled connection for the length of `body` and always returns it.
    private static func lending<Source: ConnectionPoolSource>(
        _ pool: EventLoopGroupConnectionPool<Source>, _ logger: Logger,
        _ sql: @escaping @Sendable (Source.Connection) -> any SQLDatabase
    ) -> @Sendable (@escaping @Sendable (any SQLDatabase) async throws -> Void) async throws -> Void
    where Source.Connection: Sendable {
        { body in
            let connection: Source.Connection
            do {
                connection = try await pool.requestConnection(logger: logger).get()
            } catch {
                // The server refused or did not answer (restarting, recovering, gone), or the pool's
                // 30 s wait ran out: the request was fine, the moment was not (503, not 500).
                throw StorageUnavailable(reason: "\(error)")
            }
            do {
                try await body(sql(connection))
                pool.releaseConnection(connection, logger: logger)
            } catch {
                pool.releaseConnection(connection, logger: logger)
                throw Database.connectionLoss(error).map { StorageUnavailable(reason: "\($0)") } ?? error
            }
        }
    }

    /// `error` when it says the connection to PostgreSQL was lost or the server is shutting down
    /// or still recovering (SQLSTATE class 57P), nil for every other error (a constraint, a bad
    /// statement): those keep their own meaning.
    static func connectionLoss(_ error: any Error) -> (any Error)? {
        guard let psql = error as? PSQLError else { return nil }
        switch psql.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
            return error
        case .server:
            return psql.serverInfo?[.sqlState]?.hasPrefix("57P") == true ? error : nil
        default:
            return nil
        }
    }

    public func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if let joined = UnitOfWork.joining(self) { return try await body(joined) } // inside `atomically` (UnitOfWork.swift)
        let box = ResultBox<R>()
        let count = Database.queryCount // the row-count guard's tests only (QueryCounting.swift)
        let lease = usage.lease()
        defer { lease.end() }
        try await withConnectionBody { db in
            lease.lent()
            box.set(try await body(count.map { CountingSQLDatabase(base: db, count: $0) } ?? db))
        }
        return try box.get()
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    ///
    /// On SQLite every transaction takes the write lock (`BEGIN IMMEDIATE`) and the file has one
    /// writer at a time, so this process's transactions first queue here, first come first served,
    /// holding neither a pooled connection nor a thread while they wait. Without the queue a burst
    /// of writers each held a connection while SQLite's busy handler slept and polled, and under
    /// load some gave up with "database is locked" (six concurrent sign-ups, CI, December 2026).
    /// The busy timeout still covers other processes. A transaction begun inside another one's
    /// task (nesting) does not queue again, so it cannot wait for itself.
    ///
    /// `statementJournalInMemory` (SQLite): the connection keeps its statement journals in memory
    /// for this transaction (`PRAGMA temp_store = MEMORY` before `BEGIN`, its own setting put back
    /// after), since SQLite fixes where they go when the transaction begins. The bulk import asks
    /// for it: each of its multi-row INSERTs needs one (an INSERT with a foreign key may be undone
    /// alone), and in a file they cost a write system call per page touched (docs/performance.md,
    /// "Import"). Not for a transaction joined inside another (`atomically`), which has begun.
    func transaction<R: Sendable>(statementJournalInMemory: Bool = false,
                                  _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if let joined = UnitOfWork.joining(self) { return try await body(joined) } // inside `atomically` (UnitOfWork.swift)
        let inMemory = statementJournalInMemory && kind == .sqlite
        guard kind == .sqlite, !Database.holdsWriterTurn else { return try await runTransaction(inMemory: inMemory, body) }
        let queuedAt = usage.writerQueued()
        await writerTurns.enter()
        usage.writerEntered(queuedAt: queuedAt)
        do {
            let result = try await Database.$holdsWriterTurn.withValue(true) { try await runTransaction(inMemory: inMemory, body) }
            await writerTurns.leave()
            usage.writerLeft()
            return result
        } catch {
            await writerTurns.leave()
            usage.writerLeft()
            throw error
        }
    }

    @TaskLocal private static var holdsWriterTurn = false

    private func runTransaction<R: Sendable>(inMemory: Bool = false,
                                             _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let begin = kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        let bumps = DataVersion.BumpMarker()
        defer { if bumps.didBump { LocalWrites.shared.increment() } } // after COMMIT (DataVersion.bump)
        return try await DataVersion.$bumpsInTransaction.withValue(bumps) { try await withConnection { db in
            let tempStore = inMemory ? try await db.raw("PRAGMA temp_store").first()?.decode(column: "temp_store", as: Int.self) : nil
            if tempStore != nil { try await db.raw("PRAGMA temp_store = MEMORY").run() }
            do {
                try await db.raw(SQLQueryString(begin)).run()
                do {
                    let result = try await body(db)
                    try await db.raw("COMMIT").run()
                    // Committed: a failure to put the setting back must not report the transaction as failed.
                    if let tempStore { try? await db.raw("PRAGMA temp_store = \(unsafeRaw: String(tempStore))").run() }
                    return result
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            } catch {
                if let tempStore { try? await db.raw("PRAGMA temp_store = \(unsafeRaw: String(tempStore))").run() }
                throw error
            }
        } }
    }

    public func shutdown() async throws {
        await versionListener?.stop()
        try await shutdownBody()
    }
}

/// Carries a closure's result out of the type-erased connection callback.
private final class ResultBox<R: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: R?
    func set(_ v: R) { lock.withLock { value = v } }
    func get() throws -> R {
        guard let v = lock.withLock({ value }) else { throw CancellationError() }
        return v
    }
}

/// sqlite-kit's source plus, on every connection:
/// - a busy timeout: without it a second writer fails at once with SQLITE_BUSY instead of waiting
///   its turn;
/// - `secure_delete`: deleted or overwritten content is overwritten with zeros, so text removed
///   under the incident retention rule does not linger in free space of the file (the purge then
///   empties the WAL, `SQLIncidentRepository.scrubRemovedText`). It is a per-connection setting.
struct SQLiteTunedSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource
    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            connection.query("PRAGMA busy_timeout = 10000")
                .flatMap { _ in connection.query("PRAGMA secure_delete = ON") }
                .map { _ in connection }
        }
    }
}

/// First come, first served, one at a time, without holding a thread or a connection while waiting.
actor Turns {
    private var taken = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard taken else {
            taken = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { taken = false } else { waiting.removeFirst().resume() }
    }
}

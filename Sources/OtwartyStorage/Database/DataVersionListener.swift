import Foundation
import Logging
import PostgresKit

/// PostgreSQL: one LISTEN connection per process that hears every instance's data-version bumps
/// (`DataVersion.bump` sends `NOTIFY otwarty_data_version` with the schema's name in the same
/// transaction, so it is delivered at commit, never for a write that rolled back).
/// `SQLDataVersionSource` keeps its cached version while nothing was heard since it was read, and
/// falls back to polling every second while the connection is down; the connection is opened
/// again with a growing pause (0.1 s doubling to 5 s). Started on first use, so commands and
/// tests that never read the version open no extra connection.
final class DataVersionListener: @unchecked Sendable {
    static let channel = "otwarty_data_version"

    /// What a cached version was read under: it stays good while `epoch` stays and `listening` is true.
    struct State: Equatable, Sendable {
        /// Moves on every notification for this schema and whenever the connection comes up or goes down.
        var epoch: UInt64
        var listening: Bool
    }

    let connector: PostgresConnector
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var stopped = false
    private var current = State(epoch: 0, listening: false)
    private var observers: [UUID: AsyncStream<State>.Continuation] = [:]
    private var backendPID: Int?
    /// The open LISTEN connection: `stop` closes it, which ends the wait for notifications (a
    /// cancelled task alone does not).
    private var connection: PostgresConnection?

    /// The server process of the LISTEN connection (tests kill it to see the listener come back).
    var connectionPID: Int? { lock.withLock { backendPID } }

    init(connector: PostgresConnector) { self.connector = connector }

    var state: State { lock.withLock { current } }

    /// Opens the connection unless it is open or opening (cheap to call on every read).
    func start() {
        lock.withLock {
            guard task == nil, !stopped else { return }
            task = Task { [self] in await listen() }
        }
    }

    func stop() async {
        let running = lock.withLock {
            stopped = true
            defer { task = nil }
            return task
        }
        running?.cancel()
        try? await lock.withLock({ connection })?.close()
        await running?.value
        lock.withLock { for observer in observers.values { observer.finish() } }
    }

    /// Every change of `state` from now on (tests wait on it; nothing is timed).
    func changes() -> AsyncStream<State> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<State>.makeStream()
        continuation.onTermination = { [weak self] _ in self?.lock.withLock { _ = self?.observers.removeValue(forKey: id) } }
        lock.withLock { observers[id] = continuation }
        return stream
    }

    private func changed(listening: Bool) {
        lock.withLock {
            current = State(epoch: current.epoch &+ 1, listening: listening)
            for observer in observers.values { observer.yield(current) }
        }
    }

    private func listen() async {
        var pause: Double = 0.1
        while !Task.isCancelled {
            do {
                try await connector.with { connection in
                    // The writers' payload: their schema, so deployments (and test runs) sharing one
                    // database on other schemas do not wake each other.
                    let row = try await connection.sql(queryLogLevel: nil).raw("SELECT current_schema() AS s, pg_backend_pid() AS pid").first()
                    let schema = try row?.decode(column: "s", as: String?.self)
                    let pid = try row?.decode(column: "pid", as: Int.self)
                    let stopping = lock.withLock {
                        backendPID = pid
                        self.connection = connection
                        return stopped
                    }
                    if stopping { return }
                    defer { lock.withLock { self.connection = nil } }
                    try await connection.listen(on: Self.channel) { notifications in
                        changed(listening: true)
                        pause = 0.1
                        for try await notification in notifications where notification.payload == schema {
                            changed(listening: true)
                        }
                    }
                }
            } catch {
                if !Task.isCancelled {
                    connector.logger.warning("data-version listener lost its connection; polling every second until it is back",
                                             metadata: ["error": "\(String(reflecting: error))", "retry_in_seconds": "\(pause)"])
                }
            }
            changed(listening: false)
            do { try await Task.sleep(for: .seconds(pause)) } catch { return }
            pause = min(pause * 2, 5)
        }
    }
}

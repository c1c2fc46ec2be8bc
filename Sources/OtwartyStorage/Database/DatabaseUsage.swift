import Foundation

/// What a `Database` is doing right now and has done since it opened: pooled connections lent and
/// waited for, and on SQLite the queue of writers taking turns (`Database.transaction`). Plain
/// counters under a lock, read when `/metrics` is scraped; nothing here depends on a metrics library.
public final class DatabaseUsage: @unchecked Sendable {
    public struct Reading: Sendable, Equatable {
        /// Connections lent out now (a query or transaction running on each).
        public var inUse: Int
        /// Requests for a connection waiting for the pool now. Above zero for long: the pool is too
        /// small for the load, or something holds connections (a slow query, a lock).
        public var waiting: Int
        /// Connections lent since the database opened.
        public var lent: Int
        /// Seconds spent waiting for a connection, summed over every lending.
        public var waitSeconds: Double
        /// Requests for a connection that failed (the pool's 30 s wait ran out, the server refused).
        public var failures: Int
        /// SQLite: transactions waiting for this process's write turn now.
        public var writersWaiting: Int
        /// SQLite: 1 while a transaction holds the write turn.
        public var writersActive: Int
        /// SQLite: write turns taken since the database opened.
        public var writerTurns: Int
        /// SQLite: seconds spent waiting for the write turn, summed over every turn.
        public var writerWaitSeconds: Double
    }

    private let lock = NSLock()
    private var reading = Reading(inUse: 0, waiting: 0, lent: 0, waitSeconds: 0, failures: 0,
                                  writersWaiting: 0, writersActive: 0, writerTurns: 0, writerWaitSeconds: 0)

    init() {}

    public var current: Reading { lock.withLock { reading } }

    /// One request for a pooled connection, from asking until the connection is back.
    final class Lease: @unchecked Sendable {
        private let usage: DatabaseUsage
        private let asked = ContinuousClock.now
        private var gotConnection = false

        init(_ usage: DatabaseUsage) {
            self.usage = usage
            usage.lock.withLock { usage.reading.waiting += 1 }
        }

        /// The pool handed a connection over.
        func lent() {
            let waited = (ContinuousClock.now - asked).inSeconds
            usage.lock.withLock {
                gotConnection = true
                usage.reading.waiting -= 1
                usage.reading.inUse += 1
                usage.reading.lent += 1
                usage.reading.waitSeconds += waited
            }
        }

        /// The connection is back, or none was ever lent (the request failed).
        func end() {
            usage.lock.withLock {
                if gotConnection {
                    usage.reading.inUse -= 1
                } else {
                    usage.reading.waiting -= 1
                    usage.reading.failures += 1
                }
            }
        }
    }

    func lease() -> Lease { Lease(self) }

    /// A transaction queues for the SQLite write turn; pass the result to `writerEntered`.
    func writerQueued() -> ContinuousClock.Instant {
        lock.withLock { reading.writersWaiting += 1 }
        return .now
    }

    func writerEntered(queuedAt: ContinuousClock.Instant) {
        let waited = (ContinuousClock.now - queuedAt).inSeconds
        lock.withLock {
            reading.writersWaiting -= 1
            reading.writersActive += 1
            reading.writerTurns += 1
            reading.writerWaitSeconds += waited
        }
    }

    func writerLeft() { lock.withLock { reading.writersActive -= 1 } }
}

fileprivate extension Duration {
    var inSeconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}

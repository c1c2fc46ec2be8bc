import SQLKit

/// The `indicators` data version: every write that can change an indicator bumps it, in the same
/// transaction or statement sequence as the write.
enum DataVersion {
    static func bump(_ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE data_versions SET version = version + 1 WHERE name = 'indicators'").run()
        if db.dialect.name == "postgresql" {
            // Other instances' caches hear of it at commit (`DataVersionListener`); the payload
            // is the schema, which is what their listeners compare.
            try await db.raw("SELECT pg_notify('otwarty_data_version', current_schema())").run()
        }
        // Counted after the statement (also when its transaction later rolls back: a needless
        // re-read then, never a missed one), and once more after the commit when the bump runs in
        // `Database.transaction`: a reader between the two would otherwise cache the version from
        // before the commit under the new count and keep it until its next re-check.
        LocalWrites.shared.increment()
        bumpsInTransaction?.mark()
    }

    /// Set by `Database.transaction` around its body: whether the body bumped the version, so the
    /// local count moves again once the transaction has committed.
    @TaskLocal static var bumpsInTransaction: BumpMarker?

    final class BumpMarker: @unchecked Sendable {
        private let lock = NSLock()
        private var bumped = false
        func mark() { lock.withLock { bumped = true } }
        var didBump: Bool { lock.withLock { bumped } }
    }

    /// How many bumps this process has made: lets readers skip the database when nothing here
    /// changed (`SQLDataVersionSource`).
    static var localWrites: Int64 { LocalWrites.shared.value }

    static func current(_ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT version FROM data_versions WHERE name = 'indicators'").first()?
            .decode(column: "version", as: Int64.self) ?? 0
    }
}

final class LocalWrites: @unchecked Sendable {
    static let shared = LocalWrites()
    private let lock = NSLock()
    private var count: Int64 = 0
    var value: Int64 { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

import Foundation

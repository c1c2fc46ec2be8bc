import SQLKit

/// The `indicators` data version: every write that can change an indicator bumps it, in the same
/// transaction or statement sequence as the write.
enum DataVersion {
    static func bump(_ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE data_versions SET version = version + 1 WHERE name = 'indicators'").run()
    }

    static func current(_ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT version FROM data_versions WHERE name = 'indicators'").first()?
            .decode(column: "version", as: Int64.self) ?? 0
    }
}

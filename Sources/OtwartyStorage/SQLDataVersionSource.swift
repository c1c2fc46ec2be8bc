import OtwartyCore

/// The `data_versions` row every record and reference write bumps (`DataVersion.bump`).
public struct SQLDataVersionSource: DataVersionSource {
    let database: Database
    public init(database: Database) { self.database = database }

    public func current() async throws -> Int64 {
        try await database.withConnection { db in try await DataVersion.current(db) }
    }
}

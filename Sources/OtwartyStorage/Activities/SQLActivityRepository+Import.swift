import Foundation
import OtwartyCore
import SQLKit

extension SQLActivityRepository {
    /// One transaction; the records stored by the engine's fast writer (`SQLiteActivityImport`,
    /// `PostgresActivityImport`) while `body` reads on, or through SQLKit when the driver's
    /// connection cannot be reached. Thrown by `body` or by storing: rolled back, nothing stored.
    /// `beforeCommit` runs in a unit of work on the import's own connection (`UnitOfWork`), so
    /// what it writes (the audit entry) joins the import's transaction.
    public func importStreaming(programmeSlug: String, newOrganisationKind: OrganisationKind, status: ActivityStatus,
                                by user: UserID?, at: Date,
                                _ body: @escaping @Sendable (any ActivityImportSink) async throws -> Void,
                                beforeCommit: @escaping @Sendable (ImportOutcome) async throws -> Void) async throws -> ImportOutcome {
        let database = self.database
        let at = at.stored
        let kind = database.kind
        // Statement journals in memory: see `Database.transaction(statementJournalInMemory:)`.
        return try await database.transaction(statementJournalInMemory: true) { db in
            let writer: any StreamingActivityImport
            switch kind {
            case .sqlite:
                if let handle = SQLiteActivityImport.rawHandle(db) {
                    writer = try SQLiteActivityImport(handle: handle, programmeSlug: programmeSlug, status: status, user: user,
                                                      at: at, newOrganisationKind: newOrganisationKind)
                } else {
                    db.logger.warning("import: the SQLite handle was not found; storing through SQLKit (slower)")
                    writer = SQLKitActivityImport(db: db, programmeSlug: programmeSlug, status: status, user: user, at: at,
                                                  newOrganisationKind: newOrganisationKind)
                }
            case .postgres:
                if let connection = PostgresActivityImport.connection(db) {
                    writer = PostgresActivityImport(db: db, connection: connection, programmeSlug: programmeSlug, status: status,
                                                    user: user, at: at, newOrganisationKind: newOrganisationKind)
                } else {
                    db.logger.warning("import: the PostgreSQL connection was not found; storing through SQLKit (slower)")
                    writer = SQLKitActivityImport(db: db, programmeSlug: programmeSlug, status: status, user: user, at: at,
                                                  newOrganisationKind: newOrganisationKind)
                }
            }
            do {
                try await body(writer)
                try await writer.finish()
            } catch {
                await writer.abandon()
                throw error
            }
            try await DataVersion.bump(db)
            let outcome = ImportOutcome(records: writer.stored, organisationsCreated: writer.created.sorted())
            let unit = UnitOfWork(database: database, connection: db)
            defer { unit.close() }
            try await UnitOfWork.$current.withValue(unit) { try await beforeCommit(outcome) }
            return outcome
        }
    }
}

/// A streamed import's writer through SQLKit: each batch as multi-row INSERTs of 500 records
/// (`BulkInsert`), as `importAll` stores. The fallback when a driver's connection cannot be reached.
final class SQLKitActivityImport: StreamingActivityImport, @unchecked Sendable {
    private let db: any SQLDatabase
    private let programmeSlug: String
    private let status: ActivityStatus
    private let user: UserID?
    private let at: Double
    private let newOrganisationKind: OrganisationKind
    private var organisationIDs: [String: OrganisationID] = [:]
    private(set) var stored = 0
    private(set) var created: [String] = []

    init(db: any SQLDatabase, programmeSlug: String, status: ActivityStatus, user: UserID?, at: Double,
         newOrganisationKind: OrganisationKind) {
        self.db = db
        self.programmeSlug = programmeSlug
        self.status = status
        self.user = user
        self.at = at
        self.newOrganisationKind = newOrganisationKind
    }

    func write(_ batch: [PendingActivity]) async throws {
        var inputs: [ActivityInput] = []
        inputs.reserveCapacity(batch.count)
        for pending in batch {
            var input = pending.input
            if let name = pending.newOrganisationName {
                if organisationIDs[name] == nil {
                    let (id, isNew) = try await Self.organisation(named: name, kind: newOrganisationKind, at: at, on: db)
                    organisationIDs[name] = id
                    if isNew { created.append(name) }
                }
                input.organisationID = organisationIDs[name]!
            }
            inputs.append(input)
        }
        for start in stride(from: 0, to: inputs.count, by: 500) {
            let slice = inputs[start..<min(start + 500, inputs.count)]
            try await db.execute(sql: SQLActivityRepository.BulkInsert(programmeSlug: programmeSlug, inputs: slice, status: status,
                                                                       user: user, at: at)) { _ in }
        }
        stored += batch.count
    }

    func finish() async throws {}
    func abandon() async {}

    /// The organisation called `name`, created of `kind` when there is none; whether it was created.
    static func organisation(named name: String, kind: OrganisationKind, at: Double,
                             on db: any SQLDatabase) async throws -> (OrganisationID, Bool) {
        if let existing = try await db.select().column("id").from("organisations").where("name", .equal, name)
            .first(decodingColumn: "id", as: Int64.self) {
            return (existing, false)
        }
        guard let id = try await db.insert(into: "organisations").columns("name", "kind", "created_at")
            .values(SQLBind(name), SQLBind(kind.rawValue), SQLBind(at))
            .returning("id").first(decodingColumn: "id", as: Int64.self)
        else { throw DomainError.conflict("The organisation \(name) could not be created.") }
        return (id, true)
    }
}

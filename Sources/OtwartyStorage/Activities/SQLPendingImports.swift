import Foundation
import OtwartyCore
import SQLKit

/// Uploaded activity files between preview and confirmation (`pending_imports`, migration 20).
extension SQLActivityRepository {
    /// A row of `pending_imports`.
    struct PendingImportRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, userID = "user_id", programmeSlug = "programme_slug", status
            case createOrganisations = "create_organisations", fileName = "file_name", content
            case createdAt = "created_at", expiresAt = "expires_at", importedAt = "imported_at"
            case importedRecords = "imported_records"
        }
        typealias Column = CodingKeys
        var id: Int64
        var userID: Int64
        var programmeSlug: String
        var status: String
        var createOrganisations: Bool
        var fileName: String
        var content: String
        var createdAt: Double
        var expiresAt: Double
        var importedAt: Double?
        var importedRecords: Int64?

        /// nil for a status this version does not know.
        var pending: PendingImport? {
            ActivityStatus(rawValue: status).map {
                PendingImport(id: id, userID: userID, programmeSlug: programmeSlug, status: $0,
                              createOrganisations: createOrganisations, fileName: fileName, text: content,
                              createdAt: Date(timeIntervalSince1970: createdAt),
                              expiresAt: Date(timeIntervalSince1970: expiresAt),
                              importedAt: importedAt.map(Date.init(timeIntervalSince1970:)),
                              importedRecords: importedRecords.map(Int.init))
            }
        }
    }

    public func stagePendingImport(_ pending: PendingImport, now: Date) async throws -> PendingImportID {
        try await database.transaction { db in
            try await db.delete(from: "pending_imports").where("expires_at", .lessThanOrEqual, now.stored).run()
            guard let id = try await db.insert(into: "pending_imports")
                .columns("user_id", "programme_slug", "status", "create_organisations", "file_name", "content",
                         "created_at", "expires_at")
                .values(SQLBind(pending.userID), SQLBind(pending.programmeSlug), SQLBind(pending.status.rawValue),
                        SQLBind(pending.createOrganisations), SQLBind(pending.fileName), SQLBind(pending.text),
                        SQLBind(pending.createdAt.stored), SQLBind(pending.expiresAt.stored))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            else { throw DomainError.conflict("The file could not be kept for its preview.") }
            return id
        }
    }

    public func pendingImport(id: PendingImportID) async throws -> PendingImport? {
        try await database.withConnection { db in
            try await db.select().columns(PendingImportRow.columns).from("pending_imports").where("id", .equal, id)
                .first(decoding: PendingImportRow.self)?.pending
        }
    }

    public func claimPendingImport(id: PendingImportID, at: Date) async throws -> Bool {
        // One conditional UPDATE: of two confirmations racing, only one sees the row.
        try await database.withConnection { db in
            try await db.update("pending_imports").set("imported_at", to: at.stored)
                .where("id", .equal, id).where("imported_at", .is, SQLLiteral.null)
                .where("expires_at", .greaterThan, at.stored)
                .returning("id").first() != nil
        }
    }

    public func releasePendingImport(id: PendingImportID) async throws {
        try await database.withConnection { db in
            try await db.update("pending_imports").set("imported_at", to: SQLLiteral.null)
                .where("id", .equal, id).where("imported_records", .is, SQLLiteral.null).run()
        }
    }

    public func finishPendingImport(id: PendingImportID, records: Int) async throws {
        try await database.withConnection { db in
            try await db.update("pending_imports").set("imported_records", to: Int64(records)).set("content", to: "")
                .where("id", .equal, id).run()
        }
    }
}

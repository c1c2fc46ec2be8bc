import Foundation
import OtwartyCore
import SQLKit

/// Handlers' key pairs, the envelopes of cases' content keys, the recovery key and the upgrade's
/// waiting list (migration 23). Public keys and sealed values pass through as text; nothing here
/// opens anything.
public struct SQLIncidentKeyRepository: IncidentKeyRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    struct HandlerKeyRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case userID = "user_id", publicKey = "public_key", wrappedPrivateKey = "wrapped_private_key", createdAt = "created_at"
        }
        typealias Column = CodingKeys
        var userID: Int64
        var publicKey: String
        var wrappedPrivateKey: String
        var createdAt: Double

        func pair() throws -> HandlerKeyPair {
            guard let key = Data(base64Encoded: publicKey), key.count == 32 else {
                throw DatabaseError.corrupt("incident_handler_keys.public_key of user \(userID)")
            }
            return HandlerKeyPair(userID: userID, publicKey: key, wrappedPrivateKey: wrappedPrivateKey,
                                  createdAt: Date(timeIntervalSince1970: createdAt))
        }
    }

    struct GrantRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case incidentID = "incident_id", recipient, envelope, grantedBy = "granted_by", grantedAt = "granted_at",
                 revokedBy = "revoked_by", revokedAt = "revoked_at", revokedBecause = "revoked_because"
        }
        typealias Column = CodingKeys
        var incidentID: Int64
        var recipient: String
        var envelope: String?
        var grantedBy: Int64?
        var grantedAt: Double
        var revokedBy: Int64?
        var revokedAt: Double?
        var revokedBecause: String?

        func grant() throws -> CaseKeyGrant {
            guard let recipient = CaseKeyRecipient(stored: recipient) else {
                throw DatabaseError.corrupt("incident_case_keys.recipient \(self.recipient)")
            }
            return CaseKeyGrant(incidentID: incidentID, recipient: recipient, envelope: envelope, grantedBy: grantedBy,
                                grantedAt: Date(timeIntervalSince1970: grantedAt), revokedBy: revokedBy,
                                revokedAt: revokedAt.map(Date.init(timeIntervalSince1970:)), revokedBecause: revokedBecause)
        }
    }

    struct RecoveryRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, publicKey = "public_key", createdAt = "created_at", retiredAt = "retired_at"
        }
        typealias Column = CodingKeys
        var id: Int64
        var publicKey: String
        var createdAt: Double
        var retiredAt: Double?

        func key() throws -> RecoveryKey {
            guard let key = Data(base64Encoded: publicKey), key.count == 32 else {
                throw DatabaseError.corrupt("incident_recovery_keys.public_key \(id)")
            }
            return RecoveryKey(id: id, publicKey: key, createdAt: Date(timeIntervalSince1970: createdAt),
                               retiredAt: retiredAt.map(Date.init(timeIntervalSince1970:)))
        }
    }

    public func handlerKey(userID: UserID) async throws -> HandlerKeyPair? {
        try await database.withConnection { db in
            try await db.select().columns(HandlerKeyRow.columns).from("incident_handler_keys").where("user_id", .equal, userID)
                .first(decoding: HandlerKeyRow.self)?.pair()
        }
    }

    public func handlerKeys() async throws -> [HandlerKeyPair] {
        try await database.withConnection { db in
            try await db.select().columns(HandlerKeyRow.columns).from("incident_handler_keys").orderBy("user_id")
                .all(decoding: HandlerKeyRow.self).map { try $0.pair() }
        }
    }

    public func saveHandlerKey(_ pair: HandlerKeyPair) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "incident_handler_keys")
                .columns("user_id", "public_key", "wrapped_private_key", "created_at")
                .values(SQLBind(pair.userID), SQLBind(pair.publicKey.base64EncodedString()), SQLBind(pair.wrappedPrivateKey),
                        SQLBind(pair.createdAt.timeIntervalSince1970))
                .onConflict(with: ["user_id"]) {
                    $0.set(excludedValueOf: "public_key").set(excludedValueOf: "wrapped_private_key").set(excludedValueOf: "created_at")
                }
                .run()
        }
    }

    public func grants(incidentID: IncidentID) async throws -> [CaseKeyGrant] {
        try await database.withConnection { db in
            try await db.select().columns(GrantRow.columns).from("incident_case_keys").where("incident_id", .equal, incidentID)
                .orderBy("granted_at").orderBy("recipient").all(decoding: GrantRow.self).map { try $0.grant() }
        }
    }

    public func saveGrants(_ grants: [CaseKeyGrant]) async throws {
        guard !grants.isEmpty else { return }
        try await database.transaction { db in try await Self.save(grants, on: db) }
    }

    /// Inserts or replaces each grant on `db` (the caller's transaction).
    static func save(_ grants: [CaseKeyGrant], on db: any SQLDatabase) async throws {
        for g in grants {
            try await db.insert(into: "incident_case_keys")
                .columns("incident_id", "recipient", "envelope", "granted_by", "granted_at", "revoked_by", "revoked_at", "revoked_because")
                .values(SQLBind(g.incidentID), SQLBind(g.recipient.description), SQLBind(g.envelope), SQLBind(g.grantedBy),
                        SQLBind(g.grantedAt.timeIntervalSince1970), SQLBind(g.revokedBy),
                        SQLBind(g.revokedAt?.timeIntervalSince1970), SQLBind(g.revokedBecause))
                .onConflict(with: ["incident_id", "recipient"]) {
                    $0.set(excludedValueOf: "envelope").set(excludedValueOf: "granted_by").set(excludedValueOf: "granted_at")
                        .set(excludedValueOf: "revoked_by").set(excludedValueOf: "revoked_at").set(excludedValueOf: "revoked_because")
                }
                .run()
        }
    }

    public func revoke(recipient: CaseKeyRecipient, incidentID: IncidentID?, by: UserID?, at: Date, because: String) async throws -> Int {
        try await database.withConnection { db in
            var query = db.update("incident_case_keys").set("envelope", to: SQLLiteral.null).set("revoked_by", to: SQLBind(by))
                .set("revoked_at", to: at.timeIntervalSince1970).set("revoked_because", to: because)
                .where("recipient", .equal, recipient.description).where(SQLColumn("envelope"), .isNot, SQLLiteral.null)
            if let incidentID { query = query.where("incident_id", .equal, incidentID) }
            return try await query.returning("incident_id").all().count
        }
    }

    public func envelopes(recipient: CaseKeyRecipient) async throws -> [CaseEnvelope] {
        try await database.withConnection { db in
            let rows = try await db.select().column(SQLColumn("incident_id", table: "k")).column(SQLColumn("case_code", table: "i"))
                .column(SQLColumn("envelope", table: "k"))
                .from(SQLAlias(SQLIdentifier("incident_case_keys"), as: SQLIdentifier("k")))
                .join(SQLAlias(SQLIdentifier("incidents"), as: SQLIdentifier("i")), on: SQLColumn("id", table: "i"), .equal,
                      SQLColumn("incident_id", table: "k"))
                .where(SQLColumn("recipient", table: "k"), .equal, SQLBind(recipient.description))
                .where(SQLColumn("envelope", table: "k"), .isNot, SQLLiteral.null)
                .where(SQLColumn("purged_on", table: "i"), .is, SQLLiteral.null)
                .orderBy(SQLColumn("incident_id", table: "k")).all()
            return try rows.map {
                CaseEnvelope(incidentID: try $0.decode(column: "incident_id", as: Int64.self),
                             caseCode: try $0.decode(column: "case_code", as: String.self),
                             envelope: try $0.decode(column: "envelope", as: String.self))
            }
        }
    }

    public func deleteEscrow() async throws -> Int {
        try await database.withConnection { db in
            // Only where a handler's live envelope opens the case: a case no handler can read
            // keeps its escrow until a handler's key exists (the first new key gets it). The
            // recovery key's envelope does not count: it sits in a safe, and `serve` drops the
            // escrow at start, before the first handler of a new installation has signed in.
            // One line: the debug log prints a query as it is written, and each line of a log
            // entry must carry its level (IncidentAnonymityOnDiskTests reads them).
            try await db.raw("DELETE FROM incident_case_keys WHERE recipient = 'server' AND incident_id IN (SELECT incident_id FROM incident_case_keys WHERE recipient LIKE 'user:%' AND envelope IS NOT NULL) RETURNING incident_id")
                .all().count
        }
    }

    public func activeRecoveryKey() async throws -> RecoveryKey? {
        try await database.withConnection { db in
            try await db.select().columns(RecoveryRow.columns).from("incident_recovery_keys")
                .where(SQLColumn("retired_at"), .is, SQLLiteral.null).orderBy("id", .descending)
                .first(decoding: RecoveryRow.self)?.key()
        }
    }

    public func addRecoveryKey(publicKey: Data, at: Date) async throws -> RecoveryKey {
        try await database.transaction { db in
            try await db.update("incident_recovery_keys").set("retired_at", to: at.timeIntervalSince1970)
                .where(SQLColumn("retired_at"), .is, SQLLiteral.null).run()
            try await db.insert(into: "incident_recovery_keys").columns("public_key", "created_at")
                .values(SQLBind(publicKey.base64EncodedString()), SQLBind(at.timeIntervalSince1970)).run()
            guard let row = try await db.select().columns(RecoveryRow.columns).from("incident_recovery_keys")
                .where(SQLColumn("retired_at"), .is, SQLLiteral.null).orderBy("id", .descending)
                .first(decoding: RecoveryRow.self) else { throw DatabaseError.corrupt("the new recovery key vanished") }
            return try row.key()
        }
    }

    public func migrationPending() async throws -> Set<UserID> {
        try await database.withConnection { db in
            Set(try await db.select().column("user_id").from("incident_key_migration").all(decodingColumn: "user_id", as: Int64.self))
        }
    }

    public func removeMigrationPending(userID: UserID) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "incident_key_migration").where("user_id", .equal, userID).run()
        }
    }

    public func clearMigrationPending() async throws {
        try await database.withConnection { db in try await db.delete(from: "incident_key_migration").run() }
    }
}

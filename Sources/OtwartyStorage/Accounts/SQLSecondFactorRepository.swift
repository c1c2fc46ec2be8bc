import Foundation
import OtwartyCore
import SQLKit

/// Second factors (migration 11): `second_factors` (one sealed TOTP secret per user),
/// `recovery_codes` (digests only) and `pending_sign_ins` (digest of the browser's token). Every
/// check-and-change is one conditional statement, so two instances or two requests cannot both
/// use one code, one recovery code or one pending sign-in.
public struct SQLSecondFactorRepository: SecondFactorRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `second_factors`.
    struct FactorRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case userID = "user_id", sealedSecret = "sealed_secret", confirmedAt = "confirmed_at", lastStep = "last_step",
                 createdAt = "created_at"
        }
        typealias Column = CodingKeys
        var userID: Int64
        var sealedSecret: String
        var confirmedAt: Double?
        var lastStep: Int64
        var createdAt: Double

        var factor: SecondFactor {
            SecondFactor(userID: userID, sealedSecret: sealedSecret, confirmedAt: confirmedAt.map(Date.init(timeIntervalSince1970:)),
                         lastStep: lastStep, createdAt: Date(timeIntervalSince1970: createdAt))
        }
    }

    /// A row of `pending_sign_ins`.
    struct PendingRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case tokenHash = "token_hash", userID = "user_id", expiresAt = "expires_at", attempts, incidentKey = "incident_key"
        }
        typealias Column = CodingKeys
        var tokenHash: String
        var userID: Int64
        var expiresAt: Double
        var attempts: Int
        var incidentKey: String?

        var pending: PendingSignIn {
            PendingSignIn(tokenHash: tokenHash, userID: userID, expiresAt: Date(timeIntervalSince1970: expiresAt), attempts: attempts,
                          incidentKey: incidentKey)
        }
    }

    public func resealSecrets(_ reseal: @escaping @Sendable (UserID, String) throws -> String) async throws -> Int {
        try await database.transaction { db in
            let rows = try await db.select().columns(FactorRow.columns).from("second_factors").all(decoding: FactorRow.self)
            for row in rows {
                try await db.update("second_factors").set("sealed_secret", to: try reseal(row.userID, row.sealedSecret))
                    .where("user_id", .equal, row.userID).run()
            }
            return rows.count
        }
    }

    public func factor(userID: UserID) async throws -> SecondFactor? {
        try await database.withConnection { db in
            try await db.select().columns(FactorRow.columns).from("second_factors").where("user_id", .equal, userID)
                .first(decoding: FactorRow.self)?.factor
        }
    }

    public func saveUnconfirmed(userID: UserID, sealedSecret: String, at: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                INSERT INTO second_factors (user_id, sealed_secret, confirmed_at, last_step, created_at)
                VALUES (\(bind: userID), \(bind: sealedSecret), NULL, 0, \(bind: at.stored))
                ON CONFLICT (user_id) DO NOTHING RETURNING user_id
                """).all().count == 1
        }
    }

    public func confirm(userID: UserID, step: Int64, recoveryCodeHashes: [String], at: Date) async throws -> Bool {
        try await database.transaction { db in
            let updated = try await db.raw("""
                UPDATE second_factors SET confirmed_at = \(bind: at.stored), last_step = \(bind: step)
                WHERE user_id = \(bind: userID) AND confirmed_at IS NULL RETURNING user_id
                """).all()
            guard !updated.isEmpty else { return false }
            try await db.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
            if !recoveryCodeHashes.isEmpty {
                var insert = db.insert(into: "recovery_codes").columns("user_id", "code_hash", "used_at")
                for hash in recoveryCodeHashes { insert = insert.values(SQLBind(userID), SQLBind(hash), SQLLiteral.null) }
                try await insert.run()
            }
            return true
        }
    }

    public func advanceStep(userID: UserID, to step: Int64) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE second_factors SET last_step = \(bind: step)
                WHERE user_id = \(bind: userID) AND confirmed_at IS NOT NULL AND last_step < \(bind: step) RETURNING user_id
                """).all().count == 1
        }
    }

    public func useRecoveryCode(userID: UserID, hash: String, at: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE recovery_codes SET used_at = \(bind: at.stored)
                WHERE user_id = \(bind: userID) AND code_hash = \(bind: hash) AND used_at IS NULL RETURNING user_id
                """).all().count == 1
        }
    }

    public func unusedRecoveryCodes(userID: UserID) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = \(bind: userID) AND used_at IS NULL")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func remove(userID: UserID) async throws {
        try await database.transaction { db in
            try await db.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
            try await db.delete(from: "pending_sign_ins").where("user_id", .equal, userID).run()
            try await db.delete(from: "second_factors").where("user_id", .equal, userID).run()
        }
    }

    public func enrolledUserIDs() async throws -> Set<UserID> {
        try await database.withConnection { db in
            Set(try await db.raw("SELECT user_id FROM second_factors WHERE confirmed_at IS NOT NULL")
                .all(decodingColumn: "user_id", as: Int64.self))
        }
    }

    public func createPending(_ pending: PendingSignIn) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "pending_sign_ins").columns("token_hash", "user_id", "expires_at", "attempts", "incident_key")
                .values(SQLBind(pending.tokenHash), SQLBind(pending.userID), SQLBind(pending.expiresAt.stored),
                        SQLBind(Int64(pending.attempts)), SQLBind(pending.incidentKey))
                .run()
        }
    }

    public func pending(tokenHash: String) async throws -> PendingSignIn? {
        try await database.withConnection { db in
            try await db.select().columns(PendingRow.columns).from("pending_sign_ins").where("token_hash", .equal, tokenHash)
                .first(decoding: PendingRow.self)?.pending
        }
    }

    public func reserveAttempt(tokenHash: String, limit: Int, now: Date) async throws -> PendingSignIn? {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE pending_sign_ins SET attempts = attempts + 1
                WHERE token_hash = \(bind: tokenHash) AND expires_at > \(bind: now.stored) AND attempts < \(bind: Int64(limit))
                RETURNING \(idents: PendingRow.columns, joinedBy: ", ")
                """).first(decoding: PendingRow.self)?.pending
        }
    }

    public func consumePending(tokenHash: String) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM pending_sign_ins WHERE token_hash = \(bind: tokenHash) RETURNING token_hash")
                .all().count == 1
        }
    }

    public func purgePending(before: Date) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "pending_sign_ins").where("expires_at", .lessThan, before.stored).run()
        }
    }

    public func deletePending(userID: UserID) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "pending_sign_ins").where("user_id", .equal, userID).run()
        }
    }
}

import Foundation
import OtwartyCore
@testable import OtwartyStorage
import SQLKit
import Testing

/// Issue 14's tables on both engines: the envelopes of cases' content keys (upsert, revoke one or
/// all, live envelopes of cases not purged, the escrow's deletion that keeps cases nobody else
/// opens), the recovery key's rotation, the upgrade's waiting list and the key copies of sessions
/// and pending sign-ins.
@Suite struct IncidentKeyStorageTests {
    typealias F = ActivityFixtures
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func user(_ users: SQLUserRepository, _ name: String) async throws -> UserID {
        try await users.create(NewUser(email: "\(name)@example.org", displayName: name, role: .incidentHandler,
                                       organisationID: nil, passwordHash: "x"), at: t0).id
    }

    static func grant(_ incident: IncidentID, _ recipient: CaseKeyRecipient, _ envelope: String?, by: UserID? = nil,
                      at: Date = t0) -> CaseKeyGrant {
        CaseKeyGrant(incidentID: incident, recipient: recipient, envelope: envelope, grantedBy: by, grantedAt: at)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func grantsUpsertRevokeAndListLiveEnvelopesOfCasesNotPurged(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let users = SQLUserRepository(database: database)
            let incidents = SQLIncidentRepository(database: database)
            let keys = SQLIncidentKeyRepository(database: database)
            let anna = try await Self.user(users, "anna"), ben = try await Self.user(users, "ben")
            let first = try await incidents.create(IncidentStorageTests.incident("KR-KEYS-0001"),
                                                   grants: [Self.grant(0, .user(anna), "h1:a1:x")])
            let second = try await incidents.create(IncidentStorageTests.incident("KR-KEYS-0002"), grants: [])
            // `create` binds the grants to the new case.
            #expect(try await keys.grants(incidentID: first).map(\.recipient) == [.user(anna)])

            // Upsert: the same case and recipient is replaced, not doubled; a revoked row comes back live.
            try await keys.saveGrants([Self.grant(first, .user(ben), "h1:b1:old"), Self.grant(second, .user(anna), "h1:a2:x"),
                                       Self.grant(second, .user(ben), "h1:b2:x"), Self.grant(first, .server, "v1:escrow1"),
                                       Self.grant(second, .recovery(1), "h1:r2:x")])
            try await keys.saveGrants([Self.grant(first, .user(ben), "h1:b1:new", by: anna, at: Self.t0.addingTimeInterval(60))])
            let firstGrants = try await keys.grants(incidentID: first)
            #expect(firstGrants.count == 3)
            let ben1 = try #require(firstGrants.first { $0.recipient == .user(ben) })
            #expect(ben1.envelope == "h1:b1:new" && ben1.grantedBy == anna && ben1.grantedAt == Self.t0.addingTimeInterval(60))

            // Revoking one: the envelope goes, the row stays with who, when and why.
            let at = Self.t0.addingTimeInterval(120)
            #expect(try await keys.revoke(recipient: .user(ben), incidentID: first, by: anna, at: at, because: "revoked") == 1)
            let revoked = try #require(try await keys.grants(incidentID: first).first { $0.recipient == .user(ben) })
            #expect(revoked.envelope == nil && !revoked.isLive && revoked.revokedBy == anna && revoked.revokedAt == at
                    && revoked.revokedBecause == "revoked")
            #expect(try await keys.grants(incidentID: second).first { $0.recipient == .user(ben) }?.isLive == true, "only that case")
            // Revoking again finds nothing live.
            #expect(try await keys.revoke(recipient: .user(ben), incidentID: first, by: anna, at: at, because: "revoked") == 0)
            #expect(try await keys.envelopes(recipient: .user(ben)).map(\.incidentID) == [second])
            // Every case at once (a password reset): the count, and nothing live left.
            #expect(try await keys.revoke(recipient: .user(anna), incidentID: nil, by: nil, at: at, because: "password reset") == 2)
            #expect(try await keys.envelopes(recipient: .user(anna)).isEmpty)
            #expect(try await keys.grants(incidentID: second).first { $0.recipient == .user(anna) }?.revokedBecause == "password reset")
            // A save brings a revoked row back live, with the revocation cleared.
            try await keys.saveGrants([Self.grant(first, .user(anna), "h1:a1:again", by: ben)])
            let back = try #require(try await keys.grants(incidentID: first).first { $0.recipient == .user(anna) })
            #expect(back.isLive && back.revokedAt == nil && back.revokedBy == nil && back.revokedBecause == nil)

            // The envelopes with their case codes.
            let envelopes = try await keys.envelopes(recipient: .user(ben))
            #expect(envelopes == [CaseEnvelope(incidentID: second, caseCode: "KR-KEYS-0002", envelope: "h1:b2:x")])

            // A purged case's envelopes are deleted with its texts, and none is listed.
            var closed = try #require(try await incidents.incident(id: second))
            closed.status = .closed
            closed.closedOn = F.day("2026-03-10")
            try await incidents.update(closed)
            #expect(try await incidents.purge(closedOnOrBefore: F.day("2026-03-10"), today: F.day("2027-03-10")) == 1)
            #expect(try await keys.grants(incidentID: second).isEmpty, "crypto-shredding: no row of the purged case")
            #expect(try await keys.envelopes(recipient: .user(ben)).isEmpty)
            #expect(try await keys.envelopes(recipient: .recovery(1)).isEmpty)
            #expect(try await keys.envelopes(recipient: .user(anna)).map(\.incidentID) == [first])
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func theEscrowGoesWhereAnotherLiveEnvelopeOpensTheCaseOnly(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let users = SQLUserRepository(database: database)
            let incidents = SQLIncidentRepository(database: database)
            let keys = SQLIncidentKeyRepository(database: database)
            let anna = try await Self.user(users, "anna")
            let covered = try await incidents.create(IncidentStorageTests.incident("KR-ESCR-0001"),
                                                     grants: [Self.grant(0, .user(anna), "h1:a"), Self.grant(0, .server, "v1:e1")])
            let orphan = try await incidents.create(IncidentStorageTests.incident("KR-ESCR-0002"),
                                                    grants: [Self.grant(0, .server, "v1:e2")])
            let onlyRevoked = try await incidents.create(IncidentStorageTests.incident("KR-ESCR-0003"),
                                                         grants: [Self.grant(0, .user(anna), "h1:x"), Self.grant(0, .server, "v1:e3")])
            _ = try await keys.revoke(recipient: .user(anna), incidentID: onlyRevoked, by: nil, at: Self.t0, because: "revoked")
            // A new installation's report before any handler had a key: the recovery key's
            // envelope is no handler's, so the escrow stays for the first handler.
            let onlyRecovery = try await incidents.create(IncidentStorageTests.incident("KR-ESCR-0004"),
                                                          grants: [Self.grant(0, .recovery(1), "h1:r"), Self.grant(0, .server, "v1:e4")])
            #expect(try await keys.envelopes(recipient: .server).map(\.incidentID) == [covered, orphan, onlyRevoked, onlyRecovery])
            #expect(try await keys.deleteEscrow() == 1)
            // The orphans and the case whose only other envelope was revoked keep theirs.
            #expect(try await keys.envelopes(recipient: .server).map(\.incidentID) == [orphan, onlyRevoked, onlyRecovery])
            #expect(try await keys.grants(incidentID: covered).map(\.recipient) == [.user(anna)])
            #expect(try await keys.deleteEscrow() == 0)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func recoveryKeysRotateHandlerKeysUpsertAndTheWaitingListRoundTrips(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let users = SQLUserRepository(database: database)
            let keys = SQLIncidentKeyRepository(database: database)
            #expect(try await keys.activeRecoveryKey() == nil)
            let one = Data(repeating: 1, count: 32), two = Data(repeating: 2, count: 32)
            let first = try await keys.addRecoveryKey(publicKey: one, at: Self.t0)
            #expect(first.publicKey == one && first.retiredAt == nil)
            #expect(try await keys.activeRecoveryKey() == first)
            let second = try await keys.addRecoveryKey(publicKey: two, at: Self.t0.addingTimeInterval(60))
            #expect(second.id != first.id && second.publicKey == two)
            #expect(try await keys.activeRecoveryKey() == second, "the newest is active, the previous retired")
            let retired = try await database.withConnection { db in
                try await db.select().column("retired_at").from("incident_recovery_keys").where("id", .equal, first.id)
                    .first(decodingColumn: "retired_at", as: Double?.self)
            }
            #expect(retired == Self.t0.addingTimeInterval(60).timeIntervalSince1970)

            let anna = try await Self.user(users, "anna"), ben = try await Self.user(users, "ben")
            #expect(try await keys.handlerKey(userID: anna) == nil)
            let pair = HandlerKeyPair(userID: anna, publicKey: one, wrappedPrivateKey: "s10r8p1:salt:box", createdAt: Self.t0)
            try await keys.saveHandlerKey(pair)
            var replaced = pair
            replaced.publicKey = two
            replaced.wrappedPrivateKey = "s10r8p1:salt2:box2"
            try await keys.saveHandlerKey(replaced)
            #expect(try await keys.handlerKey(userID: anna) == replaced)
            #expect(try await keys.handlerKeys() == [replaced])

            // The upgrade's waiting list (migration 23 fills it).
            #expect(try await keys.migrationPending().isEmpty)
            try await database.withConnection { db in
                for id in [anna, ben] { try await db.insert(into: "incident_key_migration").columns("user_id").values(SQLBind(id)).run() }
            }
            #expect(try await keys.migrationPending() == [anna, ben])
            try await keys.removeMigrationPending(userID: anna)
            #expect(try await keys.migrationPending() == [ben])
            try await keys.clearMigrationPending()
            #expect(try await keys.migrationPending().isEmpty)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func sessionsAndPendingSignInsKeepTheirKeyCopy(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let users = SQLUserRepository(database: database)
            let anna = try await Self.user(users, "anna")
            let key = HandlerPrivateKey.generate()
            let token = SecretToken.generate(), pendingToken = SecretToken.generate()
            let sessions = SQLSessionRepository(database: database)
            try await sessions.create(Session(tokenHash: SecretToken.digest(token), userID: anna, csrfToken: "c", createdAt: Self.t0,
                                              lastSeenAt: Self.t0, incidentKey: try IncidentCrypto.wrap(key, sessionToken: token)))
            try await sessions.create(Session(tokenHash: SecretToken.digest("other"), userID: anna, csrfToken: "d", createdAt: Self.t0,
                                              lastSeenAt: Self.t0))
            let stored = try #require(try await sessions.session(tokenHash: SecretToken.digest(token)))
            #expect(try IncidentCrypto.unwrap(try #require(stored.incidentKey), sessionToken: token) == key)
            #expect(throws: IncidentKeyError.self) { try IncidentCrypto.unwrap(stored.incidentKey!, sessionToken: stored.tokenHash) }
            #expect(try await sessions.session(tokenHash: SecretToken.digest("other"))?.incidentKey == nil)

            let factors = SQLSecondFactorRepository(database: database)
            try await factors.createPending(PendingSignIn(tokenHash: SecretToken.digest(pendingToken), userID: anna,
                                                         expiresAt: Self.t0.addingTimeInterval(300),
                                                         incidentKey: try IncidentCrypto.wrap(key, sessionToken: pendingToken)))
            let pending = try #require(try await factors.pending(tokenHash: SecretToken.digest(pendingToken)))
            #expect(try IncidentCrypto.unwrap(try #require(pending.incidentKey), sessionToken: pendingToken) == key)
            let reserved = try #require(try await factors.reserveAttempt(tokenHash: SecretToken.digest(pendingToken), limit: 5,
                                                                         now: Self.t0))
            #expect(reserved.incidentKey == pending.incidentKey, "counting an attempt keeps the copy")
        }
    }
}

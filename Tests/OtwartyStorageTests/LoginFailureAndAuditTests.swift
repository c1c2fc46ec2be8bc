import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

@Suite struct LoginFailureRepositoryTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    @Test(arguments: DatabaseEngine.allCases)
    func recordCountClearPurge(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let failures = SQLLoginFailureRepository(database: database)
            let account = ThrottleKey.account("ala@example.org"), client = ThrottleKey.client("192.0.2.1")
            let other = ThrottleKey.account("bartek@example.org")
            try await failures.record(keys: [account, client], at: Self.t0)
            try await failures.record(keys: [account, client], at: Self.t0.addingTimeInterval(10))
            try await failures.record(keys: [account], at: Self.t0.addingTimeInterval(20))
            try await failures.record(keys: [], at: Self.t0.addingTimeInterval(30)) // nothing to record

            #expect(try await failures.count(key: account, since: Self.t0) == 3)
            #expect(try await failures.count(key: client, since: Self.t0) == 2)
            // `since` is inclusive.
            #expect(try await failures.count(key: account, since: Self.t0.addingTimeInterval(10)) == 2)
            #expect(try await failures.count(key: account, since: Self.t0.addingTimeInterval(11)) == 1)
            #expect(try await failures.count(key: account, since: Self.t0.addingTimeInterval(21)) == 0)
            #expect(try await failures.count(key: other, since: Self.t0) == 0)

            try await failures.clear(key: account)
            #expect(try await failures.count(key: account, since: Self.t0) == 0)
            #expect(try await failures.count(key: client, since: Self.t0) == 2)

            try await failures.record(keys: [other], at: Self.t0.addingTimeInterval(5))
            try await failures.purge(before: Self.t0.addingTimeInterval(10)) // strictly before
            #expect(try await failures.count(key: client, since: Self.t0) == 1)
            #expect(try await failures.count(key: other, since: Self.t0) == 0)
        }
    }
}

@Suite struct AuditLogTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    @Test(arguments: DatabaseEngine.allCases)
    func entriesAreNewestFirstFilteredAndLimited(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let audit = SQLAuditLog(database: database)
            let actor = try await SQLUserRepository(database: database).create(
                NewUser(email: "admin@example.org", displayName: "Admin", role: .administrator,
                        organisationID: nil, passwordHash: nil), at: Self.t0)
            #expect(try await audit.entries(subject: nil, limit: 10).isEmpty)
            let e1 = AuditEntry(at: Self.t0, actorUserID: actor.id, action: "user.invited", subject: "user:7",
                                detail: "role=viewer")
            let e2 = AuditEntry(at: Self.t0.addingTimeInterval(1), actorUserID: nil, action: "programme.loaded",
                                subject: "programme:otwarty-krakow-2024-2028")
            let e3 = AuditEntry(at: Self.t0.addingTimeInterval(2), actorUserID: actor.id, action: "user.disabled",
                                subject: "user:7", detail: "zażółć gęślą jaźń")
            for e in [e1, e2, e3] { try await audit.record(e) }

            #expect(try await audit.entries(subject: nil, limit: 10) == [e3, e2, e1])
            #expect(try await audit.entries(subject: "user:7", limit: 10) == [e3, e1])
            #expect(try await audit.entries(subject: "user:7", limit: 1) == [e3])
            #expect(try await audit.entries(subject: nil, limit: 2) == [e3, e2])
            #expect(try await audit.entries(subject: "user:8", limit: 10).isEmpty)
        }
    }
}

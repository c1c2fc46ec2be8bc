import Foundation
import OtwartyCore
@testable import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// Issue 15, point 1: the anonymous public forms' counts live in the database (migration 25), so
/// the limits hold across instances and under parallel requests, and the table holds no address.
@Suite struct AnonymousThrottleStorageTests {
    static let secret = Data(repeating: 7, count: 32)

    static func throttle(_ database: Database, factor: Int = 1) -> AnonymousThrottle {
        AnonymousThrottle(store: SQLAnonymousThrottleStore(database: database), secret: secret, factor: factor)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func fortyParallelReportsFromOneClientGetExactlyTheLimit(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let throttle = Self.throttle(database)
            let now = TestClock.defaultStart
            let verdicts = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<40 { group.addTask { try await throttle.allow(.report, client: "198.51.100.7", now: now).allowed } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(verdicts.filter { $0 }.count == 5)
        }
    }

    /// Before issue 15 each instance counted in its own memory: two instances let one client
    /// through twice the limit. Two `Database` pools over one file or schema stand for two instances.
    @Test(arguments: DatabaseEngine.allCases)
    func twoInstancesOverOneDatabaseShareTheLimits(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let other = try await Database.open(database.location, logger: TestDatabase.logger)
            do {
                let first = Self.throttle(database), second = Self.throttle(other)
                let now = TestClock.defaultStart
                let verdicts = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for n in 0..<20 {
                        let throttle = n.isMultiple(of: 2) ? first : second
                        group.addTask { try await throttle.allow(.nomination, client: "2001:db8::5", now: now).allowed }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(verdicts.filter { $0 }.count == 5)
                // The overall limit too: 200 reports from 200 clients over both, the 201st refused.
                for n in 0..<200 {
                    #expect(try await (n.isMultiple(of: 2) ? first : second).allow(.report, client: "10.0.\(n / 250).\(n % 250)", now: now).allowed)
                }
                let refused = try await second.allow(.report, client: "10.9.9.9", now: now)
                #expect(!refused.allowed && refused.retryAfter > 0)
                try await other.shutdown()
            } catch {
                try? await other.shutdown()
                throw error
            }
        }
    }

    /// A refusal by the overall count undoes the client's count: a refused attempt counts nowhere.
    @Test(arguments: DatabaseEngine.allCases)
    func aRefusalByTheOverallLimitDoesNotCountForTheClient(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let store = SQLAnonymousThrottleStore(database: database)
            let ends = TestClock.defaultStart.addingTimeInterval(600)
            #expect(try await store.take(clientKey: "a", clientLimit: 2, overallKey: "o", overallLimit: 2, expiresAt: ends))
            #expect(try await store.take(clientKey: "b", clientLimit: 2, overallKey: "o", overallLimit: 2, expiresAt: ends))
            #expect(try await !store.take(clientKey: "b", clientLimit: 2, overallKey: "o", overallLimit: 2, expiresAt: ends))
            // b has one attempt counted, not two: exactly one more passes where the overall count has room.
            #expect(try await store.take(clientKey: "b", clientLimit: 2, overallKey: "p", overallLimit: 9, expiresAt: ends))
            #expect(try await !store.take(clientKey: "b", clientLimit: 2, overallKey: "p", overallLimit: 9, expiresAt: ends))
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func theTableHoldsNoAddressAndEndedWindowsAreRemoved(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let throttle = Self.throttle(database)
            let store = SQLAnonymousThrottleStore(database: database)
            let address = "198.51.100.23"
            let start = TestClock.defaultStart
            for action in AnonymousThrottle.Action.allCases { _ = try await throttle.allow(action, client: address, now: start) }
            let keys = try await database.withConnection { db in
                try await db.raw("SELECT throttle_key FROM anonymous_throttle").all().map { try $0.decode(column: "throttle_key", as: String.self) }
            }
            #expect(keys.count == 10)
            // Neither the address nor its plain digest (what a guess at every IPv4 address would be compared with).
            #expect(keys.allSatisfy { !$0.contains(address) && !$0.contains(SecretToken.digest(address)) })
            // Another process secret gives other keys: without the incident key the table tells nothing.
            let elsewhere = AnonymousThrottle(store: store, secret: Data(repeating: 8, count: 32))
            _ = try await elsewhere.allow(.report, client: address, now: start)
            #expect(try await store.rowCount() == 11)
            // The first attempt of the next window removes the rows of the one before.
            _ = try await throttle.allow(.report, client: address, now: start.addingTimeInterval(600))
            #expect(try await store.rowCount() == 2)
        }
    }

    @Test func theFactorMultipliesEveryLimit() {
        let throttle = AnonymousThrottle(factor: 3)
        #expect(throttle.limits[.report] == .init(perClient: 15, overall: 600))
        #expect(throttle.limits[.lookup] == .init(perClient: 60, overall: 3_000))
        #expect(AnonymousThrottle(factor: 5_000).limits[.patronage] == .init(perClient: 5_000, overall: 100_000))
    }
}

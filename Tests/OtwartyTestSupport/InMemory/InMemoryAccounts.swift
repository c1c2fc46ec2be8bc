import Foundation
import OtwartyCore

// The account repositories in memory. Each answers as its SQL twin in OtwartyStorage/Accounts
// does (same orders, same conflicts, same conditional changes); OtwartyStorageTests hold the SQL
// to the same behaviour on both engines.

public struct InMemoryUserRepository: UserRepository {
    let users = Locked<(numbers: RowNumbers, rows: [UserID: User])>((RowNumbers(), [:]))

    public init() {}

    public func create(_ user: NewUser, at: Date) async throws -> User {
        try users.withLock { state in
            if state.rows.values.contains(where: { $0.email == user.email }) {
                throw DomainError.conflict("The e-mail address \(user.email) is already in use.")
            }
            let stored = User(id: state.numbers.next(), email: user.email, displayName: user.displayName, role: user.role,
                              organisationID: user.organisationID, passwordHash: user.passwordHash, isDisabled: false,
                              createdAt: at)
            state.rows[stored.id] = stored
            return stored
        }
    }

    public func user(id: UserID) async throws -> User? { users.current.rows[id] }

    public func user(email: String) async throws -> User? {
        let email = email.lowercased()
        return users.current.rows.values.first { $0.email == email }
    }

    public func all() async throws -> [User] { users.current.rows.values.sorted { $0.email < $1.email } }

    public func setPasswordHash(_ hash: String, userID: UserID) async throws {
        users.withLock { $0.rows[userID]?.passwordHash = hash }
    }

    public func setDisabled(_ disabled: Bool, userID: UserID) async throws {
        users.withLock { $0.rows[userID]?.isDisabled = disabled }
    }

    public func setRole(_ role: Role, userID: UserID) async throws {
        users.withLock { $0.rows[userID]?.role = role }
    }

    public func countActive(role: Role) async throws -> Int {
        users.current.rows.values.filter { $0.role == role && !$0.isDisabled }.count
    }
}

public struct InMemorySessionRepository: SessionRepository {
    let sessions = Locked<[String: Session]>([:])

    public init() {}

    public func create(_ session: Session) async throws {
        try sessions.withLock { rows in
            guard rows[session.tokenHash] == nil else { throw DomainError.conflict("The session exists.") }
            rows[session.tokenHash] = session
        }
    }

    public func session(tokenHash: String) async throws -> Session? { sessions.current[tokenHash] }

    public func touch(tokenHash: String, at: Date) async throws {
        sessions.withLock { $0[tokenHash]?.lastSeenAt = at }
    }

    public func delete(tokenHash: String) async throws { sessions.withLock { _ = $0.removeValue(forKey: tokenHash) } }

    public func deleteAll(userID: UserID) async throws { sessions.withLock { $0 = $0.filter { $0.value.userID != userID } } }

    public func deleteExpired(idleBefore: Date, createdBefore: Date) async throws -> Int {
        sessions.withLock { rows in
            let expired = rows.values.filter { $0.lastSeenAt < idleBefore || $0.createdAt < createdBefore }
            for session in expired { rows.removeValue(forKey: session.tokenHash) }
            return expired.count
        }
    }
}

public struct InMemoryAccountTokenRepository: AccountTokenRepository {
    let tokens = Locked<[String: AccountToken]>([:])

    public init() {}

    public func create(_ token: AccountToken) async throws {
        try tokens.withLock { rows in
            guard rows[token.tokenHash] == nil else { throw DomainError.conflict("The token exists.") }
            rows[token.tokenHash] = token
        }
    }

    public func token(hash: String) async throws -> AccountToken? { tokens.current[hash] }

    public func consume(hash: String, at: Date) async throws -> Bool {
        tokens.withLock { rows in
            guard let token = rows[hash], token.usedAt == nil, token.expiresAt > at else { return false }
            rows[hash]?.usedAt = at
            return true
        }
    }

    public func revokeUnused(purpose: AccountToken.Purpose, userID: UserID?, at: Date) async throws {
        tokens.withLock { rows in
            for (hash, token) in rows where token.purpose == purpose && token.usedAt == nil
                && (userID == nil || token.userID == userID) {
                rows[hash]?.usedAt = at
            }
        }
    }
}

public struct InMemoryAPITokenRepository: APITokenRepository {
    let tokens = Locked<[String: APIToken]>([:])

    public init() {}

    public func create(_ token: APIToken) async throws {
        try tokens.withLock { rows in
            guard rows[token.tokenHash] == nil else { throw DomainError.conflict("The token exists.") }
            var stored = token
            stored.lastUsedAt = nil
            stored.revokedAt = nil
            rows[token.tokenHash] = stored
        }
    }

    public func token(hash: String) async throws -> APIToken? { tokens.current[hash] }

    public func markUsed(hash: String, at: Date) async throws { tokens.withLock { $0[hash]?.lastUsedAt = at } }

    public func tokens(userID: UserID) async throws -> [APIToken] {
        tokens.current.values.filter { $0.userID == userID }.sorted { $0.createdAt > $1.createdAt }
    }

    public func revoke(hash: String, at: Date) async throws {
        tokens.withLock { rows in
            if rows[hash]?.revokedAt == nil { rows[hash]?.revokedAt = at }
        }
    }

    @discardableResult
    public func revokeAll(userID: UserID, at: Date) async throws -> Int {
        tokens.withLock { rows in
            let live = rows.values.filter { $0.userID == userID && $0.revokedAt == nil }
            for token in live { rows[token.tokenHash]?.revokedAt = at }
            return live.count
        }
    }
}

/// Sign-in attempts and other throttled failures. `reserveAttempt` counts and inserts under one
/// lock, which is what the SQL repository's transaction guarantees.
public struct InMemoryLoginFailureRepository: LoginFailureRepository {
    struct Attempt: Sendable {
        var account: String
        var client: String
        var at: Date
    }

    struct Failure: Sendable {
        var key: String
        var at: Date
    }

    let attempts = Locked<[Attempt]>([])
    let failures = Locked<[Failure]>([])

    public init() {}

    public func reserveAttempt(account: String, client: String, at: Date, windowStart: Date, memoryStart: Date,
                               decide: @escaping @Sendable (LoginAttemptCounts) -> Int?) async throws -> LoginReservation {
        attempts.withLock { rows in
            let pair = rows.filter { $0.account == account && $0.client == client && $0.at >= memoryStart }
            let pairInWindow = pair.filter { $0.at > windowStart }
            let accountInWindow = rows.filter { $0.account == account && $0.at > windowStart }
            let clientInWindow = rows.filter { $0.client == client && $0.at > windowStart }
            let counts = LoginAttemptCounts(
                pairInWindow: pairInWindow.count, pairOldestInWindow: pairInWindow.map(\.at).min(),
                pairConsecutive: pair.count, pairLastAttempt: pair.map(\.at).max(),
                accountInWindow: accountInWindow.count, accountOldestInWindow: accountInWindow.map(\.at).min(),
                clientInWindow: clientInWindow.count, clientOldestInWindow: clientInWindow.map(\.at).min())
            if let retryAfter = decide(counts) { return .refused(retryAfter: retryAfter) }
            rows.append(Attempt(account: account, client: client, at: at))
            return .reserved
        }
    }

    public func releaseAttempts(account: String, client: String) async throws {
        attempts.withLock { $0.removeAll { $0.account == account && $0.client == client } }
    }

    public func purgeAttempts(before: Date) async throws { attempts.withLock { $0.removeAll { $0.at < before } } }

    public func record(keys: [String], at: Date) async throws {
        failures.withLock { rows in rows.append(contentsOf: keys.map { Failure(key: $0, at: at) }) }
    }

    public func count(key: String, since: Date) async throws -> Int {
        failures.current.filter { $0.key == key && $0.at >= since }.count
    }

    public func clear(key: String) async throws { failures.withLock { $0.removeAll { $0.key == key } } }

    public func purge(before: Date) async throws { failures.withLock { $0.removeAll { $0.at < before } } }
}

/// TOTP secrets, recovery codes and pending second steps; each check-and-change under one lock,
/// as each is one conditional statement in SQL.
public struct InMemorySecondFactorRepository: SecondFactorRepository {
    struct RecoveryCode: Sendable {
        var userID: UserID
        var hash: String
        var usedAt: Date?
    }

    struct State: Sendable {
        var factors: [UserID: SecondFactor] = [:]
        var codes: [RecoveryCode] = []
        var pending: [String: PendingSignIn] = [:]
    }

    let state = Locked(State())

    public init() {}

    public func factor(userID: UserID) async throws -> SecondFactor? { state.current.factors[userID] }

    public func resealSecrets(_ reseal: @escaping @Sendable (UserID, String) throws -> String) async throws -> Int {
        try state.withLock { state in
            var resealed = state.factors
            for (userID, factor) in state.factors { resealed[userID]?.sealedSecret = try reseal(userID, factor.sealedSecret) }
            state.factors = resealed
            return resealed.count
        }
    }

    public func saveUnconfirmed(userID: UserID, sealedSecret: String, at: Date) async throws -> Bool {
        state.withLock { state in
            guard state.factors[userID] == nil else { return false }
            state.factors[userID] = SecondFactor(userID: userID, sealedSecret: sealedSecret, confirmedAt: nil, lastStep: 0,
                                                 createdAt: at)
            return true
        }
    }

    public func confirm(userID: UserID, step: Int64, recoveryCodeHashes: [String], at: Date) async throws -> Bool {
        state.withLock { state in
            guard let factor = state.factors[userID], factor.confirmedAt == nil else { return false }
            state.factors[userID]?.confirmedAt = at
            state.factors[userID]?.lastStep = step
            state.codes.removeAll { $0.userID == userID }
            state.codes.append(contentsOf: recoveryCodeHashes.map { RecoveryCode(userID: userID, hash: $0, usedAt: nil) })
            return true
        }
    }

    public func advanceStep(userID: UserID, to step: Int64) async throws -> Bool {
        state.withLock { state in
            guard let factor = state.factors[userID], factor.confirmedAt != nil, factor.lastStep < step else { return false }
            state.factors[userID]?.lastStep = step
            return true
        }
    }

    public func useRecoveryCode(userID: UserID, hash: String, at: Date) async throws -> Bool {
        state.withLock { state in
            guard let index = state.codes.firstIndex(where: { $0.userID == userID && $0.hash == hash && $0.usedAt == nil })
            else { return false }
            state.codes[index].usedAt = at
            return true
        }
    }

    public func unusedRecoveryCodes(userID: UserID) async throws -> Int {
        state.current.codes.filter { $0.userID == userID && $0.usedAt == nil }.count
    }

    public func remove(userID: UserID) async throws {
        state.withLock { state in
            state.codes.removeAll { $0.userID == userID }
            state.pending = state.pending.filter { $0.value.userID != userID }
            state.factors.removeValue(forKey: userID)
        }
    }

    public func enrolledUserIDs() async throws -> Set<UserID> {
        Set(state.current.factors.values.filter { $0.confirmedAt != nil }.map(\.userID))
    }

    public func createPending(_ pending: PendingSignIn) async throws {
        try state.withLock { state in
            guard state.pending[pending.tokenHash] == nil else { throw DomainError.conflict("The pending sign-in exists.") }
            state.pending[pending.tokenHash] = pending
        }
    }

    public func pending(tokenHash: String) async throws -> PendingSignIn? { state.current.pending[tokenHash] }

    public func reserveAttempt(tokenHash: String, limit: Int, now: Date) async throws -> PendingSignIn? {
        state.withLock { state in
            guard let pending = state.pending[tokenHash], pending.expiresAt > now, pending.attempts < limit else { return nil }
            state.pending[tokenHash]?.attempts += 1
            return state.pending[tokenHash]
        }
    }

    public func consumePending(tokenHash: String) async throws -> Bool {
        state.withLock { $0.pending.removeValue(forKey: tokenHash) != nil }
    }

    public func purgePending(before: Date) async throws {
        state.withLock { state in state.pending = state.pending.filter { $0.value.expiresAt >= before } }
    }

    public func deletePending(userID: UserID) async throws {
        state.withLock { state in state.pending = state.pending.filter { $0.value.userID != userID } }
    }
}

/// Two-person changes to incident-handler and coordinator accounts, and the handlers'
/// acknowledgements; `decide` changes only a pending request, as the SQL's conditional UPDATE.
public struct InMemoryHandlerAccountRequestRepository: HandlerAccountRequestRepository {
    struct State: Sendable {
        var numbers = RowNumbers()
        var requests: [HandlerAccountRequest] = []
        var acknowledgements: [UserID: Date] = [:]
    }

    let state = Locked(State())

    public init() {}

    public func create(_ request: HandlerAccountRequest) async throws -> HandlerAccountRequest {
        state.withLock { state in
            var stored = request
            stored.id = state.numbers.next()
            state.requests.append(stored)
            return stored
        }
    }

    public func request(id: Int64) async throws -> HandlerAccountRequest? { state.current.requests.first { $0.id == id } }

    public func pending() async throws -> [HandlerAccountRequest] {
        state.current.requests.filter { $0.state == .pending }
            .sorted { ($0.requestedAt, $0.id) < ($1.requestedAt, $1.id) }
    }

    public func decided(limit: Int) async throws -> [HandlerAccountRequest] {
        Array(decidedInOrder().reversed().prefix(max(0, limit)))
    }

    public func decided(after since: Date) async throws -> [HandlerAccountRequest] {
        decidedInOrder().filter { ($0.decidedAt ?? .distantPast) > since }
    }

    /// Decided requests by decision time, then id (a request without a time first, as NULL sorts).
    func decidedInOrder() -> [HandlerAccountRequest] {
        state.current.requests.filter { $0.state != .pending }
            .sorted { ($0.decidedAt ?? .distantPast, $0.id) < ($1.decidedAt ?? .distantPast, $1.id) }
    }

    public func decide(id: Int64, state newState: HandlerAccountRequest.State, by: UserID, at: Date) async throws -> Bool {
        state.withLock { state in
            guard let index = state.requests.firstIndex(where: { $0.id == id && $0.state == .pending }) else { return false }
            state.requests[index].state = newState
            state.requests[index].decidedBy = by
            state.requests[index].decidedAt = at
            return true
        }
    }

    public func setUser(id: Int64, userID: UserID) async throws {
        state.withLock { state in
            if let index = state.requests.firstIndex(where: { $0.id == id }) { state.requests[index].userID = userID }
        }
    }

    public func acknowledgedAt(userID: UserID) async throws -> Date? { state.current.acknowledgements[userID] }

    public func acknowledge(userID: UserID, at: Date) async throws { state.withLock { $0.acknowledgements[userID] = at } }
}

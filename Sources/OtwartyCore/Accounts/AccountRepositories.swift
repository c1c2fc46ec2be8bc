import Foundation

// Storage interfaces of accounts; the SQL is in OtwartyStorage/Accounts.

public protocol UserRepository: Sendable {
    /// Throws `DomainError.conflict` when the e-mail is taken.
    func create(_ user: NewUser, at: Date) async throws -> User
    func user(id: UserID) async throws -> User?
    func user(email: String) async throws -> User?
    func all() async throws -> [User]
    func setPasswordHash(_ hash: String, userID: UserID) async throws
    func setDisabled(_ disabled: Bool, userID: UserID) async throws
    /// Only through `HandlerAccountService` (into or out of incident-handler, two people).
    func setRole(_ role: Role, userID: UserID) async throws
    func countActive(role: Role) async throws -> Int
}

public protocol SessionRepository: Sendable {
    func create(_ session: Session) async throws
    func session(tokenHash: String) async throws -> Session?
    func touch(tokenHash: String, at: Date) async throws
    func delete(tokenHash: String) async throws
    /// Ends every session of a user (on disabling, on password change).
    func deleteAll(userID: UserID) async throws
    /// Removes sessions idle since before `idleBefore` or created before `createdBefore`.
    func deleteExpired(idleBefore: Date, createdBefore: Date) async throws -> Int
}

public protocol AccountTokenRepository: Sendable {
    func create(_ token: AccountToken) async throws
    func token(hash: String) async throws -> AccountToken?
    /// Marks the token used if it still is usable; false when another request used it first.
    func consume(hash: String, at: Date) async throws -> Bool
    /// Voids earlier unused tokens so only the newest link works.
    func revokeUnused(purpose: AccountToken.Purpose, userID: UserID?, at: Date) async throws
}

public protocol LoginFailureRepository: Sendable {
    /// Sign-in attempts (`LoginThrottlePolicy`): in ONE transaction, counts the attempts of the
    /// (account, client) pair, the account and the client after `windowStart` (the pair's also since
    /// `memoryStart`), asks `decide`, and when it answers nil records this attempt as a failure.
    func reserveAttempt(account: String, client: String, at: Date, windowStart: Date, memoryStart: Date,
                        decide: @escaping @Sendable (LoginAttemptCounts) -> Int?) async throws -> LoginReservation
    /// A right password: removes the pair's attempts, the reservation included.
    func releaseAttempts(account: String, client: String) async throws
    /// Housekeeping: attempts older than `before`.
    func purgeAttempts(before: Date) async throws
    func record(keys: [String], at: Date) async throws
    func count(key: String, since: Date) async throws -> Int
    func clear(key: String) async throws
    func purge(before: Date) async throws
}

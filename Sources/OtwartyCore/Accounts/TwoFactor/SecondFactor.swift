import Foundation

/// Time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA1, 6 digits, 30-second steps). Core
/// names the computation; the bootstrap supplies HummingbirdOTP's (`OtwartyApp/HummingbirdTOTP`),
/// whose module brings Hummingbird with it and so cannot be imported here.
public protocol OneTimePasswordAlgorithm: Sendable {
    /// The code for `secret` (the key's bytes as text, as HummingbirdOTP takes it) at time step
    /// `step` (whole 30-second steps since 1970), 0…999999.
    func code(secret: String, step: Int64) -> Int
    /// The `otpauth://totp/…` address an authenticator app reads from the QR code.
    func provisioningURI(secret: String, account: String, issuer: String) -> String
}

extension Role {
    /// Roles that must sign in with a second factor: they reach other people's accounts, the
    /// programme's decisions or incident reports (Article 9 data).
    public var requiresSecondFactor: Bool {
        self == .administrator || self == .programmeCoordinator || self == .incidentHandler
    }
}

/// A user's TOTP secret, sealed with the OTP key (`otp.key`), and what has been used of it.
public struct SecondFactor: Hashable, Sendable {
    public var userID: UserID
    /// `FieldCipher` output, bound to the user (`SecondFactor.sealContext`).
    public var sealedSecret: String
    /// nil while the user has not yet confirmed it with a code: it does not protect anything yet.
    public var confirmedAt: Date?
    /// The last time step whose code was accepted; codes of this step and earlier are refused (replay).
    public var lastStep: Int64
    public var createdAt: Date

    public init(userID: UserID, sealedSecret: String, confirmedAt: Date?, lastStep: Int64, createdAt: Date) {
        self.userID = userID
        self.sealedSecret = sealedSecret
        self.confirmedAt = confirmedAt
        self.lastStep = lastStep
        self.createdAt = createdAt
    }

    public var isConfirmed: Bool { confirmedAt != nil }

    /// Associated data for sealing: a sealed secret copied to another user's row does not open.
    public static func sealContext(userID: UserID) -> String { "otp-secret:user:\(userID)" }
}

/// A sign-in whose password was right and whose second step is still to come. The browser holds
/// a random token in a cookie; the database keeps its SHA-256, so the state works across instances.
public struct PendingSignIn: Hashable, Sendable {
    public var tokenHash: String
    public var userID: UserID
    public var expiresAt: Date
    /// Wrong codes so far; at `TwoFactorPolicy.attemptsPerSignIn` the pending sign-in is dropped.
    public var attempts: Int
    /// The handler's private key between the password and the code, sealed under the pending
    /// cookie's token like a session's (`Session.incidentKey`).
    public var incidentKey: String?

    public init(tokenHash: String, userID: UserID, expiresAt: Date, attempts: Int = 0, incidentKey: String? = nil) {
        self.incidentKey = incidentKey
        self.tokenHash = tokenHash
        self.userID = userID
        self.expiresAt = expiresAt
        self.attempts = attempts
    }
}

public protocol SecondFactorRepository: Sendable {
    func factor(userID: UserID) async throws -> SecondFactor?
    /// Stores a new unconfirmed secret unless the user already has a factor (confirmed or not);
    /// false when nothing was stored. One statement, so two first visits of the enrolment page (the
    /// page and its QR code) cannot each store a different secret.
    func saveUnconfirmed(userID: UserID, sealedSecret: String, at: Date) async throws -> Bool
    /// In one transaction: confirms the unconfirmed factor with the step of the accepted code and
    /// stores the recovery codes' digests (replacing any earlier ones). False when there was no
    /// unconfirmed factor (already confirmed, or removed meanwhile).
    func confirm(userID: UserID, step: Int64, recoveryCodeHashes: [String], at: Date) async throws -> Bool
    /// Moves the last used step forward, only if it is below `step`: false means the step (or a
    /// later one) was already used — a replay — or there is no confirmed factor.
    func advanceStep(userID: UserID, to step: Int64) async throws -> Bool
    /// Marks an unused recovery code used; false when it does not exist or was used already.
    func useRecoveryCode(userID: UserID, hash: String, at: Date) async throws -> Bool
    func unusedRecoveryCodes(userID: UserID) async throws -> Int
    /// Removes the factor and its recovery codes (and pending sign-ins of the user).
    func remove(userID: UserID) async throws
    /// Users with a confirmed factor.
    func enrolledUserIDs() async throws -> Set<UserID>
    /// Replaces every stored secret (confirmed or not) with `reseal(userID, sealedSecret)`, all in one
    /// transaction: a key rotation re-seals all of them or none. Returns how many it re-sealed.
    func resealSecrets(_ reseal: @escaping @Sendable (UserID, String) throws -> String) async throws -> Int

    func createPending(_ pending: PendingSignIn) async throws
    func pending(tokenHash: String) async throws -> PendingSignIn?
    /// Counts one attempt, atomically, if the pending sign-in exists, has not expired at `now`
    /// and has had fewer than `limit` attempts; returns it as updated, else nil.
    func reserveAttempt(tokenHash: String, limit: Int, now: Date) async throws -> PendingSignIn?
    /// Deletes it; true only for the one call that did (so one code finishes one sign-in).
    func consumePending(tokenHash: String) async throws -> Bool
    func purgePending(before: Date) async throws
    /// Ends every pending sign-in of a user (a new password: a second step begun with the old one
    /// must not finish).
    func deletePending(userID: UserID) async throws
}

/// The numbers of the second step.
public struct TwoFactorPolicy: Sendable, Equatable {
    /// How long the second step waits after a right password.
    public var pendingLifetime: TimeInterval = 5 * 60
    /// Wrong codes one pending sign-in may see before it is dropped (the password must be given again).
    public var attemptsPerSignIn = 5
    /// Wrong codes per user in `failureWindow`, across sign-ins, before the second step answers
    /// "too many attempts" (so starting sign-in after sign-in does not give unlimited guesses).
    public var failuresPerUser = 10
    public var failureWindow: TimeInterval = 15 * 60
    /// Steps of clock difference accepted either way.
    public var drift: Int64 = 1
    public var stepSeconds: Int64 = 30
    public static let recoveryCodeCount = 10

    public init() {}

    public func step(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / Double(stepSeconds)).rounded(.down)) }
}

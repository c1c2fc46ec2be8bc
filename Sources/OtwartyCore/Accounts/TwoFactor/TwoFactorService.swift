import Foundation

/// Two-factor sign-in with TOTP (RFC 6238): enrolment with a QR code and the secret in text,
/// ten single-use recovery codes, the second step of sign-in, and removal. Every change is
/// audited. Secrets are sealed at rest with their own key (`otp.key`, not the incident key); codes
/// are accepted once (the last used time step is stored) with ±`policy.drift` steps of clock drift.
public struct TwoFactorService: Sendable {
    public let accounts: AccountService
    public let cipher: FieldCipher
    public let algorithm: any OneTimePasswordAlgorithm
    public let policy: TwoFactorPolicy
    public static let issuer = "Otwarty"

    public init(accounts: AccountService, cipher: FieldCipher, algorithm: any OneTimePasswordAlgorithm,
                policy: TwoFactorPolicy = .init()) {
        self.accounts = accounts
        self.cipher = cipher
        self.algorithm = algorithm
        self.policy = policy
    }

    var repository: any SecondFactorRepository { accounts.repositories.secondFactors }
    func now() -> Date { accounts.clock.now() }

    // MARK: Status

    public struct Status: Sendable, Equatable {
        public var enrolled: Bool
        public var required: Bool
        public var unusedRecoveryCodes: Int
    }

    public func status(of user: User) async throws -> Status {
        let factor = try await repository.factor(userID: user.id)
        let enrolled = factor?.isConfirmed == true
        return Status(enrolled: enrolled, required: user.role.requiresSecondFactor,
                      unusedRecoveryCodes: enrolled ? try await repository.unusedRecoveryCodes(userID: user.id) : 0)
    }

    public func enrolledUserIDs() async throws -> Set<UserID> { try await repository.enrolledUserIDs() }

    // MARK: Enrolment

    /// What the enrolment page shows.
    public struct Enrolment: Sendable, Equatable {
        /// Base32 (RFC 4648, no padding) in groups of four, for typing into an app by hand.
        public var groupedSecret: String
        /// `otpauth://totp/Otwarty:EMAIL?secret=…&issuer=Otwarty`, drawn as the QR code.
        public var uri: String
        public var account: String
    }

    /// The unconfirmed secret to show, made (and sealed) on first call and the same until it is
    /// confirmed; nil once the user has a confirmed factor.
    public func enrolment(for user: User) async throws -> Enrolment? {
        let context = SecondFactor.sealContext(userID: user.id)
        if try await repository.factor(userID: user.id) == nil {
            _ = try await repository.saveUnconfirmed(userID: user.id, sealedSecret: try cipher.seal(Self.newSecret(), context: context),
                                                     at: now())
        }
        // What is stored is what is shown, also when another request stored it first.
        guard let stored = try await repository.factor(userID: user.id), !stored.isConfirmed else { return nil }
        let secret = try cipher.open(stored.sealedSecret, context: context)
        return Enrolment(groupedSecret: Base32.grouped(Base32.encode(Array(secret.utf8))),
                         uri: algorithm.provisioningURI(secret: secret, account: user.email, issuer: Self.issuer),
                         account: user.email)
    }

    /// Confirms the unconfirmed secret with a current code and returns the ten recovery codes (shown
    /// once; only digests are kept). Throws `DomainError.invalid` (field `code`) for a wrong code.
    public func confirmEnrolment(for user: User, code: String) async throws -> [String] {
        guard let factor = try await repository.factor(userID: user.id), !factor.isConfirmed else {
            throw DomainError.conflict("There is no second factor waiting for confirmation.")
        }
        let secret = try cipher.open(factor.sealedSecret, context: SecondFactor.sealContext(userID: user.id))
        guard let value = Self.sixDigits(code), let step = matchingSteps(secret: secret, value: value).last else {
            throw DomainError.invalid([Self.wrongCode])
        }
        let codes = (0..<TwoFactorPolicy.recoveryCodeCount).map { _ in Self.newRecoveryCode() }
        // Each write and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await accounts.repositories.audit.atomically { [self] in
            guard try await repository.confirm(userID: user.id, step: step,
                                               recoveryCodeHashes: codes.map { Self.recoveryDigest($0, userID: user.id) }, at: now())
            else { throw DomainError.conflict("There is no second factor waiting for confirmation.") }
            try await audit(actor: user.id, "second-factor.enrolled", user: user.id)
        }
        return codes
    }

    // MARK: The second step of sign-in

    public enum SecondStepResult: Sendable, Equatable {
        case signedIn(User, sessionToken: String, usedRecoveryCode: Bool)
        /// Wrong, reused or malformed code; the pending sign-in allows this many more tries.
        case wrongCode(attemptsLeft: Int)
        /// No pending sign-in for the cookie: expired, dropped after too many wrong codes, or used.
        case expired
        /// Too many wrong codes for this user lately, across sign-ins.
        case throttled(retryAfter: Int)
    }

    /// The user a pending sign-in belongs to, while it is usable.
    public func pendingUser(token: String) async throws -> User? {
        guard let pending = try await repository.pending(tokenHash: SecretToken.digest(token)), pending.expiresAt > now(),
              pending.attempts < policy.attemptsPerSignIn
        else { return nil }
        return try await accounts.repositories.users.user(id: pending.userID)
    }

    /// Checks a 6-digit code or a recovery code for the pending sign-in behind `token`; a right one
    /// ends the pending state and starts the full session.
    public func completeSignIn(pendingToken token: String, code: String) async throws -> SecondStepResult {
        let at = now()
        let hash = SecretToken.digest(token)
        guard let pending = try await repository.pending(tokenHash: hash), pending.expiresAt > at else { return .expired }
        let failureKey = "second-factor:user:\(pending.userID)"
        let failures = try await accounts.repositories.loginFailures.count(key: failureKey, since: at.addingTimeInterval(-policy.failureWindow))
        if failures >= policy.failuresPerUser { return .throttled(retryAfter: Int(policy.failureWindow)) }
        // The attempt is counted before the code is checked, so parallel guesses cannot exceed the limit.
        guard let reserved = try await repository.reserveAttempt(tokenHash: hash, limit: policy.attemptsPerSignIn, now: at) else {
            return .expired
        }
        guard let user = try await accounts.repositories.users.user(id: pending.userID), user.canSignIn else {
            _ = try await repository.consumePending(tokenHash: hash)
            return .expired
        }
        // The attempt's reservation above stays committed whatever happens; what the code changes
        // (its step or recovery code used, the pending sign-in ended, the session) commits
        // together with its audit entries or not at all (`AuditLog.atomically`).
        let attempts = reserved.attempts
        return try await accounts.repositories.audit.atomically { [self] in
            var usedRecoveryCode = false
            var accepted = false
            if let value = Self.sixDigits(code) {
                accepted = try await acceptTOTP(value, user: user)
            } else if let normalised = Self.normalisedRecoveryCode(code) {
                accepted = try await repository.useRecoveryCode(userID: user.id, hash: Self.recoveryDigest(normalised, userID: user.id), at: at)
                usedRecoveryCode = accepted
            }
            guard accepted else {
                try await accounts.repositories.loginFailures.record(keys: [failureKey], at: at)
                let left = policy.attemptsPerSignIn - attempts
                if left <= 0 {
                    _ = try await repository.consumePending(tokenHash: hash)
                    try await audit(actor: nil, "second-factor.sign-in-dropped", user: user.id,
                                    detail: "\(policy.attemptsPerSignIn) wrong codes")
                }
                return .wrongCode(attemptsLeft: max(0, left))
            }
            guard try await repository.consumePending(tokenHash: hash) else { return .expired }
            if usedRecoveryCode {
                let left = try await repository.unusedRecoveryCodes(userID: user.id)
                try await audit(actor: user.id, "second-factor.recovery-code-used", user: user.id, detail: "\(left) left")
            }
            let key = pending.incidentKey.flatMap { try? IncidentCrypto.unwrap($0, sessionToken: token) }
            let session = try await accounts.startSession(for: user, incidentKey: key)
            return .signedIn(user, sessionToken: session, usedRecoveryCode: usedRecoveryCode)
        }
    }

    // MARK: Removal

    /// The user removes their own factor with a current code (or a recovery code). Only for roles
    /// that do not require one: for the others an administrator removes it, and they enrol again.
    public func removeOwn(user: User, code: String) async throws {
        guard !user.role.requiresSecondFactor else {
            throw DomainError.forbidden("Your role requires two-factor sign-in.")
        }
        try await accounts.repositories.audit.atomically { [self] in
            var accepted = false
            if let value = Self.sixDigits(code) {
                accepted = try await acceptTOTP(value, user: user)
            } else if let normalised = Self.normalisedRecoveryCode(code) {
                accepted = try await repository.useRecoveryCode(userID: user.id, hash: Self.recoveryDigest(normalised, userID: user.id), at: now())
            }
            guard accepted else { throw DomainError.invalid([Self.wrongCode]) }
            try await repository.remove(userID: user.id)
            try await audit(actor: user.id, "second-factor.removed", user: user.id, detail: "by the user")
        }
    }

    /// An administrator removes someone's factor (a lost phone and lost recovery codes): the
    /// person's sessions end, and a role that requires one must enrol again at the next sign-in.
    public func removeByAdministrator(userID: UserID, by actor: User) async throws {
        guard actor.role == .administrator else { throw DomainError.forbidden("Only an administrator may do this.") }
        guard actor.id != userID else {
            throw DomainError.conflict("You cannot remove your own second factor here; another administrator can.")
        }
        guard let target = try await accounts.repositories.users.user(id: userID) else { throw DomainError.notFound("User \(userID)") }
        guard try await repository.factor(userID: userID) != nil else { return }
        try await accounts.repositories.audit.atomically { [self] in
            try await repository.remove(userID: userID)
            try await accounts.repositories.sessions.deleteAll(userID: userID)
            try await audit(actor: actor.id, "second-factor.removed", user: target.id,
                            detail: "by administrator; role=\(target.role.rawValue)")
        }
    }

    // MARK: Codes

    /// Accepts a 6-digit code of the user's confirmed secret at the current step ±drift, once.
    func acceptTOTP(_ value: Int, user: User) async throws -> Bool {
        guard let factor = try await repository.factor(userID: user.id), factor.isConfirmed else { return false }
        let secret = try cipher.open(factor.sealedSecret, context: SecondFactor.sealContext(userID: user.id))
        for step in matchingSteps(secret: secret, value: value) where step > factor.lastStep {
            if try await repository.advanceStep(userID: user.id, to: step) { return true }
        }
        return false
    }

    /// The steps within the drift window whose code is `value`, oldest first.
    func matchingSteps(secret: String, value: Int) -> [Int64] {
        let current = policy.step(at: now())
        return ((current - policy.drift)...(current + policy.drift)).filter { algorithm.code(secret: secret, step: $0) == value }
    }

    static let wrongCode = FieldError(field: "code", messageKey: "error.otp.wrong",
                                      message: "is not the current code from your authenticator app")

    /// "123456" or "123 456" as a number; nil for anything else.
    static func sixDigits(_ text: String) -> Int? {
        let digits = text.filter { $0 != " " && $0 != "-" }
        guard digits.utf8.count == 6, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(digits)
    }

    /// Recovery codes are 16 characters of `recoveryAlphabet`, shown in groups of four; case, spaces
    /// and dashes do not matter.
    static let recoveryAlphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    static func newRecoveryCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<16).map { _ in recoveryAlphabet[Int.random(in: 0..<recoveryAlphabet.count, using: &generator)] }
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
    }

    static func normalisedRecoveryCode(_ text: String) -> String? {
        guard text.utf8.count <= 64 else { return nil }
        let compact = text.lowercased().filter { $0 != " " && $0 != "-" }
        guard compact.count == 16, compact.allSatisfy({ recoveryAlphabet.contains($0) }) else { return nil }
        return compact
    }

    static func recoveryDigest(_ code: String, userID: UserID) -> String {
        SecretToken.digest("recovery:\(userID):" + (normalisedRecoveryCode(code) ?? code))
    }

    /// 20 random bytes of 7 bits each (140 bits, above RFC 4226's 128-bit minimum), 32 characters in
    /// base32 — short enough to type. HummingbirdOTP takes the key as a String and uses its UTF-8
    /// bytes, so the bytes are kept in the ASCII range, where each is one UTF-8 byte.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let scalars = (0..<20).map { _ in Unicode.Scalar(UInt8.random(in: 0...127, using: &generator)) }
        return String(String.UnicodeScalarView(scalars))
    }

    // MARK: Key rotation

    /// Re-seals every stored secret from this service's key to `newCipher` (`otwarty keys
    /// rotate-otp`): each is opened with the current key and sealed again, bound to its user as
    /// before, in one transaction. Nobody enrols again and no code changes. Audited with the count.
    public func rotateKey(to newCipher: FieldCipher) async throws -> Int {
        let current = cipher
        return try await accounts.repositories.audit.atomically { [self] in
            let count = try await repository.resealSecrets { userID, sealed in
                let context = SecondFactor.sealContext(userID: userID)
                return try newCipher.seal(try current.open(sealed, context: context), context: context)
            }
            try await accounts.repositories.audit.record(AuditEntry(at: now(), actorUserID: nil, action: "two-factor.key-rotated",
                                                                    subject: "otp-key", detail: "\(count) secret(s) re-sealed"))
            return count
        }
    }

    func audit(actor: UserID?, _ action: String, user: UserID, detail: String = "") async throws {
        try await accounts.repositories.audit.record(AuditEntry(at: now(), actorUserID: actor, action: action,
                                                                subject: "user:\(user)", detail: detail))
    }
}

/// RFC 4648 base32, as authenticator apps take secrets.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func grouped(_ text: String, size: Int = 4) -> String {
        let characters = Array(text)
        return stride(from: 0, to: characters.count, by: size)
            .map { String(characters[$0..<min($0 + size, characters.count)]) }.joined(separator: " ")
    }
}

import Foundation

/// Account life-cycle: the first administrator's setup link, invitations, sign-in with throttling,
/// sessions, and disabling. Pure rules over the storage protocols; the clock is injected.
public struct AccountService: Sendable {
    public let repositories: Repositories
    public let hasher: any PasswordHasher
    public let passwordPolicy: PasswordPolicy
    public let sessionPolicy: SessionPolicy
    public let throttlePolicy: LoginThrottlePolicy
    /// The office clock: expiry, throttling windows and audit times read it.
    public let clock: OfficeClock
    /// Incident handlers' key pairs, unlocked by the password (`IncidentKeyService`); nil where no
    /// incident cases are kept (tests of accounts alone).
    public let keyCustody: (any HandlerKeyCustody)?

    public static let setupLinkLifetime: TimeInterval = 24 * 3600
    public static let invitationLifetime: TimeInterval = 7 * 24 * 3600
    /// Words a password must not be built on.
    public static let serviceWords = ["otwarty", "krakow", "kraków"]

    public init(repositories: Repositories, hasher: any PasswordHasher, passwordPolicy: PasswordPolicy,
                sessionPolicy: SessionPolicy = .init(), throttlePolicy: LoginThrottlePolicy = .init(),
                clock: OfficeClock = OfficeClock(), keyCustody: (any HandlerKeyCustody)? = nil) {
        self.keyCustody = keyCustody
        self.repositories = repositories
        self.hasher = hasher
        self.passwordPolicy = passwordPolicy
        self.sessionPolicy = sessionPolicy
        self.throttlePolicy = throttlePolicy
        self.clock = clock
    }

    // MARK: First administrator

    public func needsSetup() async throws -> Bool {
        try await repositories.users.countActive(role: .administrator) == 0
    }

    /// A fresh one-time setup token while no administrator exists (earlier links stop working); nil otherwise.
    public func issueSetupToken() async throws -> String? {
        guard try await needsSetup() else { return nil }
        let at = clock.now()
        try await repositories.accountTokens.revokeUnused(purpose: .setup, userID: nil, at: at)
        let token = SecretToken.generate()
        try await repositories.accountTokens.create(AccountToken(
            tokenHash: SecretToken.digest(token), purpose: .setup, userID: nil,
            expiresAt: at.addingTimeInterval(Self.setupLinkLifetime)))
        return token
    }

    public func isUsableSetupToken(_ token: String) async throws -> Bool {
        guard let stored = try await repositories.accountTokens.token(hash: SecretToken.digest(token)) else { return false }
        guard stored.purpose == .setup, stored.isUsable(at: clock.now()) else { return false }
        return try await needsSetup()
    }

    public func completeSetup(token: String, email: String, displayName: String, password: String) async throws -> User {
        guard try await isUsableSetupToken(token) else {
            throw DomainError.notFound("This setup link")
        }
        let fields = try validate(email: email, displayName: displayName, password: password)
        // Checked before the link is spent, so a taken address leaves the link usable for a retry.
        if try await repositories.users.user(email: fields.email) != nil {
            throw DomainError.conflict("The e-mail address \(fields.email) is already in use.")
        }
        let hash = try await hasher.hash(password)
        // bcrypt above, outside: the writes and their audit entries commit together or not at all
        // (`AuditLog.atomically`), in a transaction that does no slow work.
        return try await repositories.audit.atomically { [self] in
            guard try await repositories.accountTokens.consume(hash: SecretToken.digest(token), at: clock.now()) else {
                throw DomainError.notFound("This setup link")
            }
            let user = try await repositories.users.create(
                NewUser(email: fields.email, displayName: fields.displayName, role: .administrator,
                        organisationID: nil, passwordHash: hash), at: clock.now())
            try await audit(actor: user.id, "user.setup", subject: "user:\(user.id)", detail: "first administrator")
            return user
        }
    }

    // MARK: Creating users

    /// Creates a user without a password and returns the one-time link token they use to set one.
    ///
    /// An incident-handler account needs two people (`HandlerAccountService`): a signed-in `actor`
    /// gets one only through an `approvedRequest`. `actor == nil` is the operator on the command
    /// line, who has the database and the key anyway; that creation is recorded for the handlers too.
    public func invite(email: String, displayName: String, role: Role, organisationID: OrganisationID?,
                       by actor: UserID?, approvedRequest: Int64? = nil) async throws -> (user: User, token: String) {
        var firstCoordinator = false
        if HandlerAccountRequest.guardedRoles.contains(role), actor != nil, approvedRequest == nil {
            firstCoordinator = try await isFirstProgrammeCoordinator(role)
            if !firstCoordinator { throw Self.handlerNeedsTwoPeople }
        }
        var errors: [FieldError] = []
        let normalisedEmail = EmailAddress.normalised(email)
        if normalisedEmail == nil { errors.append(Self.invalidEmail) }
        let name = displayName.trimmingWhitespace()
        if name.isEmpty || name.count > 120 { errors.append(Self.invalidName) }
        errors += try await organisationErrors(role: role, organisationID: organisationID)
        guard errors.isEmpty, let normalisedEmail else { throw DomainError.invalid(errors) }
        let operatorActor = firstCoordinator ? actor : nil
        return try await repositories.audit.atomically { [self] in
            let user = try await repositories.users.create(
                NewUser(email: normalisedEmail, displayName: name, role: role, organisationID: role.requiresOrganisation ? organisationID : nil,
                        passwordHash: nil), at: clock.now())
            let token = try await makeInvitationToken(for: user)
            try await audit(actor: actor, "user.invited", subject: "user:\(user.id)",
                            detail: "role=\(role.rawValue)" + (approvedRequest.map { " request=\($0)" } ?? ""))
            if HandlerAccountRequest.guardedRoles.contains(role), approvedRequest == nil {
                try await recordOperatorHandlerChange(user, by: operatorActor)
            }
            return (user, token)
        }
    }

    /// A new password link for an existing user (earlier unused links stop working). Not for an
    /// incident handler: that needs two people (`HandlerAccountService.proposeNewPassword`).
    public func issueInvitation(for user: User) async throws -> String {
        if HandlerAccountRequest.guardedRoles.contains(user.role) { throw Self.handlerNeedsTwoPeople }
        return try await makeInvitationToken(for: user)
    }

    /// An administrator's new-password link for `userID`, with its audit entry.
    public func issuePasswordLink(userID: UserID, by actor: UserID?) async throws -> (user: User, token: String) {
        guard let user = try await repositories.users.user(id: userID) else { throw DomainError.notFound("User \(userID)") }
        if user.isDisabled { throw DomainError.conflict("Enable the account before issuing a link.") }
        return try await repositories.audit.atomically { [self] in
            let token = try await issueInvitation(for: user)
            try await audit(actor: actor, "user.link-issued", subject: "user:\(userID)")
            return (user, token)
        }
    }

    /// The link itself, without the two-person check (callers have made it).
    func makeInvitationToken(for user: User) async throws -> String {
        let at = clock.now()
        try await repositories.accountTokens.revokeUnused(purpose: .invitation, userID: user.id, at: at)
        let token = SecretToken.generate()
        try await repositories.accountTokens.create(AccountToken(
            tokenHash: SecretToken.digest(token), purpose: .invitation, userID: user.id,
            expiresAt: at.addingTimeInterval(Self.invitationLifetime)))
        return token
    }

    /// The invited user behind a usable invitation token.
    public func invitedUser(token: String) async throws -> User? {
        guard let stored = try await repositories.accountTokens.token(hash: SecretToken.digest(token)),
              stored.purpose == .invitation, stored.isUsable(at: clock.now()), let id = stored.userID,
              let user = try await repositories.users.user(id: id), !user.isDisabled
        else { return nil }
        return user
    }

    public func acceptInvitation(token: String, password: String) async throws -> User {
        guard let user = try await invitedUser(token: token) else { throw DomainError.notFound("This invitation link") }
        if let problem = passwordPolicy.problem(with: password, context: context(for: user.email)) {
            throw DomainError.invalid([Self.fieldError(for: problem)])
        }
        let hash = try await hasher.hash(password)
        try await repositories.audit.atomically { [self] in
            guard try await repositories.accountTokens.consume(hash: SecretToken.digest(token), at: clock.now()) else {
                throw DomainError.notFound("This invitation link")
            }
            try await repositories.users.setPasswordHash(hash, userID: user.id)
            try await repositories.sessions.deleteAll(userID: user.id)
            // A second step begun with the old password must not finish either (issue 14 F).
            try await repositories.secondFactors.deletePending(userID: user.id)
            try await audit(actor: user.id, "user.password-set", subject: "user:\(user.id)")
            // A new password ends what the old one gave: sessions above, API tokens here.
            try await revokeAPITokens(of: user.id, by: user.id, reason: "password reset")
        }
        // No old password, so no old key: a handler gets a new key pair that opens nothing until
        // granted. After the commit, in its own unit: scrypt takes ~0.2 s and must not hold the
        // writer's turn (SQLite) meanwhile.
        try await keyCustody?.passwordSet(user: user, password: password)
        var updated = user
        updated.passwordHash = hash
        return updated
    }

    /// For `otwarty user create --password-stdin`: a user who can sign in at once.
    public func createUser(email: String, displayName: String, role: Role, organisationID: OrganisationID?,
                           password: String) async throws -> User {
        let fields = try validate(email: email, displayName: displayName, password: password)
        let orgErrors = try await organisationErrors(role: role, organisationID: organisationID)
        if !orgErrors.isEmpty { throw DomainError.invalid(orgErrors) }
        let hash = try await hasher.hash(password)
        let user = try await repositories.audit.atomically { [self] in
            let user = try await repositories.users.create(
                NewUser(email: fields.email, displayName: fields.displayName, role: role,
                        organisationID: role.requiresOrganisation ? organisationID : nil, passwordHash: hash), at: clock.now())
            try await audit(actor: nil, "user.created", subject: "user:\(user.id)", detail: "role=\(role.rawValue)")
            if HandlerAccountRequest.guardedRoles.contains(role) { try await recordOperatorHandlerChange(user, by: nil) }
            return user
        }
        // The handler's key pair after the commit, in its own unit (scrypt is slow; see acceptInvitation).
        try await keyCustody?.passwordSet(user: user, password: password)
        return user
    }

    static let handlerNeedsTwoPeople = DomainError.forbidden(
        "Incident-handler and programme-coordinator accounts need the programme coordinator and an administrator together: propose the change for approval.")

    /// Whether an administrator alone may invite this account: only the very first programme
    /// coordinator (no coordinator account exists in any state), since nobody could approve it.
    public func isFirstProgrammeCoordinator(_ role: Role) async throws -> Bool {
        guard role == .programmeCoordinator else { return false }
        return try await !repositories.users.all().contains { $0.role == .programmeCoordinator }
    }

    /// An account under the two-person rule made without a second person — by the operator on the
    /// command line (`actor` nil) or the first coordinator by an administrator: recorded as decided
    /// and shown to every handler.
    func recordOperatorHandlerChange(_ user: User, by actor: UserID?) async throws {
        let at = clock.now()
        try await repositories.audit.atomically { [self] in
            let request = try await repositories.handlerAccountRequests.create(HandlerAccountRequest(
                id: 0, kind: .invitation, userID: user.id, email: user.email, displayName: user.displayName, role: user.role,
                previousRole: nil, requestedBy: actor, requestedAt: at, state: .approved, decidedBy: actor, decidedAt: at))
            try await audit(actor: actor, "handler-account.operator", subject: "user:\(user.id)",
                            detail: "request=\(request.id) kind=invitation role=\(user.role.rawValue) "
                                + (actor == nil ? "(command line)" : "(first programme coordinator)"))
        }
    }

    /// Moves an account into or out of the incident-handler role after an approved two-person
    /// request; ends the account's sessions so the new role applies at once.
    func changeRole(userID: UserID, to role: Role, approvedRequest: Int64, by actor: UserID) async throws {
        guard let user = try await repositories.users.user(id: userID) else { throw DomainError.notFound("User \(userID)") }
        // The role, the sessions, the key grants (database writes only, no key derivation) and
        // their audit entries commit together or not at all.
        try await repositories.audit.atomically { [self] in
            try await repositories.users.setRole(role, userID: userID)
            try await repositories.sessions.deleteAll(userID: userID)
            if !IncidentService.handlers.contains(role) { try await keyCustody?.roleLeft(userID: userID, by: actor) }
            try await audit(actor: actor, "user.role-changed", subject: "user:\(userID)",
                            detail: "from=\(user.role.rawValue) to=\(role.rawValue) request=\(approvedRequest)")
        }
    }

    // MARK: Disabling

    public func setDisabled(_ disabled: Bool, userID: UserID, by actor: UserID?) async throws {
        guard let user = try await repositories.users.user(id: userID) else { throw DomainError.notFound("User \(userID)") }
        if disabled {
            if actor == userID { throw DomainError.conflict("You cannot disable your own account.") }
            if user.role == .administrator, !user.isDisabled,
               try await repositories.users.countActive(role: .administrator) <= 1 {
                throw DomainError.conflict("The last active administrator cannot be disabled.")
            }
        }
        // Disabling ends the sessions, key grants and API tokens in the same transaction as the
        // flag and the audit entries: all of it or none (`AuditLog.atomically`).
        try await repositories.audit.atomically { [self] in
            try await repositories.users.setDisabled(disabled, userID: userID)
            if disabled { try await repositories.sessions.deleteAll(userID: userID) }
            try await audit(actor: actor, disabled ? "user.disabled" : "user.enabled", subject: "user:\(userID)")
            if disabled { try await keyCustody?.accountDisabled(userID: userID, by: actor) }
            // Enabling the account again does not bring its API tokens back.
            if disabled { try await revokeAPITokens(of: userID, by: actor, reason: "account disabled") }
        }
    }

    // MARK: Signing in

    public enum SignInResult: Sendable, Equatable {
        case signedIn(User, sessionToken: String)
        /// The password was right and the user has a second factor: the code comes next, with this
        /// token (a cookie) naming the pending sign-in (`TwoFactorService.completeSignIn`).
        case secondFactorRequired(User, pendingToken: String)
        case invalidCredentials
        /// Too many recent failures; try again after this many seconds.
        case throttled(retryAfter: Int)
    }

    /// Checks the password and starts a session. The same answer is given for an unknown e-mail,
    /// a wrong password and a disabled account, so sign-in reveals nothing about accounts.
    public func signIn(email rawEmail: String, password: String, client: String) async throws -> SignInResult {
        let at = clock.now()
        let email = rawEmail.trimmingWhitespace().lowercased()
        let accountKey = ThrottleKey.account(email), clientKey = ThrottleKey.client(client)
        // The attempt is counted (as a failure) before bcrypt runs, atomically with the check.
        let policy = throttlePolicy
        let reservation = try await repositories.loginFailures.reserveAttempt(
            account: accountKey, client: clientKey, at: at, windowStart: at.addingTimeInterval(-policy.window),
            memoryStart: at.addingTimeInterval(-policy.memory), decide: { policy.retryAfter($0, now: at) })
        if case let .refused(retryAfter) = reservation { return .throttled(retryAfter: retryAfter) }
        let user = try await repositories.users.user(email: email)
        let matches: Bool
        if let hash = user?.passwordHash {
            matches = try await hasher.verify(password, hash: hash)
        } else {
            // No account (or no password yet): spend the same work as a check, so timing tells nothing.
            _ = try await hasher.hash(password)
            matches = false
        }
        // A wrong password leaves the reservation as the failure it already is.
        guard matches, let user, user.canSignIn else { return .invalidCredentials }
        try await repositories.loginFailures.releaseAttempts(account: accountKey, client: clientKey)
        let key = try await keyCustody?.unlock(user: user, password: password)
        return try await passwordAccepted(user, incidentKey: key)
    }

    /// A new session with a new id: ids are never reused across sign-ins (no session fixation).
    /// The caller vouches that every factor the user needs was checked (`passwordAccepted`, or the
    /// second step); `enrolmentOnly` sessions reach only the second-factor enrolment and sign-out.
    /// `incidentKey` (a handler's, unlocked by the password) is kept sealed under the new token.
    public func startSession(for user: User, enrolmentOnly: Bool = false, incidentKey: HandlerPrivateKey? = nil) async throws -> String {
        let at = clock.now()
        let token = SecretToken.generate()
        let session = Session(
            tokenHash: SecretToken.digest(token), userID: user.id, csrfToken: SecretToken.generate(),
            createdAt: at, lastSeenAt: at, enrolmentOnly: enrolmentOnly,
            incidentKey: try incidentKey.map { try IncidentCrypto.wrap($0, sessionToken: token) })
        try await repositories.audit.atomically { [self] in
            try await repositories.sessions.create(session)
            try await audit(actor: user.id, "session.started", subject: "user:\(user.id)")
        }
        return token
    }

    /// The live session and its enabled user for a cookie token, refreshing its idle clock.
    public func resolveSession(token: String) async throws -> (Session, User)? {
        let hash = SecretToken.digest(token)
        guard let session = try await repositories.sessions.session(tokenHash: hash) else { return nil }
        let at = clock.now()
        if sessionPolicy.isExpired(session, now: at) {
            try await repositories.sessions.delete(tokenHash: hash)
            return nil
        }
        guard let user = try await repositories.users.user(id: session.userID), !user.isDisabled else {
            try await repositories.sessions.delete(tokenHash: hash)
            return nil
        }
        if sessionPolicy.needsTouch(session, now: at) {
            try await repositories.sessions.touch(tokenHash: hash, at: at)
        }
        return (session, user)
    }

    public func endSession(token: String) async throws {
        try await repositories.sessions.delete(tokenHash: SecretToken.digest(token))
    }

    /// Housekeeping: expired sessions and old throttle entries.
    public func purgeExpired() async throws {
        let at = clock.now()
        _ = try await repositories.sessions.deleteExpired(
            idleBefore: at.addingTimeInterval(-sessionPolicy.idleTimeout),
            createdBefore: at.addingTimeInterval(-sessionPolicy.absoluteTimeout))
        try await repositories.loginFailures.purge(before: at.addingTimeInterval(-throttlePolicy.window))
        try await repositories.loginFailures.purgeAttempts(before: at.addingTimeInterval(-throttlePolicy.memory))
        try await repositories.secondFactors.purgePending(before: at)
    }

    // MARK: Validation

    /// The problems of the first administrator's fields, storing nothing: the set-password form
    /// reports them in the same round as its own check (the two passwords differ).
    public func setupProblems(email: String, displayName: String, password: String) -> [FieldError] {
        do {
            _ = try validate(email: email, displayName: displayName, password: password)
            return []
        } catch let DomainError.invalid(errors) {
            return errors
        } catch {
            return []
        }
    }

    /// The problems of a person's address and name, storing nothing: the invitation form reports
    /// them together with a role that was not chosen.
    public static func identityProblems(email: String, displayName: String) -> [FieldError] {
        var errors: [FieldError] = []
        if EmailAddress.normalised(email) == nil { errors.append(invalidEmail) }
        let name = displayName.trimmingWhitespace()
        if name.isEmpty || name.count > 120 { errors.append(invalidName) }
        return errors
    }

    /// The problem of an invited person's new password, storing nothing (as `setupProblems`).
    public func passwordProblems(email: String, password: String) -> [FieldError] {
        passwordPolicy.problem(with: password, context: context(for: email)).map { [Self.fieldError(for: $0)] } ?? []
    }

    func validate(email: String, displayName: String, password: String) throws -> (email: String, displayName: String) {
        var errors: [FieldError] = []
        let normalisedEmail = EmailAddress.normalised(email)
        if normalisedEmail == nil { errors.append(Self.invalidEmail) }
        let name = displayName.trimmingWhitespace()
        if name.isEmpty || name.count > 120 { errors.append(Self.invalidName) }
        if let problem = passwordPolicy.problem(with: password, context: context(for: normalisedEmail ?? email)) {
            errors.append(Self.fieldError(for: problem))
        }
        guard errors.isEmpty, let normalisedEmail else { throw DomainError.invalid(errors) }
        return (normalisedEmail, name)
    }

    func organisationErrors(role: Role, organisationID: OrganisationID?) async throws -> [FieldError] {
        guard role.requiresOrganisation else { return [] }
        guard let organisationID, try await repositories.organisations.organisation(id: organisationID) != nil else {
            return [FieldError(field: "organisation", messageKey: "error.organisation.required",
                               message: "a \(role.rawValue) must belong to an existing organisation")]
        }
        return []
    }

    func context(for email: String) -> [String] {
        let local = email.split(separator: "@").first.map(String.init) ?? email
        return [email, local] + Self.serviceWords
    }

    static let invalidEmail = FieldError(field: "email", messageKey: "error.email.invalid",
                                         message: "is not a valid e-mail address")
    static let invalidName = FieldError(field: "displayName", messageKey: "error.name.invalid",
                                        message: "must be 1–120 characters")

    public static func fieldError(for problem: PasswordPolicy.Problem) -> FieldError {
        switch problem {
        case let .tooShort(minimum):
            return FieldError(field: "password", messageKey: "error.password.too-short",
                              message: "must be at least \(minimum) characters")
        case let .tooLong(maximum):
            return FieldError(field: "password", messageKey: "error.password.too-long",
                              message: "must be at most \(maximum) bytes")
        case .common:
            return FieldError(field: "password", messageKey: "error.password.common",
                              message: "is too common or too easy to guess")
        case .containsContext:
            return FieldError(field: "password", messageKey: "error.password.context",
                              message: "must not be built on your e-mail address or the service's name")
        }
    }

    func audit(actor: UserID?, _ action: String, subject: String, detail: String = "") async throws {
        try await repositories.audit.record(AuditEntry(at: clock.now(), actorUserID: actor, action: action,
                                                       subject: subject, detail: detail))
    }
}

import Foundation

extension AccountService {
    /// The answer to a signed-in user's own password change (`changePassword`).
    public enum PasswordChange: Sendable, Equatable {
        /// The password is changed and every session of the account ended; this token names the
        /// one new session that replaces the one the change was made in (the browser's new cookie).
        case changed(User, sessionToken: String)
        /// Too many wrong passwords for this account from this client (the sign-in throttle's
        /// counts: a wrong current password here is a failed sign-in there); try after this many seconds.
        case throttled(retryAfter: Int)
    }

    /// A signed-in user changes their own password, giving the current one.
    ///
    /// - The form's own problems (an empty current password, the new one against the password
    ///   policy, the repetition, the new one equal to the current) are named first, without checking
    ///   the current password, so they cost no attempt.
    /// - The current password is then checked like a sign-in: the attempt is reserved in the sign-in
    ///   throttle for (this account, this client) before bcrypt runs, so a stolen session cannot try
    ///   passwords faster than the sign-in form allows; a wrong one stays counted as a failed sign-in.
    /// - A right one: the new hash is stored; a handler's private key is re-wrapped under the new
    ///   password (the same key pair, so every grant stays valid — `HandlerKeyCustody.passwordChanged`);
    ///   EVERY session of the account ends, the one the change was made in included (and every pending
    ///   sign-in waiting for its second-factor code), and a new session
    ///   is started carrying the handler's key (a new session id after a change of credentials, as after
    ///   sign-in — no fixation, and a copy of the old cookie opens nothing any more); API tokens are
    ///   revoked as after a password set through a link ("a new password ends what the old one gave").
    ///
    /// The new session has the same standing as `session`, the one the change was made in (an
    /// enrolment-only session stays one; the web never lets one reach the change page anyway).
    public func changePassword(user: User, currentPassword: String, newPassword: String, confirmation: String,
                               client: String, session: Session) async throws -> PasswordChange {
        guard session.userID == user.id else { throw DomainError.forbidden("This session belongs to another account.") }
        var errors: [FieldError] = []
        if currentPassword.isEmpty { errors.append(Self.currentPasswordMissing) }
        if let problem = passwordPolicy.problem(with: newPassword, context: context(for: user.email)) {
            errors.append(Self.fieldError(for: problem))
        } else if !currentPassword.isEmpty, newPassword == currentPassword {
            errors.append(Self.newPasswordUnchanged)
        }
        if newPassword != confirmation {
            errors.append(FieldError(field: "passwordConfirmation", messageKey: "error.password.mismatch",
                                     message: "does not match the password"))
        }
        if !errors.isEmpty { throw DomainError.invalid(errors) }

        let at = clock.now()
        let accountKey = ThrottleKey.account(user.email), clientKey = ThrottleKey.client(client)
        let policy = throttlePolicy
        let reservation = try await repositories.loginFailures.reserveAttempt(
            account: accountKey, client: clientKey, at: at, windowStart: at.addingTimeInterval(-policy.window),
            memoryStart: at.addingTimeInterval(-policy.memory), decide: { policy.retryAfter($0, now: at) })
        if case let .refused(retryAfter) = reservation {
            try await audit(actor: user.id, "user.password-change-throttled", subject: "user:\(user.id)")
            return .throttled(retryAfter: retryAfter)
        }
        // The account is read again: the caller's copy comes from the session and could be stale.
        guard let stored = try await repositories.users.user(id: user.id), stored.canSignIn, let oldHash = stored.passwordHash,
              try await hasher.verify(currentPassword, hash: oldHash)
        else {
            // The reservation stays as the failure it already is.
            try await audit(actor: user.id, "user.password-change-refused", subject: "user:\(user.id)",
                            detail: "wrong current password")
            throw DomainError.invalid([Self.currentPasswordWrong])
        }
        try await repositories.loginFailures.releaseAttempts(account: accountKey, client: clientKey)

        let hash = try await hasher.hash(newPassword)
        // The new hash, the end of what the old password gave and their audit entries commit
        // together or not at all (`AuditLog.atomically`); bcrypt above and scrypt below run
        // outside the transaction, so it holds no writer's turn through slow work.
        try await repositories.audit.atomically { [self] in
            try await repositories.users.setPasswordHash(hash, userID: stored.id)
            try await audit(actor: stored.id, "user.password-changed", subject: "user:\(stored.id)")
            try await repositories.sessions.deleteAll(userID: stored.id)
            // A second step begun with the old password (password given, code not yet) ends too.
            try await repositories.secondFactors.deletePending(userID: stored.id)
            try await revokeAPITokens(of: stored.id, by: stored.id, reason: "password changed")
        }
        // The old password opens the handler's key; it is wrapped again under the new one.
        let incidentKey = try await keyCustody?.passwordChanged(user: stored, oldPassword: currentPassword, newPassword: newPassword)
        let token = try await startSession(for: stored, enrolmentOnly: session.enrolmentOnly, incidentKey: incidentKey)
        var updated = stored
        updated.passwordHash = hash
        return .changed(updated, sessionToken: token)
    }

    static let currentPasswordMissing = FieldError(field: "currentPassword", messageKey: "error.current-password.missing",
                                                   message: "enter your current password")
    static let currentPasswordWrong = FieldError(field: "currentPassword", messageKey: "error.current-password.wrong",
                                                 message: "is not your current password")
    static let newPasswordUnchanged = FieldError(field: "password", messageKey: "error.password.unchanged",
                                                 message: "must differ from your current password")
}

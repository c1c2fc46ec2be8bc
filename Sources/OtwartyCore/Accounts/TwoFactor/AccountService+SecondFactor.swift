import Foundation

extension AccountService {
    /// What follows a right password (at sign-in, and after setting one through a setup or
    /// invitation link, so a new-password link never skips the second factor):
    /// - an enrolled user gets a pending sign-in (`PendingSignIn`) and must give a code next;
    /// - a role that requires a second factor but has none gets an enrolment-only session, which
    ///   reaches nothing but the enrolment page and sign-out;
    /// - anyone else gets a session.
    ///
    /// `incidentKey` is the handler's private key the password just unlocked: it travels to the
    /// session (through the pending sign-in) sealed under each cookie's token.
    public func passwordAccepted(_ user: User, incidentKey: HandlerPrivateKey? = nil) async throws -> SignInResult {
        let factor = try await repositories.secondFactors.factor(userID: user.id)
        if factor?.isConfirmed == true {
            let token = SecretToken.generate()
            try await repositories.secondFactors.createPending(PendingSignIn(
                tokenHash: SecretToken.digest(token), userID: user.id,
                expiresAt: clock.now().addingTimeInterval(TwoFactorPolicy().pendingLifetime),
                incidentKey: try incidentKey.map { try IncidentCrypto.wrap($0, sessionToken: token) }))
            return .secondFactorRequired(user, pendingToken: token)
        }
        let token = try await startSession(for: user, enrolmentOnly: user.role.requiresSecondFactor, incidentKey: incidentKey)
        return .signedIn(user, sessionToken: token)
    }
}

import Foundation

extension AccountService {
    /// What follows a right password (at sign-in, and after setting one through a setup or
    /// invitation link, so a new-password link never skips the second factor):
    /// - an enrolled user gets a pending sign-in (`PendingSignIn`) and must give a code next;
    /// - a role that requires a second factor but has none gets an enrolment-only session, which
    ///   reaches nothing but the enrolment page and sign-out;
    /// - anyone else gets a session.
    public func passwordAccepted(_ user: User) async throws -> SignInResult {
        let factor = try await repositories.secondFactors.factor(userID: user.id)
        if factor?.isConfirmed == true {
            let token = SecretToken.generate()
            try await repositories.secondFactors.createPending(PendingSignIn(
                tokenHash: SecretToken.digest(token), userID: user.id,
                expiresAt: clock.now().addingTimeInterval(TwoFactorPolicy().pendingLifetime)))
            return .secondFactorRequired(user, pendingToken: token)
        }
        let token = try await startSession(for: user, enrolmentOnly: user.role.requiresSecondFactor)
        return .signedIn(user, sessionToken: token)
    }
}

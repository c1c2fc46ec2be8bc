import Foundation

extension IncidentKeyService {
    /// A disabled account keeps no access: every live grant to its key is revoked ("account
    /// disabled") and it leaves the upgrade's waiting list. Disabling is how a handler who left is
    /// removed, and their password with a later copy of the database must open nothing; if the
    /// account is enabled again, a handler who can read a case grants it anew.
    public func accountDisabled(userID: UserID, by actor: UserID?) async throws {
        let at = clock.now()
        // The revocations and their audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            let revoked = try await keys.revoke(recipient: .user(userID), incidentID: nil, by: actor, at: at, because: "account disabled")
            try await keys.removeMigrationPending(userID: userID)
            if revoked > 0 {
                try await audit.record(AuditEntry(at: at, actorUserID: actor, action: "incident.access-revoked", subject: "user:\(userID)",
                                                  detail: "\(revoked) case(s): account disabled"))
            }
        }
    }
}

import Foundation
import Hummingbird
import OtwartyCore

/// Who may read a case (issue 14, docs/incidents.md "Keys"): the case page's notice when this
/// handler's key does not open the case, and its access section — who holds or held access, and,
/// for a handler who can read the case, granting it to another handler and revoking it.
///
/// Granting seals the case's content key to the other handler's public key; revoking deletes
/// their envelope. Both are done by `IncidentKeyService`, which checks that the one asking can
/// read the case and writes the audit entry; both redirect to the case with a banner. Revoking is
/// not confirmed first: granting again undoes it (docs/design.md, "Confirming permanent actions").
extension IncidentCasesController {
    /// The notice on a locked case, naming the handlers who can read it (the ones to ask; a
    /// disabled account cannot sign in to grant, so it is not named).
    func locked(_ c: IncidentCase, _ list: IncidentKeyService.AccessList, users: [UserID: String],
                disabled: Set<UserID>) -> IncidentCaseShow.Locked? {
        guard case let .locked(reason) = c.access else { return nil }
        let readers = list.grants.filter(\.isLive).compactMap { grant -> String? in
            guard case let .user(id) = grant.recipient, !disabled.contains(id) else { return nil }
            return users[id]
        }
        return .init(notGranted: reason == .notGranted, signInAgain: reason == .signInAgain, readers: readers, hasReaders: !readers.isEmpty)
    }

    /// The access section: every grant, live first (oldest first), then revoked ones; the forms only
    /// for a handler who can read the case, and never on a purged case (its keys are gone).
    func access(_ c: IncidentCase, id: IncidentID, _ list: IncidentKeyService.AccessList, users: [UserID: String],
                language: String, chosen: String, userError: String?) -> IncidentCaseShow.Access {
        let format = Formatting(language: language)
        func t(_ key: String) -> String { localiser.text(key, language) }
        func who(_ user: UserID?) -> String {
            guard let user else { return t("incident.access.system") }
            return users[user] ?? "#\(user)"
        }
        let canManage = c.access == .readable && c.purgedOn == nil
        let liveHandlers = list.grants.filter { if case .user = $0.recipient { $0.isLive } else { false } }
        // The last handler who can read the case cannot lose access: no button is offered for it.
        let mayRevoke = canManage && liveHandlers.count > 1
        let ordered = list.grants.filter(\.isLive) + list.grants.filter { !$0.isLive }
        let rows = ordered.map { grant -> IncidentCaseShow.AccessRow in
            let person: String
            var revokeUser: String?
            switch grant.recipient {
            case let .user(userID):
                person = users[userID] ?? "#\(userID)"
                if mayRevoke, grant.isLive { revokeUser = String(userID) }
            case .recovery: person = t("incident.access.recovery-key")
            case .server: person = t("incident.access.server-key")
            }
            var revoked: String?
            if !grant.isLive {
                revoked = [who(grant.revokedBy), grant.revokedAt.map { format.timestamp($0, in: dependencies.clock) }]
                    .compactMap { $0 }.joined(separator: ", ")
                    + (grant.revokedBecause.map { " — \(reason($0, language))" } ?? "")
            }
            return .init(person: person, isLive: grant.isLive,
                         granted: "\(who(grant.grantedBy)), \(format.timestamp(grant.grantedAt, in: dependencies.clock))",
                         revoked: revoked, revokeUser: revokeUser)
        }
        let withoutKeys = list.withoutKeys.map(Self.person)
        return .init(
            rows: rows, hasRows: !rows.isEmpty, canManage: canManage, isPurged: c.purgedOn != nil,
            grantAction: SiteURL.incidentAccessGrant(id).path(language), revokeAction: SiteURL.incidentAccessRevoke(id).path(language),
            grantable: [.init(value: "", label: t("incident.access.choose"), selected: chosen.isEmpty)]
                + list.grantable.map { .init(value: String($0.id), label: Self.person($0), selected: String($0.id) == chosen) },
            hasGrantable: !list.grantable.isEmpty, userError: userError,
            withoutKeys: withoutKeys, hasWithoutKeys: !withoutKeys.isEmpty)
    }

    /// "Name (address)": how the access section names a person.
    static func person(_ user: User) -> String { "\(user.displayName) (\(user.email))" }

    /// Why a grant was revoked, in the page's language (the stored reason is the audit's English).
    func reason(_ stored: String, _ language: String) -> String {
        let key: String? = switch stored {
        case "revoked": "incident.access.because.revoked"
        case "password reset": "incident.access.because.password-reset"
        case "role changed": "incident.access.because.role-changed"
        case "account disabled": "incident.access.because.account-disabled"
        case "lost": "incident.access.because.lost"
        case "replaced": "incident.access.because.replaced"
        case "key did not open with the password", "key did not open with the old password": "incident.access.because.key-replaced"
        default: nil
        }
        return key.map { localiser.text($0, language) } ?? stored
    }

    func grant(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        guard let target = context.form.id("user") else {
            return try await show(context, id: id, errors: [FieldError(field: "user", messageKey: "error.incident.grant-user",
                                                                       message: "choose a handler")])
        }
        do {
            try await incidents.keys.grant(incidentID: id, to: target, by: try user(context), key: key(context))
        } catch let DomainError.invalid(problems) {
            return try await show(context, id: id, errors: problems)
        } catch DomainError.conflict {
            // The case's texts (and keys) were removed under the retention rule meanwhile.
            return try await show(context, id: id, errors: [FieldError(field: "user", messageKey: "error.incident.access-purged",
                                                                       message: "the case's texts were removed")], status: .conflict)
        }
        return try done(context, id: id, .incidentAccessGranted)
    }

    func revoke(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        // A revoke form's only field is hidden: its errors name the access section.
        func refused(_ messageKey: String, status: HTTPResponse.Status? = nil) async throws -> Response {
            try await show(context, id: id, errors: [FieldError(field: "revoke", messageKey: messageKey, message: messageKey)], status: status)
        }
        guard let target = context.form.id("user") else { return try await refused("error.incident.revoke-user") }
        do {
            try await incidents.keys.revoke(incidentID: id, from: target, by: try user(context), key: key(context))
        } catch DomainError.invalid {
            return try await refused("error.incident.revoke-user")
        } catch DomainError.conflict {
            return try await refused("error.incident.revoke-last", status: .conflict)
        }
        return try done(context, id: id, .incidentAccessRevoked)
    }
}

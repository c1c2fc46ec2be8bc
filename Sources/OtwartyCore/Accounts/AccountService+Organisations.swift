import Foundation

extension AccountService {
    /// The longest organisation name accepted.
    public static let maxOrganisationNameLength = 200

    /// Creates an organisation people can then be bound to: administrators on the users page,
    /// operators with `otwarty user create --organisation NAME --organisation-kind KIND`. Throws
    /// `invalid` (field `organisationName`) for an empty name or one over 200 characters, and
    /// `conflict` when an organisation of that name exists.
    public func createOrganisation(name: String, kind: OrganisationKind, by actor: UserID?) async throws -> Organisation {
        guard !name.isEmpty, name.count <= Self.maxOrganisationNameLength else {
            throw DomainError.invalid([FieldError(field: "organisationName", messageKey: "error.organisation.invalid",
                                                  message: "give a name of at most \(Self.maxOrganisationNameLength) characters")])
        }
        // The organisation and its audit entry commit together or not at all (`AuditLog.atomically`).
        return try await repositories.audit.atomically { [self] in
            let organisation = try await repositories.organisations.create(name: name, kind: kind)
            try await audit(actor: actor, "organisation.created", subject: "organisation:\(organisation.id)")
            return organisation
        }
    }
}

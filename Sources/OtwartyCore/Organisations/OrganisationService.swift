import Foundation

/// A cooperation coordinator as entered on an organisation's page: every field as typed, dates
/// as `YYYY-MM-DD` or empty.
public struct CoordinatorInput: Hashable, Sendable {
    public var name: String
    public var function: String
    public var email: String
    public var phone: String
    public var validFrom: String
    public var validUntil: String

    public init(name: String, function: String = "", email: String = "", phone: String = "", validFrom: String = "",
                validUntil: String = "") {
        self.name = name
        self.function = function
        self.email = email
        self.phone = phone
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// Writes to the organisation directory: the contact base of cooperation coordinators (§ 6 ust. 3,
/// task 2.3). Each addition is checked here (problems as `DomainError.invalid`, each naming its
/// field) and audited as `coordinator.added`.
public struct OrganisationService: Sendable {
    public let organisations: any OrganisationRepository
    public let coordinators: any CoordinatorRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(organisations: any OrganisationRepository, coordinators: any CoordinatorRepository, audit: any AuditLog,
                clock: OfficeClock = OfficeClock()) {
        self.organisations = organisations
        self.coordinators = coordinators
        self.audit = audit
        self.clock = clock
    }

    public static let maxNameLength = 200

    /// Adds a coordinator to organisation `organisationID` (`notFound` when there is none), with the
    /// e-mail address in its normalised form.
    @discardableResult
    public func addCoordinator(_ input: CoordinatorInput, to organisationID: OrganisationID,
                               by actor: UserID?) async throws -> CooperationCoordinator {
        guard try await organisations.organisation(id: organisationID) != nil else {
            throw DomainError.notFound("Organisation \(organisationID)")
        }
        var errors: [FieldError] = []
        if input.name.isEmpty || input.name.count > Self.maxNameLength {
            errors.append(FieldError(field: "name", messageKey: "error.name.invalid", message: "must be 1–\(Self.maxNameLength) characters"))
        }
        let email = EmailAddress.normalised(input.email)
        if !input.email.isEmpty, email == nil {
            errors.append(FieldError(field: "email", messageKey: "error.email.invalid", message: "is not a valid e-mail address"))
        }
        let from = input.validFrom.isEmpty ? nil : CalendarDate(iso: input.validFrom)
        let until = input.validUntil.isEmpty ? nil : CalendarDate(iso: input.validUntil)
        // Each date that cannot be read is named on its own field.
        if !input.validFrom.isEmpty && from == nil {
            errors.append(FieldError(field: "validFrom", messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)"))
        }
        if !input.validUntil.isEmpty && until == nil {
            errors.append(FieldError(field: "validUntil", messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)"))
        } else if let from, let until, until < from {
            errors.append(FieldError(field: "validUntil", messageKey: "error.activity.end-date",
                                     message: "the end \(until) is before the start \(from)"))
        }
        guard errors.isEmpty else { throw DomainError.invalid(errors) }
        let new = CooperationCoordinator(
            id: 0, organisationID: organisationID, name: input.name, function: input.function, email: email ?? "",
            phone: input.phone, validFrom: from, validUntil: until)
        // The coordinator and its audit entry commit together or not at all (`AuditLog.atomically`).
        return try await audit.atomically { [self] in
            let coordinator = try await coordinators.add(new)
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: actor, action: "coordinator.added",
                                              subject: "organisation:\(organisationID)", detail: "coordinator:\(coordinator.id)"))
            return coordinator
        }
    }
}

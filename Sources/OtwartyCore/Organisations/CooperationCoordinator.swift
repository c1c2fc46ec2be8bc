/// A unit's cooperation coordinator (§ 6 ust. 3), the contact base task 2.3 produces.
/// Contact data is for staff roles only and never public.
public struct CooperationCoordinator: Hashable, Sendable {
    public var id: Int64
    public var organisationID: OrganisationID
    public var name: String
    public var function: String
    public var email: String
    public var phone: String
    public var validFrom: CalendarDate?
    public var validUntil: CalendarDate?

    public init(id: Int64, organisationID: OrganisationID, name: String, function: String = "", email: String = "",
                phone: String = "", validFrom: CalendarDate? = nil, validUntil: CalendarDate? = nil) {
        self.id = id
        self.organisationID = organisationID
        self.name = name
        self.function = function
        self.email = email
        self.phone = phone
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    public func isCurrent(on day: CalendarDate) -> Bool {
        (validFrom.map { $0 <= day } ?? true) && (validUntil.map { day <= $0 } ?? true)
    }
}

public protocol CoordinatorRepository: Sendable {
    func add(_ coordinator: CooperationCoordinator) async throws -> CooperationCoordinator
    func coordinators(organisationID: OrganisationID?) async throws -> [CooperationCoordinator]
}

/// What a signed-in person may do. Unit coordinators and partners are bound to one organisation.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
    case administrator
    case programmeCoordinator = "programme-coordinator"
    case unitCoordinator = "unit-coordinator"
    case partner
    case viewer
    /// Works on reports of racist and xenophobic incidents (Goal 6); sees nothing of other roles' work beyond read access.
    case incidentHandler = "incident-handler"

    /// Whether accounts of this role must name the organisation they act for.
    public var requiresOrganisation: Bool {
        self == .unitCoordinator || self == .partner
    }

    /// Staff of the programme office and the city, who may see contact data and drafts.
    public static let staff: Set<Role> = [.administrator, .programmeCoordinator, .unitCoordinator]
    /// Everyone who can sign in.
    public static let signedIn: Set<Role> = Set(Role.allCases)
}

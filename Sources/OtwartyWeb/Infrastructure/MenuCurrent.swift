/// Which item of the signed-in menus the page belongs to, for `aria-current` in layout.mustache:
/// `"page"` on the item's own page, `"true"` on a page inside its part of the site (a record under
/// Activities, a report year under Reports), nil elsewhere. Worked out from the page's address, so
/// a new page under an existing part is marked without being listed here.
public struct MenuCurrent: Sendable, Equatable {
    public var dashboard: String?
    public var activities: String?
    public var review: String?
    public var organisations: String?
    public var reference: String?
    public var reports: String?
    public var managePublic: String?
    /// Dialogue bodies and the assistants' contact base (issue 13 D).
    public var registers: String?
    public var incidents: String?
    public var users: String?
    public var handlerAccounts: String?
    public var twoFactor: String?
    /// The account's password change (issue 14 F).
    public var password: String?

    public init() {}

    /// The menu item whose part of the site holds `url`, keyed by the property it sets.
    enum Item: CaseIterable {
        case dashboard, activities, review, organisations, reference, reports, managePublic, incidents, registers
        case users, handlerAccounts, twoFactor, password

        /// The page the item links to.
        var page: SiteURL {
            switch self {
            case .dashboard: return .dashboard
            case .activities: return .activities
            case .review: return .review
            case .organisations: return .organisations
            case .reference: return .referenceStatistics
            case .reports: return .reports
            case .managePublic: return .manageDocuments
            case .registers: return .manageDialogueBodies
            case .incidents: return .incidents
            case .users: return .adminUsers
            case .handlerAccounts: return .handlerAccountRequests
            case .twoFactor: return .twoFactor
            case .password: return .accountPassword
            }
        }

        /// The item for a page, from the literal start of its address. The import and the CSV
        /// exports belong to Activities; the budget to Reports (it is part of the annual report);
        /// the conflict-risk analysis to Incidents; every /manage page to the public-side item.
        init?(_ url: SiteURL) {
            let literals = url.route.prefix { if case .literal = $0 { true } else { false } }
                .map { segment -> String in if case let .literal(text) = segment { text } else { "" } }
            switch (literals.first, literals.dropFirst().first) {
            case ("dashboard", _): self = .dashboard
            case ("activities", _), ("import", _), ("exports", _): self = .activities
            case ("review", _): self = .review
            case ("organisations", _), ("admin", "organisations"): self = .organisations
            case ("reference-statistics", _): self = .reference
            case ("reports", _), ("budget", _): self = .reports
            case ("manage", "dialogue-bodies"), ("manage", "assistants"): self = .registers
            case ("manage", _): self = .managePublic
            case ("incidents", _), ("conflict-risk", _): self = .incidents
            case ("admin", "users"): self = .users
            case ("admin", "handler-accounts"), ("account", "handler-changes"): self = .handlerAccounts
            case ("account", "two-factor"): self = .twoFactor
            case ("account", "password"): self = .password
            default: return nil
            }
        }
    }

    public init(url: SiteURL?) {
        guard let url, let item = Item(url) else { return }
        let value = url == item.page ? "page" : "true"
        switch item {
        case .dashboard: dashboard = value
        case .activities: activities = value
        case .review: review = value
        case .organisations: organisations = value
        case .reference: reference = value
        case .reports: reports = value
        case .managePublic: managePublic = value
        case .registers: registers = value
        case .incidents: incidents = value
        case .users: users = value
        case .handlerAccounts: handlerAccounts = value
        case .twoFactor: twoFactor = value
        case .password: password = value
        }
    }
}

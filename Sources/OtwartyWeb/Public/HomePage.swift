import OtwartyCore

/// The public home page: what a resident comes for first, as task cards in the reader's
/// language (report an incident, find a service point, documents and the welcome pack, events,
/// patronage, the Ambassador competition, progress), then the programme in brief with its goals
/// glossed, linking to the programme's own page, which keeps the resolution's text.
public enum HomeShow {
    public static let template = "home"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var tasks: [TaskCard]
        /// A few sentences about the programme and the language they are in.
        public var summary: String
        public var summaryLanguage: String
        public var goals: [GoalSummary]
        public var programmeHref: String
    }

    /// One thing a resident can do: a link with a one-line description and, below it, related
    /// links (e.g. "check the status of your report").
    public struct TaskCard {
        public var id: String
        public var title: String
        public var text: String
        public var href: String
        public var more: [Link]
        /// The incident card: set apart, because someone may come here in distress.
        public var isUrgent: Bool
    }
}

extension HomeShow {
    /// The cards, in the order a newcomer needs them; every text from the catalogue
    /// (`home.card.<id>.title` and `.text`).
    static func cards(language: String, localiser: Localiser) -> [TaskCard] {
        func t(_ key: String) -> String { localiser.text(key, language) }
        func card(_ id: String, _ url: SiteURL, more: [(String, SiteURL)] = [], urgent: Bool = false) -> TaskCard {
            TaskCard(id: id, title: t("home.card.\(id).title"), text: t("home.card.\(id).text"), href: url.path(language),
                     more: more.map { Link(title: t($0.0), href: $0.1.path(language)) }, isUrgent: urgent)
        }
        return [
            card("incident", .reportIncident, more: [("home.card.incident.status", .incidentStatus)], urgent: true),
            card("service-points", .servicePoints),
            card("documents", .documents),
            card("events", .events),
            card("patronage", .patronage),
            card("ambassador", .ambassador),
            card("progress", .progress, more: [("home.card.progress.incidents", .incidentStatistics),
                                                ("home.card.progress.open-data", .openData)]),
        ]
    }
}

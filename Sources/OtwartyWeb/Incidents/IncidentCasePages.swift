/// The handler's queue and a case.
public enum IncidentsShow {
    public static let template = "incidents"
    public struct Model {
        public var page: PageChrome
        public var rows: [Row]
        public var filters: [Filter]
        public var hasRows: Bool
        public var statisticsHref: String
        public var conflictRiskHref: String
    }

    public struct Filter {
        public var label: String
        public var href: String
        public var isCurrent: Bool
    }

    public struct Row {
        public var href: String
        public var caseCode: String
        public var receivedOn: String
        public var category: String
        public var district: String
        public var status: String
        public var statusCode: String
    }
}

public enum IncidentCaseShow {
    public static let template = "incident-case"
    public struct Model {
        public var page: PageChrome
        public var queueHref: String
        public var caseCode: String
        public var facts: [ActivityShow.Fact]
        public var narrative: String?
        public var place: String?
        public var contact: String?
        public var outcome: String?
        public var isPurged: Bool
        public var purgedOn: String?
        public var events: [Event]
        public var hasEvents: Bool
        public var isOpen: Bool
        public var triageAction: String
        public var referAction: String
        public var actionAction: String
        public var closeAction: String
        public var categories: [AdminUsersShow.Option]
        /// Triage corrects the district and motivations where the handler established others.
        public var districts: [AdminUsersShow.Option]
        public var motivations: [AdminUsersShow.Option]
        /// No classification chosen yet: the select starts on an empty choice, so nothing is
        /// confirmed as bias-motivated by a click that did not choose.
        public var unclassified: Bool
        public var classifications: [AdminUsersShow.Option]
        public var referrals: [AdminUsersShow.Option]
        public var today: String
        public var errors: [FormErrorItem]
    }

    public struct Event {
        public var date: String
        public var kind: String
        public var text: String
        public var referral: String?
        public var isPublic: Bool
        public var by: String
    }
}

/// The public incident form, the page that gives the case code and passphrase, and the status page.
public enum ReportIncidentShow {
    public static let template = "report-incident"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var statusHref: String
        public var statisticsHref: String
        public var errors: [FormErrorItem]
        public var narrative: String
        public var occurredOn: String
        public var place: String
        public var contact: String
        public var consent: Bool
        public var today: String
        public var districts: [AdminUsersShow.Option]
        public var categories: [AdminUsersShow.Option]
        public var motivations: [AdminUsersShow.Option]
        public var roles: [AdminUsersShow.Option]
        public var police: [AdminUsersShow.Option]
        public var narrativeError: String?
        public var occurredOnError: String?
        public var categoryError: String?
        public var motivationError: String?
        public var roleError: String?
        public var contactError: String?
        public var placeError: String?
        public var districtError: String?
        /// Where to get help now, beside the form.
        public var helpContacts: [HelpContactsShow.PublicContact] = []
    }
}

public enum IncidentReceivedShow {
    public static let template = "incident-received"
    public struct Model {
        public var page: PageChrome
        /// Both nil once the receipt has expired (or never came): the page then says how to go on.
        public var caseCode: String?
        public var passphrase: String?
        public var statusHref: String
        public var reportHref: String
        /// Where the "save as a file" form posts.
        public var receiptAction: String
        /// "10 minutes": how long after sending the passphrase is shown.
        public var shownFor: String
        public var helpContacts: [HelpContactsShow.PublicContact]
        /// The status page's full address, for the printout.
        public var statusAddress: String = ""
    }
}

public enum IncidentStatusShow {
    public static let template = "incident-status"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var addAction: String
        public var caseCode: String
        public var passphrase: String
        /// Set once a code and passphrase matched.
        public var found: Found?
        public var error: String?
    }

    public struct Found {
        public var status: String
        public var statusCode: String
        public var receivedOn: String
        public var updates: [Update]
        public var hasUpdates: Bool
        public var isClosed: Bool
    }

    public struct Update {
        public var date: String
        public var kind: String
        public var text: String
        /// The update has a text the reporter cannot read yet: its copy for the reporter's key is
        /// made the next time a handler opens the case (a case from before reporter keys).
        public var isPending: Bool = false
    }
}

/// The handler's queue and a case.
public enum IncidentsShow {
    public static let template = "incidents"
    public struct Model {
        public var page: PageChrome
        public var rows: [Row]
        public var filters: [Filter]
        /// The search form (GET): case code, state, order.
        public var action: String
        public var search: String
        public var searchError: String?
        public var statuses: [AdminUsersShow.Option]
        public var sorts: [AdminUsersShow.Option]
        public var caption: String
        public var isSearching: Bool
        public var hasRows: Bool
        public var statisticsHref: String
        public var conflictRiskHref: String
        /// For the programme coordinator: the help contacts reporters see.
        public var helpContactsHref: String? = nil
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
        /// How long it has waited: "3 days".
        public var age: String
        public var category: String
        public var district: String
        public var status: String
        public var statusCode: String
        /// For a closed case, how it ended.
        public var outcome: String?
    }
}

public enum IncidentCaseShow {
    public static let template = "incident-case"
    public struct Model {
        public var page: PageChrome
        public var queueHref: String
        public var caseCode: String
        public var statusCode: String
        /// State, age, classification (and outcome once closed): what the page leads with.
        public var summary: [ActivityShow.Fact]
        /// The next step this state calls for, in a sentence.
        public var next: String
        /// What the reporter said besides the text.
        public var facts: [ActivityShow.Fact]
        public var narrative: String?
        public var place: String?
        public var contact: String?
        public var outcome: String?
        public var isPurged: Bool
        public var purgedOn: String?
        public var events: [Event]
        public var hasEvents: Bool
        /// Not closed: assess, add an action and close are offered.
        public var isOpen: Bool
        /// Assessed and not closed: referral is offered too.
        public var canRefer: Bool
        public var triageAction: String
        public var referAction: String
        public var actionAction: String
        public var closeAction: String
        public var categories: [AdminUsersShow.Option]
        /// Triage corrects the district and motivations where the handler established others.
        public var districts: [AdminUsersShow.Option]
        public var motivations: [AdminUsersShow.Option]
        /// Radios, none checked until the case has a classification: nothing is confirmed as
        /// bias-motivated by a click that did not choose.
        public var classifications: [AdminUsersShow.Option]
        public var classificationError: String?
        public var triageNote: String
        public var referrals: [AdminUsersShow.Option]
        public var referralError: String?
        public var actionText: String
        public var actionError: String?
        public var outcomeKinds: [AdminUsersShow.Option]
        public var outcomeKindError: String?
        public var duplicateOf: String
        public var duplicateOfError: String?
        public var outcomeText: String
        public var outcomeError: String?
        public var publicNote: String
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

/// The coordinator's list of help contacts, and the contacts as reporters see them.
public enum HelpContactsShow {
    public static let template = "help-contacts"
    public struct Model {
        public var page: PageChrome
        public var rows: [Row]
        /// Some entries are still the seeded examples: the page says they must be filled in.
        public var hasExamples: Bool
        /// The "add a contact" form.
        public var form: Form
        public var errors: [FormErrorItem]
        public var reportHref: String
    }

    public struct Row {
        public var name: String
        public var phone: String
        public var hours: String
        public var isExample: Bool
        public var isPublished: Bool
        public var editHref: String
    }

    public struct Form {
        public var action: String
        public var position: String
        public var phone: String
        public var languagesSpoken: String
        public var isExample: Bool
        public var texts: [Text]
        public var phoneError: String?
        public var positionError: String?
        public var languagesError: String?
    }

    /// The name and hours in one interface language.
    public struct Text {
        public var code: String
        public var languageName: String
        public var name: String
        public var hours: String
        public var nameError: String?
        public var hoursError: String?
    }

    /// A contact on the report form and the confirmation page.
    public struct PublicContact {
        public var name: String
        public var phone: String
        /// Digits for the `tel:` link.
        public var tel: String
        public var hours: String
        public var languages: String
    }
}

public enum HelpContactEditShow {
    public static let template = "help-contact"
    public struct Model {
        public var page: PageChrome
        public var listHref: String
        public var form: HelpContactsShow.Form
        public var deleteAction: String
        public var errors: [FormErrorItem]
    }
}

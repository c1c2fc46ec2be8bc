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
        /// This handler's key opens the case: the texts and the steps are shown.
        public var isReadable: Bool = true
        /// Why the texts are not shown, when they are not (nil when readable).
        public var locked: Locked? = nil
        /// Who holds or held access, and (for a reader) granting and revoking.
        public var access: Access? = nil
    }

    /// The notice on a case this handler's key does not open (issue 14).
    public struct Locked {
        /// No grant to this handler: a reader must grant access. Otherwise the session holds no
        /// key, and signing in again unlocks it.
        public var notGranted: Bool
        public var signInAgain: Bool
        /// The handlers who can read the case now: the ones to ask.
        public var readers: [String]
        public var hasReaders: Bool
    }

    /// The access section: the grants (live and revoked) and, for a reader, the forms.
    public struct Access {
        public var rows: [AccessRow]
        public var hasRows: Bool
        /// A reader of a case whose texts exist may grant and revoke.
        public var canManage: Bool
        public var isPurged: Bool
        public var grantAction: String
        public var revokeAction: String
        /// Handlers with a key and no access yet; the first option chooses nobody.
        public var grantable: [AdminUsersShow.Option]
        public var hasGrantable: Bool
        public var userError: String?
        /// Handlers who have not signed in since keys exist: no key to seal to yet.
        public var withoutKeys: [String]
        public var hasWithoutKeys: Bool
    }

    public struct AccessRow {
        /// A handler's name, "recovery key" or "server key (upgrade escrow)".
        public var person: String
        public var isLive: Bool
        /// "Anna Nowak, 3 Dec 2026, 14:05" ("system" when no person granted it).
        public var granted: String
        /// Who revoked it, when and why; nil while live.
        public var revoked: String?
        /// The user id the revoke form sends; nil when this grant cannot be revoked here (not a
        /// handler's, or the last handler who can read the case).
        public var revokeUser: String?
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

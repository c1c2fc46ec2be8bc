import OtwartyCore

/// Lists of records (with drill-down filters), one record with its trail, the entry form and the
/// review queue.
public enum ActivitiesShow {
    public static let template = "activities"
    public struct Model {
        public var page: PageChrome
        public var heading: String
        /// A drill-down's description (translated) and its subject (the programme's Polish wording).
        public var filterLabel: String?
        public var filterSubject: String?
        public var rows: [ActivityRow]
        public var total: Int
        public var showing: String
        public var newHref: String?
        public var previousHref: String?
        public var nextHref: String?
        public var statusLinks: [FilterLink]
        public var isReviewQueue: Bool
        public var exportHref: String
        public var importHref: String?
    }
}

public struct FilterLink {
    public var label: String
    public var href: String
    public var isCurrent: Bool
}

public struct ActivityRow {
    public var id: Int64
    public var href: String
    public var title: String
    public var task: String
    public var kind: String
    public var date: String
    public var organisation: String
    public var district: String
    public var status: String
    public var statusCode: String
    public var approveAction: String?
    public var returnAction: String?
}

public enum ActivityShow {
    public static let template = "activity"
    public struct Model {
        public var page: PageChrome
        public var record: ActivityRow
        public var facts: [Fact]
        public var reviewComment: String?
        public var editHref: String?
        public var submitAction: String?
        public var approveAction: String?
        public var returnAction: String?
        public var trail: [TrailEntry]
        /// The trail is shown to reviewers and the record's own organisation only.
        public var showsTrail: Bool = true
    }

    public struct Fact {
        public var label: String
        public var value: String
    }

    public struct TrailEntry {
        public var when: String
        public var who: String
        public var action: String
    }
}

public enum ActivityFormShow {
    public static let template = "activity-form"
    public struct Model {
        public var page: PageChrome
        public var heading: String
        public var action: String
        public var errors: [FormErrorItem]
        public var tasks: [AdminUsersShow.Option]
        public var kinds: [AdminUsersShow.Option]
        public var organisations: [AdminUsersShow.Option]
        public var districts: [AdminUsersShow.Option]
        public var audiences: [AdminUsersShow.Option]
        public var fields: Fields
        public var fieldErrors: FieldErrors
    }

    public struct Fields {
        public var title: String
        public var startDate: String
        public var endDate: String
        public var participants: String
        public var beneficiaries: String
        public var amount: String
        public var institution: String
        public var languages: String
        public var notes: String
        public var evidenceURL: String
    }

    public struct FieldErrors {
        public var task: String?
        public var kind: String?
        public var title: String?
        public var startDate: String?
        public var endDate: String?
        public var organisation: String?
        public var participants: String?
        public var beneficiaries: String?
        public var amount: String?
        public var institution: String?
        public var notes: String?
        public var evidenceURL: String?
    }
}

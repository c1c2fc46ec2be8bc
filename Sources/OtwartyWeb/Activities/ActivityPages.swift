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
        /// Page numbers (empty for a single page).
        public var pageLinks: [PageLink] = []
        /// The review queue's filter form; nil on other lists.
        public var queue: QueueForm? = nil
    }

    /// One entry of the page numbers: a page, or a gap (`number` nil) where pages are left out.
    public struct PageLink {
        public var number: Int?
        public var href: String?
        public var isCurrent: Bool
    }

    public struct QueueForm {
        public var action: String
        public var search: String
        public var organisations: [AdminUsersShow.Option]
        public var tasks: [AdminUsersShow.Option]
        public var years: [AdminUsersShow.Option]
        public var kinds: [AdminUsersShow.Option]
        /// Shown while any filter is set.
        public var clearHref: String?
        /// A filter other than the search is set: the filters' disclosure starts open.
        public var hasFilters: Bool = false
        /// The filters and page, carried by each row's approve form back to this very view.
        public var carried: [ConfirmationShow.Field]
        public var emptyText: String
        /// "Only records with data-quality flags" is ticked (issue 13).
        public var onlyFlagged: Bool = false
        /// In that view, when more records wait than it checks: says so.
        public var flaggedLimitNote: String? = nil
        /// Delivered products without evidence (a flag about the programme, above the rows).
        public var products: [ProductFlagItem] = []
        public var programmeLanguage: String = "pl"
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
    /// In the review queue: "3 Dec 2026 · 5 days".
    public var waiting: String? = nil
    /// Data-quality flags (review queue only; issue 13).
    public var flags: [QualityFlagRow] = []
}

public enum ActivityShow {
    public static let template = "activity"
    public struct Model {
        public var page: PageChrome
        public var record: ActivityRow
        public var facts: [Fact]
        public var reviewComment: String?
        /// What the record's state means and what happens next, in a sentence or two.
        public var stateText: String = ""
        public var editHref: String?
        public var submitAction: String?
        public var approveAction: String?
        /// Returning a submitted record for changes (its own section, comment and button).
        public var returnAction: String?
        /// Reopening an approved record (a reason, then a confirmation page).
        public var reopenAction: String?
        /// The review queue's filters when the record was opened from the queue, carried by the
        /// approve form so the next record offered comes from the same view.
        public var carried: [ConfirmationShow.Field] = []
        /// A failed return or reopen: the comment typed, and the message beside its field.
        public var comment: String = ""
        public var commentError: String? = nil
        public var errors: [FormErrorItem] = []
        public var trail: [TrailEntry]
        /// The trail is shown to reviewers and the record's own organisation only.
        public var showsTrail: Bool = true
        /// Data-quality flags, for a reviewer looking at a submitted record (issue 13).
        public var quality: [QualityFlagRow] = []
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
        /// Why the record can no longer be saved (it was submitted or approved while the form was
        /// open); the typed input is shown as posted so nothing is lost.
        public var conflict: String? = nil
        public var recordHref: String? = nil
        /// One number input per audience: participants by audience (issue 13).
        public var parts: [Part] = []
    }

    /// An audience's part of the participants: its input's name and id, label, value and error.
    public struct Part {
        public var name: String
        public var id: String
        public var label: String
        public var value: String
        public var error: String?
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
        public var participantsNew: String = ""
    }

    public struct FieldErrors {
        public var task: String?
        public var kind: String?
        public var title: String?
        public var startDate: String?
        public var endDate: String?
        public var organisation: String?
        public var district: String?
        public var participants: String?
        public var beneficiaries: String?
        public var amount: String?
        public var institution: String?
        public var notes: String?
        public var evidenceURL: String?
        /// Issue 13: the breakdown as a whole (the sum, the audiences) and "of whom new".
        public var participantsByAudience: String? = nil
        public var participantsNew: String? = nil
    }
}

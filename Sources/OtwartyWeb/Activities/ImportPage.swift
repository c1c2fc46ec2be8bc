/// Uploading a CSV of activity records (docs/import-format.md).
public enum ImportShow {
    public static let template = "import"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var statuses: [AdminUsersShow.Option]
        public var createOrganisations: Bool
        /// The form's own errors (no file, not UTF-8, no status), for the error summary.
        public var errors: [FormErrorItem]
        public var fileError: String?
        public var statusError: String?
        /// Problems by row and column in the page's language, when the file was rejected.
        public var problems: [String]
        /// "12 problems were found" when the file was rejected.
        public var problemCount: String?
        /// "… and 37 more", when more were found than the page lists.
        public var moreProblems: String?
        public var templateHref: String
        public var codesHref: String
    }
}

/// What an uploaded file will store, before anything is (docs/design.md, "Import: preview and confirm").
public enum ImportPreviewShow {
    public static let template = "import-preview"

    /// One record as it will be stored, formatted for the page.
    public struct Row {
        public var row: String
        public var date: String
        public var task: String
        public var kind: String
        public var title: String
        public var organisation: String
        public var district: String
        public var participants: String
        public var audiences: String
        public var amount: String
        public var languages: String
    }

    public struct TaskTotal {
        public var task: String
        public var title: String
        public var records: String
        public var participants: String
        public var amount: String
    }

    public struct Model {
        public var page: PageChrome
        /// Where the confirmation posts.
        public var action: String
        public var cancelHref: String
        public var fileName: String
        public var summary: [String]
        public var warnings: [String]
        public var rows: [Row]
        public var moreRows: String?
        public var totals: [TaskTotal]
        /// Records that skip review: the confirmation needs the tick box.
        public var isApproved: Bool
        public var errors: [FormErrorItem]
        public var confirmError: String?
        /// Until when the preview can be confirmed.
        public var expires: String
    }
}

/// The columns of the import format and the codes (and labels) each coded column accepts.
public enum ImportCodesShow {
    public static let template = "import-codes"

    public struct Column {
        public var name: String
        public var required: String
        public var format: String
    }

    public struct Code {
        public var code: String
        /// In the page's language.
        public var label: String
        /// The labels in the other languages that also read (empty when the same).
        public var alsoAccepted: String
    }

    public struct District {
        public var number: String
        public var numeral: String
        public var name: String
    }

    public struct Model {
        public var page: PageChrome
        public var columns: [Column]
        public var tasks: [Code]
        public var kinds: [Code]
        public var audiences: [Code]
        public var districts: [District]
        public var templateHref: String
        /// The upload page, for those who may import.
        public var importHref: String?
    }
}

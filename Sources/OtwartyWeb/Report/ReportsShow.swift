import OtwartyCore

/// The reports page: the report calendar, then each year's draft and frozen versions.
public enum ReportsShow {
    public static let template = "reports"

    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var calendar: ReportCalendarBox?
        public var years: [Year]
        /// PDFs can be made on this server (drafts and versions offer them).
        public var pdfAvailable: Bool = false
        /// e.g. `chromium (/usr/bin/chromium)`: shown to administrators only (nil for everyone else,
        /// and when no PDF renderer is installed). Others read whether PDF works, not with what.
        public var pdfRenderer: String?
        /// The reader is an administrator: the page says which program makes PDFs or what to install.
        public var showsPDFDetail: Bool = false
        public var canEdit: Bool
        public var budgetHref: String
    }

    public struct Year {
        public var year: Int
        public var anchor: String
        public var dueOn: String
        public var previewHref: String
        public var drafts: [FileLink]
        public var narrativeHref: String?
        public var narrativeSaved: String?
        public var freezeAction: String?
        public var nextVersion: Int
        public var versions: [Version]
        public var hasVersions: Bool
    }

    public struct Version {
        public var number: Int
        public var frozenAt: String
        public var frozenBy: String
        public var files: [FileLink]
    }

    public struct FileLink {
        public var label: String
        public var href: String
        public var sha256: String?
    }
}

/// The report calendar, on the dashboard and the reports page: the current report's data cut-off
/// and deadline, and the dated tasks whose deadline passed without an approved record.
public struct ReportCalendarBox {
    public var year: Int
    public var cutOff: String
    public var dueOn: String
    /// "in 156 days", "today", "12 days ago".
    public var remaining: String
    public var isOverdue: Bool
    /// "Version 2 frozen on 20 April 2026", or nil while only drafts exist.
    public var frozen: String?
    public var reportsHref: String
    /// "Go to the 2025 report".
    public var reportsLabel: String = ""
    public var lateTasks: [LateTask]
    public var hasLateTasks: Bool

    public struct LateTask {
        public var code: String
        public var title: String
        public var deadline: String
        public var href: String
    }
}

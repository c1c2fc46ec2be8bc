/// Public pages: events and initiatives, the accessibility statement, the open-data catalogue.
public enum EventsShow {
    public static let template = "events"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var action: String
        public var rows: [Row]
        public var hasRows: Bool
        public var shown: String
        public var districts: [AdminUsersShow.Option]
        public var languages: [AdminUsersShow.Option]
        public var from: String
        public var to: String
        public var openDataHref: String
        /// Whether the reader chose a district, language or dates: an empty list then says "no
        /// events match", else "none published this year yet".
        public var isFiltered = false
    }

    public struct Row {
        public var date: String
        public var title: String
        public var kind: String
        public var district: String
        public var languages: String
        public var organisation: String
    }
}

public enum AccessibilityShow {
    public static let template = "accessibility"
    public struct Model {
        public var page: PageChrome
        public var publishedOn: String
        public var updatedOn: String
        public var contactEmail: String
    }
}

public enum OpenDataShow {
    public static let template = "open-data"
    public struct Model {
        public var page: PageChrome
        public var catalogueHref: String
        public var datasets: [Dataset]
    }

    public struct Dataset {
        public var identifier: String
        public var title: String
        public var description: String
        public var licence: String
        public var modified: String
        public var temporal: String
        public var files: [File]
    }

    public struct File {
        public var format: String
        public var href: String
    }
}

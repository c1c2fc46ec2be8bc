import Foundation
import OtwartyCore

/// The two registers' pages (issue 13 D): lists with an add form, an edit page per entry with
/// "end" (set the last day) and "delete" (confirmed) sections.
public enum RegisterPages {
    /// The links between the two registers at the top of each page.
    public struct Tab {
        public var label: String
        public var href: String
        public var isCurrent: Bool
    }

    public struct Option {
        public var value: String
        public var label: String
        public var selected: Bool
    }

    public struct Check {
        public var value: String
        public var label: String
        public var checked: Bool
        /// The first box of the group: the error summary links to it.
        public var isFirst: Bool
    }

    // MARK: Dialogue bodies

    public struct BodyRow {
        public var name: String
        public var members: String
        public var from: String
        public var until: String
        public var isCounted: Bool
        public var editHref: String?
    }

    public struct BodyForm {
        public var action: String
        public var name: String
        public var kinds: [Check]
        public var validFrom: String
        public var validUntil: String
        public var note: String
        public var errors: [String: String]
    }

    public struct BodiesModel {
        public static let template = "dialogue-bodies"
        public var page: PageChrome
        public var tabs: [Tab]
        public var rows: [BodyRow]
        public var counted: String
        public var canKeep: Bool
        public var form: BodyForm
        public var errors: [FormErrorItem]
    }

    public struct BodyModel {
        public static let template = "dialogue-body"
        public var page: PageChrome
        public var listHref: String
        public var form: BodyForm
        public var endAction: String
        public var endUntil: String
        public var endError: String?
        public var deleteAction: String
        public var errors: [FormErrorItem]
    }

    // MARK: Assistants

    public struct AssistantRow {
        public var name: String
        public var kind: String
        public var organisation: String
        public var languages: String
        public var schools: [String]
        /// nil when not given (an empty string would still open a Mustache section).
        public var email: String?
        public var phone: String?
        public var from: String
        public var until: String
        public var editHref: String
    }

    public struct AssistantForm {
        public var action: String
        /// Chosen by the programme coordinator; others keep entries for their own organisation.
        public var organisations: [Option]
        public var ownOrganisation: String?
        public var name: String
        public var kinds: [Option]
        public var languages: String
        public var schools: String
        public var email: String
        public var phone: String
        public var validFrom: String
        public var validUntil: String
        public var errors: [String: String]
    }

    public struct AssistantsModel {
        public static let template = "assistants"
        public var page: PageChrome
        public var tabs: [Tab]
        public var rows: [AssistantRow]
        public var active: String
        public var form: AssistantForm
        public var errors: [FormErrorItem]
    }

    public struct AssistantModel {
        public static let template = "assistant"
        public var page: PageChrome
        public var listHref: String
        public var form: AssistantForm
        public var endAction: String
        public var endUntil: String
        public var endError: String?
        public var deleteAction: String
        public var errors: [FormErrorItem]
    }
}

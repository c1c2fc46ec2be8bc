import Hummingbird
import OtwartyCore

/// The second step of a permanent action (freezing a report version, closing a case, importing
/// records as approved): the first post answers this page, which says what will happen and
/// posts the same fields again with `confirmed=yes`. No JavaScript, no dialog: the step is a
/// page of its own, so it works with a keyboard, a screen reader and a phone alike
/// (docs/design.md, "Confirming permanent actions").
public struct ConfirmationShow {
    public static let template = "confirmation"

    public struct Field {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public struct Model {
        public var page: PageChrome
        public var heading: String
        /// One sentence: what the action does.
        public var lead: String
        /// What cannot be undone afterwards, one line each.
        public var consequences: [String]
        public var action: String
        /// The first post's fields, sent again (never the CSRF token or `confirmed`).
        public var fields: [Field]
        public var confirmLabel: String
        public var cancelHref: String
        /// Deleting or closing (a red button) rather than publishing.
        public var isDanger: Bool

        public init(page: PageChrome, heading: String, lead: String, consequences: [String], action: String,
                    fields: [Field], confirmLabel: String, cancelHref: String, isDanger: Bool = false) {
            self.page = page
            self.heading = heading
            self.lead = lead
            self.consequences = consequences
            self.action = action
            self.fields = fields
            self.confirmLabel = confirmLabel
            self.cancelHref = cancelHref
            self.isDanger = isDanger
        }
    }

    /// The fields of `form` to send again: everything but the CSRF token and the confirmation itself.
    public static func carried(_ form: FormData) -> [Field] {
        form.fields.sorted { $0.key < $1.key }.flatMap { name, values in
            ["_csrf", "confirmed"].contains(name) ? [] : values.map { Field(name: name, value: $0) }
        }
    }
}

extension FormData {
    /// The confirmation page's second post carries `confirmed=yes`.
    public var isConfirmed: Bool { text("confirmed") == "yes" }
}

import Foundation
import Hummingbird
import OtwartyCore

extension AppRequestContext {
    /// The `:lang` segment, already validated by the language middleware; an unknown one is a 404.
    func requireLanguage(_ localiser: Localiser) throws -> String {
        guard let lang = parameters.get("lang"), localiser.supports(lang) else { throw HTTPError(.notFound) }
        return lang
    }
}

extension Localiser {
    /// Form errors as the page shows them: field name and translated message.
    func fieldErrors(_ errors: [FieldError], _ language: String) -> [FormErrorItem] {
        errors.map { FormErrorItem(field: $0.field, message: text($0.messageKey, language)) }
    }

    /// Form errors as the page shows them, in the order the form shows its fields: beside the
    /// field the short message, in the error summary the field's name before it ("Uczestnicy:
    /// podaj liczbę…"), so a list of several errors says which is which (issue 12, item 3).
    /// A field the list does not know keeps its message alone, after the known ones.
    func fieldErrors(_ errors: [FieldError], _ language: String, form fields: [FormField]) -> [FormErrorItem] {
        var seen = Set<String>()
        // One message per field (the first: what could not be read comes before the rules).
        let unique = errors.filter { seen.insert($0.field).inserted }
        let position = Dictionary(fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = unique.enumerated().sorted {
            (position[$0.element.field] ?? Int.max, $0.offset) < (position[$1.element.field] ?? Int.max, $1.offset)
        }
        return ordered.map { _, error in
            let message = text(error.messageKey, language)
            guard let field = fields.first(where: { $0.name == error.field }) else {
                return FormErrorItem(field: error.field, message: message)
            }
            return FormErrorItem(field: error.field, message: message,
                                 summary: FormErrorItem.summary(name: field.nameText ?? text(field.nameKey, language), message: message),
                                 anchor: field.anchor)
        }
    }
}

/// One field of a form as its error summary names it: the name a `FieldError` uses, the
/// catalogue key of a short name for it (the label when the label is short), and the id of the
/// element the summary links to: the input itself, or the first input of a radio or checkbox group.
public struct FormField: Sendable, Equatable {
    public var name: String
    public var nameKey: String
    public var anchor: String
    /// A name already put together (e.g. "Komentarz do celu 3"), used instead of `nameKey`.
    public var nameText: String?
    public init(_ name: String, _ nameKey: String, anchor: String? = nil) {
        self.name = name
        self.nameKey = nameKey
        self.anchor = anchor ?? name
    }
    public init(_ name: String, named nameText: String, anchor: String? = nil) {
        self.init(name, "", anchor: anchor)
        self.nameText = nameText
    }
}

public struct FormErrorItem: Sendable, Equatable {
    public var field: String
    /// Shown beside the field (the field's label is right above it).
    public var message: String
    /// Shown in the error summary: the field's name, then the message.
    public var summary: String
    /// The id the summary links to.
    public var anchor: String

    public init(field: String, message: String, summary: String? = nil, anchor: String? = nil) {
        self.field = field
        self.message = message
        self.summary = summary ?? message
        self.anchor = anchor ?? field
    }

    /// "Name: message", the message's first letter lowered (unless it starts an abbreviation such
    /// as "URL" or "PESEL") and its closing full stop dropped, as one line of the summary.
    static func summary(name: String, message: String) -> String {
        var text = message.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("."), !text.hasSuffix("..") { text.removeLast() }
        if let first = text.first, first.isUppercase {
            let second = text.dropFirst().first
            if second == nil || second?.isUppercase == false { text = first.lowercased() + text.dropFirst() }
        }
        return "\(name): \(text)"
    }
}

/// Looks up a field's error for a form template.
func errorFor(_ field: String, in errors: [FormErrorItem]) -> String? {
    errors.first { $0.field == field }?.message
}

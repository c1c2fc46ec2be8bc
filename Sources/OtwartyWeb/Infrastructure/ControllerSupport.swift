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
}

public struct FormErrorItem: Sendable, Equatable {
    public var field: String
    public var message: String
}

/// Looks up a field's error for a form template.
func errorFor(_ field: String, in errors: [FormErrorItem]) -> String? {
    errors.first { $0.field == field }?.message
}

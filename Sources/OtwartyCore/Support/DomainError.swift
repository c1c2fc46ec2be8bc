/// Failures the domain names; the web layer maps each to an HTTP status.
public enum DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 404: the named thing does not exist (or is not visible to the caller).
    case notFound(String)
    /// 409: the request clashes with stored state, e.g. an e-mail already in use.
    case conflict(String)
    /// 422: input failed validation; each entry names the field.
    case invalid([FieldError])
    /// 403: signed in, but not allowed.
    case forbidden(String)
    /// 503: something this machine lacks, e.g. a program to make PDFs; the message says what to install.
    case unavailable(String)

    public var description: String {
        switch self {
        case let .notFound(what): return "\(what) was not found"
        case let .conflict(message), let .forbidden(message), let .unavailable(message): return message
        case let .invalid(errors): return errors.map(\.description).joined(separator: "; ")
        }
    }
}

public struct FieldError: Sendable, Equatable, CustomStringConvertible {
    public var field: String
    /// A catalogue key for the message shown to people, e.g. `error.password.too-short`.
    public var messageKey: String
    /// Plain English for logs, the CLI and the API.
    public var message: String
    public init(field: String, messageKey: String, message: String) {
        self.field = field
        self.messageKey = messageKey
        self.message = message
    }
    public var description: String { "\(field): \(message)" }
}

import Hummingbird
import OtwartyCore

/// A number (or day) in the address's query outside its range or not one at all. Pages answer
/// 400 with a page that names the parameter and the range in the reader's language
/// (`ErrorMiddleware`); the API answers 422 through `DomainError.invalid` instead, as its document says.
public struct BadNumberParameter: Error, Sendable, Equatable, CustomStringConvertible {
    public let name: String
    /// nil for a day (`YYYY-MM-DD`).
    public let range: NumberRange?
    public init(name: String, range: NumberRange?) {
        self.name = name
        self.range = range
    }
    public var description: String {
        guard let range else { return "The parameter \"\(name)\" must be a day written YYYY-MM-DD." }
        return "The parameter \"\(name)\" must be a whole number from \(range.bounds.lowerBound) to \(range.bounds.upperBound)."
    }
}

extension Request {
    /// The query parameter `name` as a number in `range`: nil when absent or empty; anything else
    /// that is not a number in the range is a 400 naming the parameter (see `NumberRange`).
    func number(_ name: String, in range: NumberRange) throws(BadNumberParameter) -> Int? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        switch range.parse(text) {
        case let .success(value): return Int(truncatingIfNeeded: value)
        case .failure(.empty): return nil
        case .failure: throw BadNumberParameter(name: name, range: range)
        }
    }

    /// The query parameter `name` as a day (`YYYY-MM-DD`): nil when absent or empty, else 400.
    func day(_ name: String) throws(BadNumberParameter) -> CalendarDate? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard text.utf8.count == 10, let day = CalendarDate(iso: text) else { throw BadNumberParameter(name: name, range: nil) }
        return day
    }

    /// For the API: the query parameter as a number in `range`, or a field error naming it (422).
    /// Absent is nil; present but empty (`?year=`) is an error, as the document's integer says.
    func apiNumber(_ name: String, in range: NumberRange, errors: inout [FieldError]) -> Int? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        return range.required(text, field: name, errors: &errors)
    }
}

extension AppRequestContext {
    /// The path parameter `name` as a database id. A path that names no possible record names no
    /// page: 404, the same answer as an id that does not exist.
    func pathID(_ name: String = "id", _ what: String) throws -> Int64 {
        guard let text = parameters.get(name), let id = NumberRange.id.value(text) else { throw DomainError.notFound(what) }
        return id
    }

    /// The path parameter `name` as a number in `range`, else 404 naming `what`.
    func pathNumber(_ name: String, in range: NumberRange, _ what: String) throws -> Int {
        guard let text = parameters.get(name), let value = range.int(text) else { throw DomainError.notFound(what) }
        return value
    }
}

extension FormData {
    /// The field as a number in `range`: nil when empty; else the number, or a field error naming
    /// the field appended to `errors` (the form is shown again with it).
    func number(_ name: String, in range: NumberRange, errors: inout [FieldError]) -> Int? {
        range.optional(text(name), field: name, errors: &errors)
    }

    /// A field that must hold a number in `range`.
    func requiredNumber(_ name: String, in range: NumberRange, errors: inout [FieldError]) -> Int? {
        range.required(text(name), field: name, errors: &errors)
    }

    /// The field as an id, or nil when empty or not a possible id (for selects whose value is an id).
    func id(_ name: String) -> Int64? { NumberRange.id.value(text(name)) }

    /// The field as a number in `range`, or nil for anything else (for fields whose absence has a default).
    func number(_ name: String, in range: NumberRange) -> Int? { range.int(text(name)) }
}

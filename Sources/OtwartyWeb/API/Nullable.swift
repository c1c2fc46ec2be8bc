/// An optional that JSON answers always carry: `null` when nil, never a missing key (the API's and
/// the open-data files' documented shapes list such keys as present and nullable). A plain
/// optional property is left out when nil, as Swift's synthesised `Encodable` does.
@propertyWrapper
struct Nullable<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension Nullable: Sendable where Value: Sendable {}
extension Nullable: Equatable where Value: Equatable {}

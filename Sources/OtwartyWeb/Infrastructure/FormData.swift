/// An `application/x-www-form-urlencoded` body. Parsed by hand so that each field's problems
/// can be reported by name instead of as one decoding failure.
public struct FormData: Sendable, Equatable {
    public private(set) var fields: [String: [String]] = [:]

    public init() {}

    public init(urlEncoded body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? (Self.decode(parts[1]) ?? "") : ""
            fields[name, default: []].append(value)
        }
    }

    public subscript(_ name: String) -> String? { fields[name]?.first }

    public mutating func append(_ name: String, _ value: String) {
        fields[name, default: []].append(value)
    }

    /// The trimmed value, or "" when absent.
    public func text(_ name: String) -> String {
        (fields[name]?.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

import Foundation

import Foundation
import Hummingbird
import OtwartyCore

extension Request {
    /// Decodes a JSON body, turning every decoding failure into a 422 that names the field. The
    /// route has already read the body up to its limit (`BodyLimit`, 64 kB) after its access
    /// rule; `maxBytes` can only lower that.
    func decodeJSONBody<T: Decodable>(_ type: T.Type, maxBytes: Int = BodyLimit.standardBytes) async throws -> T {
        var request = self
        let buffer = try await RequestBodyReader.collect(&request, limit: maxBytes)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw DomainError.invalid([FieldError(field: error.fieldPath, messageKey: "error.invalid.message", message: error.plainMessage)])
        } catch {
            throw DomainError.invalid([FieldError(field: "body", messageKey: "error.invalid.message", message: "is not valid JSON")])
        }
    }
}

extension DecodingError {
    var fieldPath: String {
        let path: [any CodingKey]
        switch self {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): path = c.codingPath
        case let .keyNotFound(key, c): path = c.codingPath + [key]
        @unknown default: path = []
        }
        let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "body" : text)
    }

    var plainMessage: String {
        switch self {
        case let .typeMismatch(type, _): return "has the wrong type (expected \(type))"
        case .valueNotFound: return "must not be null"
        case .keyNotFound: return "is required"
        case let .dataCorrupted(c): return c.codingPath.isEmpty ? "is not valid JSON" : c.debugDescription
        @unknown default: return "is not valid"
        }
    }
}

/// Encodes API answers the same way everywhere: sorted keys, ISO 8601 dates.
enum APIJSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        response(bytes: try bytes(value), status: status)
    }

    /// The encoded answer, for a cache to keep (`IndicatorAPICache`).
    static func bytes(_ value: some Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return ByteBuffer(bytes: try encoder.encode(value))
    }

    static func response(bytes: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: bytes))
    }
}

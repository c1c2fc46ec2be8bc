import HTTPTypes
import Hummingbird
import Logging

/// Every request has an id, carried by every log line written while it is served (it is the
/// `hb.request.id` metadata of the request's logger, which Hummingbird sets) and returned in the
/// `X-Request-Id` response header, so a person reporting a problem can quote it and the operator
/// finds the lines. A proxy in front (nginx's `$request_id`) may send its own id: it is kept when
/// it is well formed and short — letters, digits, `-`, `_`, `.`, at most 64 — so the proxy's
/// access log and Otwarty's lines share one id; anything else is ignored (never echoed, never
/// logged: a header is not a way to write into the log).
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let header = HTTPField.Name("X-Request-Id")!
    static let metadataKey = "hb.request.id"
    static let maxLength = 64

    public init() {}

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if let incoming = request.headers[Self.header], Self.isWellFormed(incoming) {
            context.logger[metadataKey: Self.metadataKey] = .string(incoming)
        }
        let id = context.logger[metadataKey: Self.metadataKey]?.description
        do {
            var response = try await next(request, context)
            if let id { response.headers[Self.header] = id }
            return response
        } catch let error as any HTTPResponseError {
            // Only what fails before the outer ErrorMiddleware gets here; it still carries the id.
            var response = try error.response(from: request, context: context)
            if let id { response.headers[Self.header] = id }
            return response
        }
    }

    public static func isWellFormed(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...maxLength).contains(bytes.count) && bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
    }
}

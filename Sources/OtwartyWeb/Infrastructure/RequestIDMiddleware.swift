import HTTPTypes
import Hummingbird
import Logging

/// Every request has an id, carried by every log line written while it is served (it is the
/// `hb.request.id` metadata of the request's logger, which Hummingbird sets) and returned in the
/// `X-Request-Id` response header, so a person reporting a problem can quote it and the operator
/// finds the lines. A proxy in front (nginx's `$request_id`) may send its own id, so the proxy's
/// access log and Otwarty's lines share one id. It is kept only when the peer is a trusted proxy
/// (`OTWARTY_TRUSTED_PROXIES`, the same list `X-Forwarded-For` is believed from) and the id is
/// well formed and short — letters, digits, `-`, `_`, `.`, at most 64. Anything else gets an id
/// of our own, and the header is never echoed nor logged: a client cannot write into the log,
/// nor make its requests' lines carry an id of its choosing (another request's, to blur which
/// lines are whose).
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let header = HTTPField.Name("X-Request-Id")!
    static let metadataKey = "hb.request.id"
    static let maxLength = 64
    let trusted: TrustedProxies

    /// `trusted`: the proxies whose id is kept; none by default (every request gets our own id).
    public init(trusted: TrustedProxies = .none) { self.trusted = trusted }

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if let incoming = request.headers[Self.header], Self.isWellFormed(incoming), fromTrustedProxy(context) {
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

    /// Whether the peer (the connection's address, never a header) is a trusted proxy.
    func fromTrustedProxy(_ context: AppRequestContext) -> Bool {
        guard !trusted.isEmpty, let peer = IPAddressText.parse(context.peerAddress) else { return false }
        return trusted.contains(peer)
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

import Hummingbird

/// Only canonical paths reach the middleware that decides how a request is authenticated. The
/// router ignores empty segments, so `//api/v1/…` would reach an API route while not starting
/// with `/api/` — and so be authenticated by the session cookie. Here a path with repeated
/// slashes, `.` or `..` segments, percent-encoded unreserved characters (`%61pi`, `%2e`) or no
/// leading slash is redirected (GET and HEAD) to its canonical form, or refused (400) for other
/// methods; an encoded `/`, `\` or NUL, a backslash and malformed escapes are always refused.
/// After this middleware, `request.uri.path` is canonical, so every later prefix test
/// (`RequestPath.isAPI`) sees what the router sees.
public struct PathNormalisationMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public init() {}

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        switch RequestPath.canonical(request.uri.path) {
        case .canonical:
            return try await next(request, context)
        case let .differs(canonical):
            guard request.method == .get || request.method == .head else {
                throw HTTPError(.badRequest, message: "The address is not in canonical form; use \(canonical).")
            }
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return Response(status: .permanentRedirect, headers: [.location: canonical + query, .contentLength: "0"])
        case .refused:
            throw HTTPError(.badRequest, message: "The address contains characters that are not allowed in a path.")
        }
    }
}

/// The one place that says what a request path is.
public enum RequestPath {
    public enum Verdict: Equatable {
        case canonical
        /// The same resource has this canonical path (always `/` or `/segment…`, never `//…`).
        case differs(String)
        case refused
    }

    /// API routes authenticate by bearer token only, never by cookie. Only meaningful on a
    /// canonical path (after `PathNormalisationMiddleware`).
    public static func isAPI(_ path: String) -> Bool { path.hasPrefix("/api/") }

    /// Requests that never carry a session: the API and the health and readiness checks.
    public static func isCookieless(_ path: String) -> Bool { isAPI(path) || isProbe(path) }

    /// The health (`/healthz`) and readiness (`/readyz`) checks: JSON for machines, no session.
    public static func isProbe(_ path: String) -> Bool { path == "/healthz" || path == "/readyz" }


    public static func canonical(_ path: String) -> Verdict {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return .refused }
        let trailingSlash = bytes.count > 1 && bytes.last == UInt8(ascii: "/")
        var segments: [[UInt8]] = []
        for raw in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard let segment = decodeUnreserved(Array(raw)) else { return .refused }
            switch segment {
            case [UInt8(ascii: ".")]: continue
            case [UInt8(ascii: "."), UInt8(ascii: ".")]: if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        var rebuilt = "/" + segments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        if trailingSlash, !segments.isEmpty { rebuilt += "/" }
        return rebuilt == path ? .canonical : .differs(rebuilt)
    }

    /// Decodes `%XX` escapes of unreserved characters (RFC 3986 §6.2.2.2) and keeps every other
    /// escape as it is; nil for a backslash, an escaped `/`, `\` or control
    /// character, or a malformed escape.
    static func decodeUnreserved(_ segment: [UInt8]) -> [UInt8]? {
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(segment.count)
        var index = 0
        while index < segment.count {
            let byte = segment[index]
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F { return nil }
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 2 < segment.count, let high = hex(segment[index + 1]), let low = hex(segment[index + 2]) else { return nil }
            let decoded = high << 4 | low
            if decoded < 0x20 || decoded == 0x7F || decoded == UInt8(ascii: "/") || decoded == UInt8(ascii: "\\") { return nil }
            if PercentEncoding.unreserved.contains(decoded) {
                output.append(decoded)
            } else {
                output += segment[index...(index + 2)]
            }
            index += 3
        }
        return output
    }
}

import Hummingbird

/// A path that exists answers a method it does not have with 405 and `Allow` (RFC 9110 § 15.5.6),
/// not 404, and before anything else looks at the request: an unsafe method on a read-only path
/// (`PUT /open-data/…`) is refused as not allowed rather than for a missing CSRF token, and no
/// body is read. Only requests no route takes pay for the look-up: safe methods after the router
/// answered 404, unsafe ones before (they are rare and must not reach the CSRF step).
public struct MethodNotAllowedMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let routes: Routes

    init(routes: Routes) { self.routes = routes }

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let safe = request.method == .get || request.method == .head
        if !safe, let allowed = Self.allowed(path: request.uri.path, method: request.method, entries: routes.entries) {
            return Self.notAllowed(allowed)
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && safe {
            guard let allowed = Self.allowed(path: request.uri.path, method: request.method, entries: routes.entries) else {
                throw error
            }
            return Self.notAllowed(allowed)
        }
    }

    /// The methods the path has, when it has some but not this one; nil otherwise.
    static func allowed(path: String, method: HTTPRequest.Method, entries: [RouteEntry]) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var methods: Set<String> = []
        for entry in entries where matches(entry.pattern, segments) {
            if entry.method == method || (method == .head && entry.method == .get) { return nil }
            methods.insert(entry.method.rawValue)
        }
        guard !methods.isEmpty else { return nil }
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    static func matches(_ pattern: String, _ segments: ArraySlice<Substring>) -> Bool {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            part.hasPrefix(":") ? !segment.isEmpty : part == segment
        }
    }

    static func notAllowed(_ methods: [String]) -> Response {
        var response = Response(status: .methodNotAllowed)
        response.headers[.allow] = methods.joined(separator: ", ")
        return response
    }
}

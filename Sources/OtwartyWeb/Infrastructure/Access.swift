import Hummingbird
import OtwartyCore

/// Who may reach a route. Every route states one: there is no default, so nothing is reachable
/// by accident (deny by default).
public enum Access: Sendable, Equatable {
    /// Anyone, signed in or not.
    case everyone
    /// Only signed-in users with one of these roles.
    case roles(Set<Role>)

    public static let administrators = Access.roles([.administrator])

    public func allows(_ user: User?) -> Bool {
        switch self {
        case .everyone: return true
        case let .roles(roles): return user.map { roles.contains($0.role) } ?? false
        }
    }
}

/// A registered route and its access rule, kept for tests and the docs.
public struct RouteEntry: Sendable, Hashable {
    public var method: HTTPRequest.Method
    public var pattern: String
    public var access: Access
    /// Page routes answer an anonymous caller with a redirect to sign-in; API routes with 401.
    public var isPage: Bool
    /// How much body the route reads, after its access rule has passed.
    public var body: BodyLimit = .standard

    public static func == (a: RouteEntry, b: RouteEntry) -> Bool { a.method == b.method && a.pattern == b.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(method.rawValue); hasher.combine(pattern) }
}

/// Registers routes on a Hummingbird router, wrapping each handler in, in this order: the access
/// rule (before any of the body is read), the body read up to the route's `BodyLimit`, and for
/// pages the CSRF token check. Handlers find the form in `context.form` and `context.uploads`.
public final class Routes: @unchecked Sendable {
    // Only mutated while the application is being built, before it serves.
    public private(set) var entries: [RouteEntry] = []
    let router: Router<AppRequestContext>
    /// `OTWARTY_MAX_UPLOAD_MB`: the most an upload route reads.
    let maxUploadBytes: Int

    init(router: Router<AppRequestContext>, maxUploadBytes: Int = BodyLimit.defaultUploadBytes) {
        self.router = router
        self.maxUploadBytes = maxUploadBytes
    }

    public func page(_ method: HTTPRequest.Method, _ url: SiteURL, access: Access, body: BodyLimit = .standard,
                     _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        add(method, url.pattern, access: access, isPage: true, body: body, handler)
    }

    /// A page outside the language prefix (the bare `/`).
    public func page(_ method: HTTPRequest.Method, _ url: SharedURL, access: Access,
                     _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        add(method, url.pattern, access: access, isPage: true, handler)
    }

    public func api(_ method: HTTPRequest.Method, _ url: SharedURL, access: Access,
                    _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        add(method, url.pattern, access: access, isPage: false, handler)
    }

    /// Private: every route comes from an address of the table (`SiteURL`, `SharedURL`), never a string.
    private func add(_ method: HTTPRequest.Method, _ pattern: String, access: Access, isPage: Bool, body: BodyLimit = .standard,
                     _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        // Large bodies only for those who may send them: an upload route open to everyone would let
        // anyone make the server hold `maxUploadBytes` per request.
        precondition(body != .upload || access != .everyone, "\(method) \(pattern): uploads need a signed-in role")
        entries.append(RouteEntry(method: method, pattern: pattern, access: access, isPage: isPage, body: body))
        let limit = switch body {
        case .standard: BodyLimit.standardBytes
        case .longText: BodyLimit.longTextBytes
        case .upload: maxUploadBytes
        }
        let cookieless = RequestPath.isCookieless(pattern)
        router.on(RouterPath(pattern), method: method) { request, context in
            // The session middleware never runs for these paths once they are canonical; a session
            // here means the path was read two ways, so nothing is decided on it.
            if cookieless, context.session != nil {
                throw HTTPError(.badRequest, message: "This address does not accept cookies.")
            }
            guard access.allows(context.user) else {
                if context.user != nil { throw HTTPError(.forbidden) }
                if isPage, method == .get {
                    // Only a path the sign-in page would accept as `next` is passed on.
                    guard let next = RedirectTarget.sameSite(request.uri.path) else {
                        return redirect(to: SiteURL.login.path(context.language))
                    }
                    return redirect(to: SiteURL.login.path(context.language, query: [.next(next)]))
                }
                throw HTTPError(.unauthorized)
            }
            guard RequestBodyReader.methods.contains(method) else { return try await handler(request, context) }
            var request = request
            if cookieless {
                try await RequestBodyReader.buffer(&request, limit: limit)
                return try await handler(request, context)
            }
            var context = context
            try await RequestBodyReader.readForm(&request, into: &context, limit: limit, files: body == .upload)
            try CSRFMiddleware.verify(context)
            return try await handler(request, context)
        }
    }
}

import Foundation

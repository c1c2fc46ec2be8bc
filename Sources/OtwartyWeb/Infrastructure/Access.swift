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

    public static func == (a: RouteEntry, b: RouteEntry) -> Bool { a.method == b.method && a.pattern == b.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(method.rawValue); hasher.combine(pattern) }
}

/// Registers routes on a Hummingbird router, wrapping each handler in its access check.
public final class Routes: @unchecked Sendable {
    // Only mutated while the application is being built, before it serves.
    public private(set) var entries: [RouteEntry] = []
    let router: Router<AppRequestContext>

    init(router: Router<AppRequestContext>) { self.router = router }

    public func page(_ method: HTTPRequest.Method, _ url: SiteURL, access: Access,
                     _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        add(method, url.pattern, access: access, isPage: true, handler)
    }

    public func api(_ method: HTTPRequest.Method, _ pattern: String, access: Access,
                    _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        add(method, pattern, access: access, isPage: false, handler)
    }

    func add(_ method: HTTPRequest.Method, _ pattern: String, access: Access, isPage: Bool,
                     _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        entries.append(RouteEntry(method: method, pattern: pattern, access: access, isPage: isPage))
        router.on(RouterPath(pattern), method: method) { request, context in
            guard access.allows(context.user) else {
                if context.user != nil { throw HTTPError(.forbidden) }
                if isPage, method == .get {
                    // Only a path the sign-in page would accept as `next` is passed on.
                    let login = SiteURL.login.path(context.language)
                    guard let next = RedirectTarget.sameSite(request.uri.path),
                          let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
                    else { return redirect(to: login) }
                    return redirect(to: login + "?next=" + encoded)
                }
                throw HTTPError(.unauthorized)
            }
            return try await handler(request, context)
        }
    }
}

import Foundation

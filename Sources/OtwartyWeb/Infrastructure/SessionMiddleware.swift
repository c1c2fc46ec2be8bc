import Foundation
import Hummingbird
import OtwartyCore

/// Resolves the session cookie to a signed-in user, and gives anonymous visitors a CSRF cookie
/// so forms such as sign-in are protected before anyone signs in. The cookie is never given with
/// a response a shared cache may keep (`CachePolicy`): that would hand one visitor's token to all.
public struct SessionMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let sessionCookie = "otwarty_session"
    public static let csrfCookie = "otwarty_csrf"

    let accounts: AccountService
    let secureCookies: Bool

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        // The API authenticates per request and never by cookie, so it is immune to CSRF. The
        // path is canonical here (PathNormalisationMiddleware), so `//api/…` cannot slip past.
        if RequestPath.isCookieless(request.uri.path) {
            return try await next(request, context)
        }
        var context = context
        if let token = request.cookies[Self.sessionCookie]?.value, Self.isToken(token),
           let (session, user) = try await accounts.resolveSession(token: token) {
            context.session = session
            context.sessionToken = token
            context.user = user
            context.csrfToken = session.csrfToken
        } else if let anonymous = request.cookies[Self.csrfCookie]?.value, Self.isToken(anonymous) {
            context.csrfToken = anonymous
        } else {
            context.csrfToken = SecretToken.generate()
            context.issueAnonymousCSRFCookie = true
        }
        // A role that requires a second factor, signed in without one, reaches only the enrolment
        // page and sign-out until it has enrolled (docs/security.md, "Two-factor sign-in").
        if context.session?.enrolmentOnly == true, !Self.allowedWhileEnrolling(request.uri.path) {
            if request.method == .get || request.method == .head {
                return redirect(to: SiteURL.twoFactor.path(context.language))
            }
            throw HTTPError(.forbidden, message: "Set up two-factor sign-in first.")
        }
        var response = try await next(request, context)
        if context.issueAnonymousCSRFCookie, let token = context.csrfToken, response.headers[.setCookie] == nil,
           !CachePolicy.isSharedCacheable(response.headers) {
            response.setCookie(cookie(Self.csrfCookie, token))
        }
        return response
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// What an enrolment-only session may reach: the stylesheet, sign-out and the enrolment page.
    static func allowedWhileEnrolling(_ path: String) -> Bool {
        if path == "/static/otwarty.css" { return true }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].isEmpty else { return false }
        let rest = parts.dropFirst(2).joined(separator: "/")
        return ["logout", "account/two-factor", "account/two-factor/qr.svg", "account/two-factor/confirm"].contains(rest)
    }

    /// Our tokens are 64 hex characters; anything else is ignored rather than looked up.
    static func isToken(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

import HTTPTypes
import Hummingbird

/// Strict headers on every response. Pages carry no inline script or style, so the CSP can
/// forbid both; framing is refused outright.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    static var contentSecurityPolicy: String {
        [
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
            "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
        ].joined(separator: "; ")
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let permissionsPolicy = HTTPField.Name("Permissions-Policy")!
    static let openerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!

    let servedOverHTTPS: Bool
    public init(servedOverHTTPS: Bool) { self.servedOverHTTPS = servedOverHTTPS }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // A response may bring a stricter policy of its own (the report allows its one embedded
        // style by hash and nothing else); every other response gets the site's.
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "strict-origin-when-cross-origin"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.permissionsPolicy] = "camera=(), microphone=(), geolocation=()"
        response.headers[Self.openerPolicy] = "same-origin"
        if servedOverHTTPS {
            response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
        if response.headers[.cacheControl] == nil {
            // Pages can show who is signed in; shared caches must not keep them.
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

import Foundation
import HTTPTypes
import Hummingbird

/// Strict headers on every response. Pages carry no inline script or style, so the CSP can
/// forbid both; framing is refused outright. A response is either cacheable by others or sets a
/// cookie, never both: the last step here turns any response with `Set-Cookie` that a shared
/// cache could keep into `no-store`.
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
        if response.headers[.setCookie] != nil, CachePolicy.isSharedCacheable(response.headers) {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

/// What `Cache-Control` lets a shared cache (a proxy, a CDN) do with a response.
public enum CachePolicy {
    /// True unless the response says `no-store` or `private` (or says nothing, which the site
    /// turns into `no-store`): such a response may be kept and given to other visitors.
    public static func isSharedCacheable(_ headers: HTTPFields) -> Bool {
        let values = headers[values: .cacheControl]
        guard !values.isEmpty else { return false }
        let directives = values.flatMap { $0.split(separator: ",") }.map {
            $0.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        }
        return !directives.contains("no-store") && !directives.contains("private")
    }
}

import Foundation
import Hummingbird
import OtwartyCore

/// Every unsafe request to a page must carry the form field `_csrf` equal to the session's (or
/// the anonymous cookie's) token, and must not come from another origin. Parses the form body
/// once and hands it to the handler through the context.
public struct CSRFMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let field = "_csrf"
    public static let maxFormBytes = 1_048_576
    /// Uploads (CSV imports) may be larger than ordinary forms.
    public static let maxUploadBytes = 64 * 1_048_576

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let unsafe: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]
        guard unsafe.contains(request.method), !request.uri.path.hasPrefix("/api/") else {
            return try await next(request, context)
        }
        var request = request
        var context = context
        if let origin = request.headers[.origin], let host = request.head.authority,
           URL(string: origin)?.hostWithPort != host {
            throw HTTPError(.forbidden, message: "Cross-origin form submissions are refused.")
        }
        let contentType = request.headers[.contentType] ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.collectBody(upTo: Self.maxFormBytes)
            context.form = FormData(urlEncoded: String(buffer: body))
        } else if contentType.hasPrefix("multipart/form-data") {
            let body = try await request.collectBody(upTo: Self.maxUploadBytes)
            do {
                (context.form, context.uploads) = try MultipartForm.parse(body, contentType: contentType)
            } catch {
                throw HTTPError(.badRequest, message: "The form could not be read.")
            }
        }
        guard let expected = context.csrfToken, !context.issueAnonymousCSRFCookie,
              let sent = context.form[Self.field], SecretToken.constantTimeEquals(sent, expected)
        else {
            throw CSRFRejection()
        }
        return try await next(request, context)
    }
}

/// Shown as a 403 page asking to reload the form (usually an expired session).
public struct CSRFRejection: Error {}

extension URL {
    var hostWithPort: String? {
        guard let host else { return nil }
        return port.map { "\(host):\($0)" } ?? host
    }
}

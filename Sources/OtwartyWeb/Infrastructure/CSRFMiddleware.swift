import Foundation
import Hummingbird
import NIOCore
import OtwartyCore

/// Unsafe requests to pages (POST, PUT, PATCH, DELETE outside `/api/`) from another origin are
/// refused here, before the route is known and before any body is read. The rest of the CSRF
/// defence runs in the route (`Routes.add`), in this order: the route's access rule, then the
/// body read up to the route's limit (`BodyLimit`), then `CSRFMiddleware.verify`: the form field
/// `_csrf` must equal the session's (or the anonymous cookie's) token.
public struct CSRFMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let field = "_csrf"
    static let unsafe: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    public init() {}

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard Self.unsafe.contains(request.method), !RequestPath.isAPI(request.uri.path) else {
            return try await next(request, context)
        }
        if let origin = request.headers[.origin], let host = request.head.authority,
           URL(string: origin)?.hostWithPort != host {
            throw HTTPError(.forbidden, message: "Cross-origin form submissions are refused.")
        }
        return try await next(request, context)
    }

    /// The form's `_csrf` must be the token of the session (or of the anonymous cookie the
    /// visitor already had: a token first issued with this very response proves nothing).
    static func verify(_ context: AppRequestContext) throws {
        guard let expected = context.csrfToken, !context.issueAnonymousCSRFCookie,
              let sent = context.form[field], SecretToken.constantTimeEquals(sent, expected)
        else {
            throw CSRFRejection()
        }
    }
}

/// Shown as a 403 page asking to reload the form (usually an expired session).
public struct CSRFRejection: Error {}

/// How much of its body a route may read. Decided per route, and read only after the route's
/// access rule has passed.
public enum BodyLimit: Sendable, Equatable {
    /// Ordinary forms and API JSON: `standardBytes`.
    case standard
    /// Forms with long free text (`longTextBytes`): the incident report (10,000 characters, which
    /// percent-encoded in Cyrillic is 60 kB) and the report narrative (7 × 20,000 characters), so
    /// a text over its own limit gets the form's error, not a 413.
    case longText
    /// File uploads (`multipart/form-data`): up to `OTWARTY_MAX_UPLOAD_MB`. Only routes that are
    /// not open to everyone may be declared so (`Routes.add` refuses to register it otherwise).
    case upload

    /// 64 kB: the longest form (an incident report's free text, a narrative per goal) fits many times.
    public static let standardBytes = 64 * 1024
    public static let longTextBytes = 256 * 1024
    public static let defaultUploadBytes = 32 * 1_048_576
}

/// More than the route accepts: 413 with the limit, on an HTML page in the reader's language or
/// as problem JSON for the API.
public struct BodyTooLarge: Error, CustomStringConvertible {
    public var limit: Int
    public var limitText: String {
        limit >= 1_048_576 && limit % 1_048_576 == 0 ? "\(limit / 1_048_576) MB" : "\(limit / 1024) kB"
    }
    public var description: String { "The request body is larger than this address accepts (at most \(limitText))." }
}

/// Reads a request body up to a limit, refusing early when `Content-Length` already says it is larger.
enum RequestBodyReader {
    static let methods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    static func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw BodyTooLarge(limit: limit)
        }
        do {
            return try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw BodyTooLarge(limit: limit)
        } catch is NIOTooManyBytesError {
            throw BodyTooLarge(limit: limit)
        }
    }

    /// For pages: the form fields (and, on upload routes, the files) into the context.
    static func readForm(_ request: inout Request, into context: inout AppRequestContext, limit: Int, files: Bool) async throws {
        let contentType = request.headers[.contentType] ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await collect(&request, limit: limit)
            context.form = FormData(urlEncoded: String(buffer: body))
        } else if contentType.hasPrefix("multipart/form-data") {
            let body = try await collect(&request, limit: limit)
            do {
                (context.form, context.uploads) = try MultipartForm.parse(body, contentType: contentType)
            } catch {
                throw HTTPError(.badRequest, message: "The form could not be read.")
            }
            if !files { context.uploads = [:] }
        } else {
            // Nothing a page reads; still bounded, so no route holds an unread large body.
            _ = try await collect(&request, limit: limit)
        }
    }

    /// For the API: the body read up to the route's limit and handed on as a buffer, so the
    /// handler's own decoding never sees more.
    static func buffer(_ request: inout Request, limit: Int) async throws {
        let body = try await collect(&request, limit: limit)
        request.body = .init(buffer: body)
    }
}

extension URL {
    var hostWithPort: String? {
        guard let host else { return nil }
        return port.map { "\(host):\($0)" } ?? host
    }
}

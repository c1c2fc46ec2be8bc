import Foundation
import Hummingbird
import Logging
import OtwartyCore

/// Turns every failure into a proper answer: a localised HTML page for pages, a JSON problem for
/// the API. Unexpected errors are logged with the request id and shown as a plain 500 without details.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let renderer: PageRenderer
    /// The inner instance leaves `HTTPError(.notFound)` (what the router throws when no route
    /// matched) to the middleware outside it; handlers say "not found" with `DomainError.notFound`.
    var passesOnRouteNotFound = false

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where passesOnRouteNotFound && error.status == .notFound {
            throw error
        } catch {
            let (status, messageKey, detail) = Self.classify(error)
            if status == .internalServerError {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            }
            // The open-data files are read by programs too: their errors are problem JSON, as the API document says.
            let isAPI = request.uri.path.hasPrefix("/api/") || RequestPath.isProbe(request.uri.path)
                || request.uri.path.hasPrefix("/open-data/")
            var response: Response
            if isAPI {
                response = try APIProblem(status: status, detail: detail ?? status.reasonPhrase).response(from: request, context: context)
            } else {
                let language = context.language
                let title = renderer.localiser.text("\(messageKey).title", language)
                var message = renderer.localiser.text("\(messageKey).message", language)
                if let bad = error as? BadNumberParameter {
                    // Names the parameter and its range, so the reader can correct the address.
                    message = renderer.localiser.text(bad.range == nil ? "error.bad-parameter.day" : "error.bad-parameter.message", language)
                        .replacingOccurrences(of: "{name}", with: bad.name)
                        .replacingOccurrences(of: "{from}", with: bad.range.map { String($0.bounds.lowerBound) } ?? "")
                        .replacingOccurrences(of: "{to}", with: bad.range.map { String($0.bounds.upperBound) } ?? "")
                }
                if let tooLarge = error as? BodyTooLarge {
                    message = message.replacingOccurrences(of: "{limit}", with: tooLarge.limitText)
                }
                let model = ErrorShow.Model(
                    page: renderer.chrome(context, title: title, url: nil), status: status.code,
                    message: message,
                    showLogin: status == .unauthorized && context.user == nil,
                    // What to install is the administrator's next step; it names no user data.
                    detail: status == .serviceUnavailable && !(error is PDFBusy) ? detail : nil)
                response = try renderer.render(ErrorShow.template, model, status: status).response(from: request, context: context)
            }
            if status == .tooManyRequests, let http = error as? HTTPError, let retry = http.headers[.retryAfter] {
                response.headers[.retryAfter] = retry
            }
            if let busy = error as? PDFBusy { response.headers[.retryAfter] = String(busy.retryAfterSeconds) }
            if error is StorageUnavailable { response.headers[.retryAfter] = String(StorageUnavailable.retryAfterSeconds) }
            if status == .unauthorized, isAPI { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        }
    }

    static func classify(_ error: any Error) -> (HTTPResponse.Status, String, String?) {
        switch error {
        case is CSRFRejection:
            return (.forbidden, "error.csrf", "The form has expired; reload the page and try again.")
        case let error as BodyTooLarge:
            return (.contentTooLarge, "error.too-large", error.description)
        case let error as PDFBusy:
            return (error.status, error.messageKey, error.detail)
        case let error as StorageUnavailable:
            return (.serviceUnavailable, "error.unavailable", error.description)
        case let error as BadNumberParameter:
            return (.badRequest, "error.bad-parameter", error.description)
        case let error as DomainError:
            switch error {
            case .notFound: return (.notFound, "error.not-found", error.description)
            case .conflict: return (.conflict, "error.conflict", error.description)
            case .invalid: return (.unprocessableContent, "error.invalid", error.description)
            case .forbidden: return (.forbidden, "error.forbidden", error.description)
            case .unavailable: return (.serviceUnavailable, "error.unavailable", error.description)
            }
        case let error as HTTPError:
            switch error.status {
            case .notFound: return (.notFound, "error.not-found", error.body)
            case .forbidden: return (.forbidden, "error.forbidden", error.body)
            case .unauthorized: return (.unauthorized, "error.unauthorized", error.body)
            case .tooManyRequests: return (.tooManyRequests, "error.throttled", error.body)
            case .contentTooLarge: return (.contentTooLarge, "error.invalid", error.body)
            case .badRequest: return (.badRequest, "error.invalid", error.body)
            case .methodNotAllowed: return (.methodNotAllowed, "error.not-found", error.body)
            default:
                return error.status.code < 500
                    ? (error.status, "error.invalid", error.body) : (.internalServerError, "error.internal", nil)
            }
        default:
            return (.internalServerError, "error.internal", nil)
        }
    }
}

/// RFC 9457 problem details.
public struct APIProblem: ResponseGenerator, Codable {
    public var type = "about:blank"
    public var title: String
    public var status: Int
    public var detail: String

    public init(status: HTTPResponse.Status, detail: String) {
        title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(self)
        return Response(status: .init(code: status), headers: [.contentType: "application/problem+json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The error page.
public enum ErrorShow {
    public static let template = "error"
    public struct Model {
        public var page: PageChrome
        public var status: Int
        public var message: String
        public var showLogin: Bool
        public var detail: String?
    }
}

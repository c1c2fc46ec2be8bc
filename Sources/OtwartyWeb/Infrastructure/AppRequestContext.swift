import Hummingbird
import Logging
import NIOCore
import OtwartyCore

/// Per-request state: who is signed in, the page language, the parsed form and the CSRF token.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who the request is from, for throttling only; never stored in clear: the peer, or behind a
    /// trusted proxy (`OTWARTY_TRUSTED_PROXIES`) the client it forwarded for (`ClientAddressMiddleware`).
    public var clientAddress: String
    /// The address of the other end of the connection (the proxy, when there is one).
    public let peerAddress: String
    public var user: User?
    public var session: Session?
    /// The session cookie's token: with it the session's copy of an incident handler's key opens
    /// (`IncidentKeyService.sessionKey`). Never logged, never stored.
    public var sessionToken: String?
    /// The token every form on the page must echo (the session's, or the anonymous cookie's).
    public var csrfToken: String?
    /// Set when the response must (re)issue the anonymous CSRF cookie.
    public var issueAnonymousCSRFCookie = false
    public var language: String = "pl"
    /// Fields of an `application/x-www-form-urlencoded` body, parsed once by the CSRF middleware.
    public var form = FormData()
    /// Files of a `multipart/form-data` body, by field name.
    public var uploads: [String: UploadedFile] = [:]
    /// What the previous action did, to be said once on this page (`NoticeMiddleware`).
    public var notice: Notice?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        clientAddress = peerAddress
    }
}

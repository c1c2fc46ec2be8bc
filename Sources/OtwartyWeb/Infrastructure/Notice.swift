import HTTPTypes
import Hummingbird
import OtwartyCore

/// What an action just did, said once on the page that follows it (post/redirect/get).
///
/// An action's handler answers `redirect(to:notice:)`; `NoticeMiddleware` turns the notice into a
/// short-lived cookie, and the next page rendered reads it, shows the banner (`PageChrome.notice`,
/// drawn by layout.mustache) and clears it. A cookie rather than a query parameter, so a link
/// cannot make a page claim that something happened, a refresh does not repeat the banner, and
/// any instance behind a proxy can show it (nothing is kept on the server). docs/design.md,
/// "Banners after actions".
public struct Notice: Sendable, Equatable {
    /// Every banner Otwarty can show. Its texts are `notice.<kind>.title` (the heading) and, when
    /// the catalogue has one, `notice.<kind>.next` (what happens next).
    public enum Kind: String, Sendable, CaseIterable {
        case saved, submitted, approved, returned
        /// An approved record sent back to its organisation (issue 12 D).
        case reopened
        case imported, frozen, narrativeSaved = "narrative-saved"
        case budgetSaved = "budget-saved", budgetDeleted = "budget-deleted", budgetImported = "budget-imported"
        case incidentTriaged = "incident-triaged", incidentReferred = "incident-referred"
        case incidentActionAdded = "incident-action-added", incidentClosed = "incident-closed"
        // Issue 14 A: who may read a case.
        case incidentAccessGranted = "incident-access-granted", incidentAccessRevoked = "incident-access-revoked"
        case informationAdded = "information-added"
        case feedbackSent = "feedback-sent", nominationSent = "nomination-sent", patronageSent = "patronage-sent"
        case changesSaved = "changes-saved"
        // Issue 12 H: the remaining actions.
        case documentPublished = "document-published", servicePointSaved = "service-point-saved"
        case patronageGranted = "patronage-granted", patronageRefused = "patronage-refused"
        case editionSaved = "edition-saved", scoreSaved = "score-saved"
        case winnerChosen = "winner-chosen", winnerRemoved = "winner-removed"
        case userInvited = "user-invited", userDisabled = "user-disabled", userEnabled = "user-enabled"
        case passwordLinkIssued = "password-link-issued", secondFactorRemoved = "second-factor-removed"
        case organisationAdded = "organisation-added", coordinatorAdded = "coordinator-added"
        case accountChangeProposed = "account-change-proposed", accountChangeApproved = "account-change-approved"
        case accountChangeRejected = "account-change-rejected", accountChangesSeen = "account-changes-seen"
        case twoFactorOn = "two-factor-on", twoFactorOff = "two-factor-off"
        case referenceSaved = "reference-saved"
        case riskAdded = "risk-added", riskDetailsSaved = "risk-details-saved", riskReassessed = "risk-reassessed"
        case signedOut = "signed-out", passwordSet = "password-set", setupDone = "setup-done"
        case policeImported = "police-imported"
        // Issue 13 D: the registers (dialogue bodies, assistants).
        case registerEntryAdded = "register-entry-added", registerEntryEnded = "register-entry-ended"
        case registerEntryDeleted = "register-entry-deleted"
        case productSaved = "product-saved"
        // Issue 14 F: a signed-in user's own password change.
        case passwordChanged = "password-changed"
    }

    public var kind: Kind
    /// What was acted on, when the page names or links it (a record's id); positive when present.
    public var subject: Int64?

    public init(_ kind: Kind, subject: Int64? = nil) {
        self.kind = kind
        self.subject = subject.flatMap { $0 > 0 ? $0 : nil }
    }

    /// `approved` or `approved.123`.
    var cookieValue: String { subject.map { "\(kind.rawValue).\($0)" } ?? kind.rawValue }

    /// Reads a cookie value back; anything that is not one of ours is ignored (the cookie comes
    /// from the browser, so it is bounded like any other input).
    init?(cookieValue text: String) {
        guard text.utf8.count <= 64 else { return nil }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let kind = Kind(rawValue: String(parts[0])) else { return nil }
        if parts.count == 2 {
            guard let subject = Int64(parts[1]), subject > 0 else { return nil }
            self.init(kind, subject: subject)
        } else {
            self.init(kind)
        }
    }
}

/// 303 See Other to the next page, which will show `notice` once.
public func redirect(to location: String, notice: Notice) -> Response {
    var response = redirect(to: location)
    response.headers[NoticeMiddleware.header] = notice.cookieValue
    return response
}

/// Carries a notice from an action to the page after it: a handler's `redirect(to:notice:)` marks
/// the response with an internal header, turned here into the cookie (with the deployment's
/// Secure flag) and never sent to the browser; a request bringing the cookie gets
/// `context.notice`, and the first HTML page answered clears it.
public struct NoticeMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let cookie = "otwarty_notice"
    static let header = HTTPField.Name("X-Otwarty-Notice")!

    let secureCookies: Bool

    public init(secureCookies: Bool) { self.secureCookies = secureCookies }

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        let brought = request.cookies[Self.cookie]?.value
        context.notice = brought.flatMap(Notice.init(cookieValue:))
        var response = try await next(request, context)
        if let value = response.headers[Self.header] {
            response.headers[Self.header] = nil
            response.setCookie(Cookie(name: Self.cookie, value: value, maxAge: 120, path: "/",
                                      secure: secureCookies, httpOnly: true, sameSite: .lax))
        } else if brought != nil, response.status == .ok,
                  response.headers[.contentType]?.hasPrefix("text/html") == true,
                  !CachePolicy.isSharedCacheable(response.headers) {
            response.setCookie(Cookie(name: Self.cookie, value: "", maxAge: 0, path: "/",
                                      secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

/// The banner as the layout draws it.
public struct NoticeBanner {
    public struct Link {
        public var label: String
        public var href: String
        public init(label: String, href: String) { self.label = label; self.href = href }
    }

    public var title: String
    /// What happens next, in a sentence or two; nil when the catalogue says nothing more.
    public var text: String?
    /// Details a page adds (the measures an approval moved, say).
    public var items: [String] = []
    public var links: [Link] = []

    public init(title: String, text: String? = nil, items: [String] = [], links: [Link] = []) {
        self.title = title
        self.text = text
        self.items = items
        self.links = links
    }
}

import Foundation
import Hummingbird
import Mustache
import OtwartyCore

/// Renders page models with the Mustache templates in Resources/templates. Mustache escapes
/// `& < > " '` in every `{{value}}`; templates never use the unescaped `{{{…}}}` form for
/// anything a user or a programme file wrote.
public struct PageRenderer: Sendable {
    public let library: MustacheLibrary
    public let localiser: Localiser
    /// Set by the bootstrap: administrators see a banner on every page while the audit chain
    /// check at start found a break.
    public var auditChain: AuditChainMonitor?

    public init(library: MustacheLibrary, localiser: Localiser) {
        self.library = library
        self.localiser = localiser
    }

    public static func bundled(localiser: Localiser) async throws -> PageRenderer {
        PageRenderer(library: try await bundledTemplates.value, localiser: localiser)
    }

    /// The bundled templates cannot change while the process runs, so they are parsed once (the
    /// tests build an application per test).
    private static let bundledTemplates = Task<MustacheLibrary, any Error> {
        guard let directory = Bundle.module.url(forResource: "Resources/templates", withExtension: nil) else {
            throw MissingResource(name: "templates")
        }
        return try await MustacheLibrary(directory: directory.path)
    }

    public func render(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) throws -> HTML {
        guard let html = library.render(model, withTemplate: template) else {
            throw RenderError(template: template)
        }
        return HTML(html, status: status)
    }

    /// The parts every page shares: language, texts, who is signed in, the CSRF token, links.
    public func chrome(_ context: AppRequestContext, title: String, url: SiteURL?) -> PageChrome {
        var chrome = chrome(language: context.language, user: context.user, csrfToken: context.csrfToken, title: title, url: url)
        // A session waiting for two-factor enrolment reaches nothing the work menu links to.
        if context.session?.enrolmentOnly == true { chrome.user?.enrolmentOnly = true }
        chrome.notice = context.notice.map { banner($0, language: context.language) }
        return chrome
    }

    public func chrome(language: String, user: User?, csrfToken: String?, title: String, url: SiteURL?) -> PageChrome {
        let t = localiser.strings(language)
        var chrome = PageChrome(
            lang: language,
            t: t,
            title: title,
            user: user.map { user in
                PageChrome.SignedIn(name: user.displayName, email: user.email,
                                    roleName: localiser.text("role.\(user.role.rawValue)", language),
                                    isAdministrator: user.role == .administrator,
                                    isReviewer: ActivityService.reviewers.contains(user.role),
                                    isIncidentHandler: IncidentService.handlers.contains(user.role),
                                    auditChainBroken: user.role == .administrator && (auditChain?.isBroken ?? false),
                                    readsReports: Visibility.reportReaders.contains(user.role),
                                    twoFactorHref: SiteURL.twoFactor.path(language),
                                    passwordHref: SiteURL.accountPassword.path(language),
                                    decidesHandlerAccounts: HandlerAccountRequest.deciders.contains(user.role),
                                    handlerAccountsHref: SiteURL.handlerAccountRequests.path(language),
                                    registersHref: RegisterService.dialogueBodyReaders.contains(user.role)
                                        ? SiteURL.manageDialogueBodies.path(language)
                                        : RegisterService.assistantKeepers.contains(user.role) ? SiteURL.manageAssistants.path(language) : nil)
            },
            csrfToken: csrfToken ?? "",
            languages: localiser.languages.map { other in
                PageChrome.LanguageLink(code: other.code, name: other.name,
                                        href: (url ?? .home).path(other.code), isCurrent: other.code == language)
            },
            homeHref: SiteURL.home.path(language),
            loginHref: SiteURL.login.path(language),
            logoutHref: SiteURL.logout.path(language),
            adminUsersHref: SiteURL.adminUsers.path(language),
            dashboardHref: SiteURL.dashboard.path(language),
            activitiesHref: SiteURL.activities.path(language),
            reviewHref: SiteURL.review.path(language),
            organisationsHref: SiteURL.organisations.path(language),
            referenceHref: SiteURL.referenceStatistics.path(language),
            reportsHref: SiteURL.reports.path(language),
            incidentsHref: SiteURL.incidents.path(language),
            reportIncidentHref: SiteURL.reportIncident.path(language),
            incidentStatisticsHref: SiteURL.incidentStatistics.path(language),
            progressHref: SiteURL.progress.path(language), eventsHref: SiteURL.events.path(language),
            openDataHref: SiteURL.openData.path(language), accessibilityHref: SiteURL.accessibility.path(language),
            servicePointsHref: SiteURL.servicePoints.path(language), documentsHref: SiteURL.documents.path(language),
            patronageHref: SiteURL.patronage.path(language), manageDocumentsHref: SiteURL.manageDocuments.path(language),
            ambassadorHref: SiteURL.ambassador.path(language))
        chrome.current = MenuCurrent(url: url)
        return chrome
    }
}

extension PageRenderer {
    /// A notice's banner with the catalogue's texts: `notice.<kind>.title` and, when present,
    /// `notice.<kind>.next`. Pages add details and links to `chrome.notice` themselves.
    public func banner(_ notice: Notice, language: String) -> NoticeBanner {
        let key = "notice.\(notice.kind.rawValue)"
        let next = localiser.text(key + ".next", language)
        return NoticeBanner(title: localiser.text(key + ".title", language), text: next == key + ".next" ? nil : next)
    }
}

public struct RenderError: Error, CustomStringConvertible {
    public var template: String
    public var description: String { "template \(template) is missing" }
}

public struct PageChrome {
    public struct SignedIn {
        public var name: String
        public var email: String
        public var roleName: String
        public var isAdministrator: Bool
        public var isReviewer: Bool
        public var isIncidentHandler: Bool
        /// Shown to administrators: the audit chain check at start found a break.
        public var auditChainBroken: Bool = false
        /// Reports carry the budget: the link is shown only to those who may open them.
        public var readsReports: Bool = false
        /// The account's two-factor sign-in page.
        public var twoFactorHref: String = ""
        /// The account's own password change (hidden from an enrolment-only session, which cannot reach it).
        public var passwordHref: String = ""
        /// The session may reach only the enrolment page: the work menu is left out.
        public var enrolmentOnly: Bool = false
        /// Administrators and the programme coordinator: incident-handler account changes (two people).
        public var decidesHandlerAccounts: Bool = false
        public var handlerAccountsHref: String = ""
        /// The registers (issue 13 D): dialogue bodies for those who read them, else the assistants' base; nil for neither.
        public var registersHref: String? = nil
    }

    public struct LanguageLink {
        public var code: String
        public var name: String
        public var href: String
        public var isCurrent: Bool
    }

    public var lang: String
    public var t: [String: Any & Sendable]
    public var title: String
    public var user: SignedIn?
    public var csrfToken: String
    public var languages: [LanguageLink]
    public var homeHref: String
    public var loginHref: String
    public var logoutHref: String
    public var adminUsersHref: String
    public var dashboardHref: String
    public var activitiesHref: String
    public var reviewHref: String
    public var organisationsHref: String
    public var referenceHref: String
    public var reportsHref: String
    public var incidentsHref: String
    public var reportIncidentHref: String
    public var incidentStatisticsHref: String
    public var progressHref: String
    public var eventsHref: String
    public var openDataHref: String
    public var accessibilityHref: String
    public var servicePointsHref: String
    public var documentsHref: String
    public var patronageHref: String
    public var manageDocumentsHref: String
    public var ambassadorHref: String
    /// The banner saying what the previous action did (post/redirect/get), shown once.
    public var notice: NoticeBanner?
    /// The signed-in menu's item for this page (`aria-current`).
    public var current = MenuCurrent()
}

import Foundation
import OtwartyCore

/// What the web layer needs, passed in by the bootstrap. Storage arrives as Core's protocols
/// only: this module never sees a database driver.
public struct WebDependencies: Sendable {
    public var repositories: Repositories
    public var accounts: AccountService
    /// The office clock: now, today and this year at the office (`OTWARTY_TIME_ZONE`).
    public var clock: OfficeClock
    public var renderer: PageRenderer
    public var openAPIJSON: Data
    /// Cookies get `Secure` and responses HSTS when the public address is https.
    public var servedOverHTTPS: Bool
    /// The address people reach the app at, for one-time links shown to administrators.
    public var publicBaseURL: String
    /// Makes PDFs of reports with a program found on the machine.
    public var pdfRenderer: any PDFRenderer
    /// Incident reports, sealed with the key the bootstrap loaded.
    public var incidents: IncidentService
    /// Anonymous public forms (incident form and API; ratings, nominations, patronage requests):
    /// counts in the store the bootstrap gives (the database, shared by instances), no identities kept.
    public var incidentThrottle: AnonymousThrottle
    /// `OTWARTY_TRUSTED_PROXIES`: whose `X-Forwarded-For` names the client (`ClientAddress`).
    public var trustedProxies = TrustedProxies.none
    /// Public pages rendered once per data version.
    public var publicCache = PublicPageCache()
    /// The incident form's shared rendering (the CSRF token spliced in per request).
    public var incidentFormCache = IncidentFormCache()
    /// `/api/v1/indicators` answers as JSON bytes, per programme and year, once per data version.
    public var indicatorAPICache = IndicatorAPICache()
    /// `OTWARTY_MAX_UPLOAD_MB`: the most an upload route (declared `body: .upload`) reads.
    public var maxUploadBytes = BodyLimit.defaultUploadBytes
    /// At most `OTWARTY_PDF_CONCURRENCY` PDFs at once, one per user, with a bounded wait.
    public var pdfQueue = PDFQueue()
    /// What the audit chain check at start found (`/healthz`, the administrators' banner).
    public var auditChain: AuditChainMonitor
    /// Two-factor sign-in: enrolment, the second step, removal.
    public var twoFactor: TwoFactorService
    /// `/metrics` and the request metrics, when `OTWARTY_METRICS_TOKEN` is set; nil: neither.
    public var metrics: MetricsEndpoint?

    public var localiser: Localiser { renderer.localiser }
    public var activities: ActivityService {
        ActivityService(activities: repositories.activities, programmes: repositories.programmes, audit: repositories.audit,
                        clock: clock)
    }
    public var indicators: IndicatorEngine {
        IndicatorEngine(aggregator: repositories.aggregator, references: repositories.references,
                        sources: repositories.measureSources)
    }
    /// The annual report's narrative and frozen versions.
    public var reports: ReportService {
        ReportService(narratives: repositories.narratives, versions: repositories.reportVersions, audit: repositories.audit,
                      clock: clock)
    }
    public var budget: BudgetService { BudgetService(budget: repositories.budget, audit: repositories.audit, clock: clock) }
    /// The risk register's writes: added risks, their details, reassessments.
    public var riskRegister: RiskRegisterService {
        RiskRegisterService(details: repositories.riskDetails, assessments: repositories.riskAssessments,
                            audit: repositories.audit, clock: clock)
    }
    public var referenceStatistics: ReferenceStatisticsService {
        ReferenceStatisticsService(references: repositories.references, audit: repositories.audit, clock: clock)
    }
    /// The organisation directory's writes (cooperation coordinators).
    public var organisations: OrganisationService {
        OrganisationService(organisations: repositories.organisations, coordinators: repositories.coordinators,
                            audit: repositories.audit, clock: clock)
    }
    public var policeStatistics: PoliceStatisticsService {
        PoliceStatisticsService(statistics: repositories.policeStatistics, imports: repositories.dataImports,
                                audit: repositories.audit, clock: clock)
    }

    public init(repositories: Repositories, accounts: AccountService, clock: OfficeClock, renderer: PageRenderer, openAPIJSON: Data,
                publicBaseURL: String, pdfRenderer: any PDFRenderer = NoPDFRenderer(), incidents: IncidentService,
                incidentThrottle: AnonymousThrottle = AnonymousThrottle(), auditChain: AuditChainMonitor = AuditChainMonitor(),
                twoFactor: TwoFactorService) {
        self.auditChain = auditChain
        self.twoFactor = twoFactor
        self.pdfRenderer = pdfRenderer
        self.incidents = incidents
        self.incidentThrottle = incidentThrottle
        self.repositories = repositories
        self.accounts = accounts
        self.clock = clock
        self.renderer = renderer
        self.openAPIJSON = openAPIJSON
        self.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        self.servedOverHTTPS = publicBaseURL.lowercased().hasPrefix("https://")
    }
}

/// The renderer when none is configured: says what to install.
public struct NoPDFRenderer: PDFRenderer {
    public init() {}
    public static let missing = DomainError.unavailable(
        "No PDF renderer is installed. Install Debian's chromium package (or libreoffice-writer-nogui) and restart "
        + "Otwarty, or set OTWARTY_PDF_RENDERER to chromium or libreoffice.")
    public var source: ReportFormat? { nil }
    public func pdf(from document: [UInt8]) async throws -> [UInt8] { throw Self.missing }
    public func describe() -> String? { nil }
}

extension WebDependencies {
    /// The instance's first programme: what the pages without a programme in their address show.
    func defaultProgramme() async throws -> Programme {
        guard let slug = try await repositories.programmes.summaries().first?.slug,
              let programme = try await repositories.programmes.programme(slug: slug)
        else { throw DomainError.notFound("Programme") }
        return programme
    }
}

import Foundation

// Feature code (OtwartyWeb, commands) depends on the storage protocols only; the SQL
// implementations live in OtwartyStorage and are linked by the bootstrap (OtwartyApp).

/// Everything the application stores, as one value to pass through initialisers.
public struct Repositories: Sendable {
    public var programmes: any ProgrammeRepository
    public var users: any UserRepository
    public var organisations: any OrganisationRepository
    public var sessions: any SessionRepository
    public var accountTokens: any AccountTokenRepository
    public var loginFailures: any LoginFailureRepository
    public var audit: any AuditLog
    public var activities: any ActivityRepository
    public var aggregator: any ActivityAggregator
    public var references: any ReferenceRepository
    /// Registers, ratings and data imports that measures read besides records (issue 13).
    public var measureSources: any MeasureSourceReader
    public var coordinators: any CoordinatorRepository
    public var apiTokens: any APITokenRepository
    public var budget: any BudgetRepository
    public var narratives: any ReportNarrativeRepository
    public var riskAssessments: any RiskAssessmentRepository
    public var reportVersions: any ReportVersionRepository
    public var incidents: any IncidentRepository
    /// Handlers' key pairs, cases' key envelopes, the recovery key (`IncidentKeyService`).
    public var incidentKeys: any IncidentKeyRepository
    public var policeStatistics: any PoliceStatisticsRepository
    public var riskDetails: any RiskDetailsRepository
    public var dataVersion: any DataVersionSource
    public var documents: any PublicDocumentRepository
    public var servicePoints: any ServicePointRepository
    public var patronage: any PatronageRepository
    public var ambassador: any AmbassadorRepository
    /// TOTP secrets, recovery codes and pending second steps (`TwoFactorService`).
    public var secondFactors: any SecondFactorRepository
    /// Two-person changes to incident-handler accounts (`HandlerAccountService`).
    public var handlerAccountRequests: any HandlerAccountRequestRepository
    /// Where reporters get help now (`HelpContactService`), kept by the programme coordinator.
    public var helpContacts: any HelpContactRepository
    /// Dialogue bodies and the assistants' contact base (`RegisterService`, issue 13 D).
    public var registers: any RegisterRepository
    /// When yearly data sets (police statistics) were imported (issue 13 D).
    public var dataImports: any DataImportLogRepository
    /// Each task's products (Table 1): status, delivery date, evidence (issue 13).
    public var products: any ProductRepository
    /// The anonymous public forms' counts (`AnonymousThrottle`): the database's in a deployment,
    /// so the limits hold across instances; this process's memory unless given.
    public var anonymousThrottle: any AnonymousThrottleStore

    public init(programmes: any ProgrammeRepository, users: any UserRepository,
                organisations: any OrganisationRepository, sessions: any SessionRepository,
                accountTokens: any AccountTokenRepository, loginFailures: any LoginFailureRepository,
                audit: any AuditLog, activities: any ActivityRepository, aggregator: any ActivityAggregator,
                references: any ReferenceRepository, coordinators: any CoordinatorRepository,
                apiTokens: any APITokenRepository, budget: any BudgetRepository,
                narratives: any ReportNarrativeRepository, riskAssessments: any RiskAssessmentRepository,
                reportVersions: any ReportVersionRepository, incidents: any IncidentRepository,
                policeStatistics: any PoliceStatisticsRepository, riskDetails: any RiskDetailsRepository,
                dataVersion: any DataVersionSource, documents: any PublicDocumentRepository,
                servicePoints: any ServicePointRepository, patronage: any PatronageRepository,
                ambassador: any AmbassadorRepository, secondFactors: any SecondFactorRepository,
                handlerAccountRequests: any HandlerAccountRequestRepository, helpContacts: any HelpContactRepository,
                measureSources: any MeasureSourceReader, products: any ProductRepository,
                registers: any RegisterRepository, dataImports: any DataImportLogRepository,
                incidentKeys: any IncidentKeyRepository,
                anonymousThrottle: any AnonymousThrottleStore = InMemoryAnonymousThrottleStore()) {
        self.anonymousThrottle = anonymousThrottle
        self.incidentKeys = incidentKeys
        self.products = products
        self.measureSources = measureSources
        self.registers = registers
        self.dataImports = dataImports
        self.handlerAccountRequests = handlerAccountRequests
        self.helpContacts = helpContacts
        self.ambassador = ambassador
        self.secondFactors = secondFactors
        self.documents = documents
        self.servicePoints = servicePoints
        self.patronage = patronage
        self.dataVersion = dataVersion
        self.incidents = incidents
        self.policeStatistics = policeStatistics
        self.riskDetails = riskDetails
        self.budget = budget
        self.narratives = narratives
        self.riskAssessments = riskAssessments
        self.reportVersions = reportVersions
        self.activities = activities
        self.aggregator = aggregator
        self.references = references
        self.coordinators = coordinators
        self.apiTokens = apiTokens
        self.programmes = programmes
        self.users = users
        self.organisations = organisations
        self.sessions = sessions
        self.accountTokens = accountTokens
        self.loginFailures = loginFailures
        self.audit = audit
    }
}

import Foundation

// Storage interfaces. Feature code (OtwartyWeb, commands) depends on these protocols only; the
// SQL implementations live in OtwartyStorage and are linked by the bootstrap (OtwartyApp).

public struct ProgrammeSummary: Hashable, Sendable {
    public var slug: String
    public var title: String
    public var resolution: String
    public var period: Period
    public var updatedAt: Date
    public init(slug: String, title: String, resolution: String, period: Period, updatedAt: Date) {
        self.slug = slug
        self.title = title
        self.resolution = resolution
        self.period = period
        self.updatedAt = updatedAt
    }
}

public enum ProgrammeSaveOutcome: String, Sendable, Equatable {
    case created, updated, unchanged
}

public protocol ProgrammeRepository: Sendable {
    /// Inserts the programme or replaces the one with the same slug; a byte-identical programme is left alone.
    func save(_ programme: Programme) async throws -> ProgrammeSaveOutcome
    func programme(slug: String) async throws -> Programme?
    /// All programmes, oldest first: the first is the instance's default.
    func summaries() async throws -> [ProgrammeSummary]
}

public protocol UserRepository: Sendable {
    /// Throws `DomainError.conflict` when the e-mail is taken.
    func create(_ user: NewUser, at: Date) async throws -> User
    func user(id: UserID) async throws -> User?
    func user(email: String) async throws -> User?
    func all() async throws -> [User]
    func setPasswordHash(_ hash: String, userID: UserID) async throws
    func setDisabled(_ disabled: Bool, userID: UserID) async throws
    /// Only through `HandlerAccountService` (into or out of incident-handler, two people).
    func setRole(_ role: Role, userID: UserID) async throws
    func countActive(role: Role) async throws -> Int
}

public protocol OrganisationRepository: Sendable {
    func create(name: String, kind: OrganisationKind) async throws -> Organisation
    func organisation(id: OrganisationID) async throws -> Organisation?
    func organisation(named name: String) async throws -> Organisation?
    func all() async throws -> [Organisation]
}

public protocol SessionRepository: Sendable {
    func create(_ session: Session) async throws
    func session(tokenHash: String) async throws -> Session?
    func touch(tokenHash: String, at: Date) async throws
    func delete(tokenHash: String) async throws
    /// Ends every session of a user (on disabling, on password change).
    func deleteAll(userID: UserID) async throws
    /// Removes sessions idle since before `idleBefore` or created before `createdBefore`.
    func deleteExpired(idleBefore: Date, createdBefore: Date) async throws -> Int
}

public protocol AccountTokenRepository: Sendable {
    func create(_ token: AccountToken) async throws
    func token(hash: String) async throws -> AccountToken?
    /// Marks the token used if it still is usable; false when another request used it first.
    func consume(hash: String, at: Date) async throws -> Bool
    /// Voids earlier unused tokens so only the newest link works.
    func revokeUnused(purpose: AccountToken.Purpose, userID: UserID?, at: Date) async throws
}

public protocol LoginFailureRepository: Sendable {
    /// Sign-in attempts (`LoginThrottlePolicy`): in ONE transaction, counts the attempts of the
    /// (account, client) pair, the account and the client after `windowStart` (the pair's also since
    /// `memoryStart`), asks `decide`, and when it answers nil records this attempt as a failure.
    func reserveAttempt(account: String, client: String, at: Date, windowStart: Date, memoryStart: Date,
                        decide: @escaping @Sendable (LoginAttemptCounts) -> Int?) async throws -> LoginReservation
    /// A right password: removes the pair's attempts, the reservation included.
    func releaseAttempts(account: String, client: String) async throws
    /// Housekeeping: attempts older than `before`.
    func purgeAttempts(before: Date) async throws
    func record(keys: [String], at: Date) async throws
    func count(key: String, since: Date) async throws -> Int
    func clear(key: String) async throws
    func purge(before: Date) async throws
}

public struct AuditEntry: Hashable, Sendable {
    public var at: Date
    public var actorUserID: UserID?
    /// Dotted verb, e.g. `user.disabled`, `programme.loaded`.
    public var action: String
    /// What was acted on, e.g. `user:12`, `programme:otwarty-krakow-2024-2028`.
    public var subject: String
    public var detail: String
    public init(at: Date, actorUserID: UserID?, action: String, subject: String, detail: String = "") {
        self.at = at
        self.actorUserID = actorUserID
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}

/// The audit trail: a hash chain (`AuditChain`). Every entry joins it through one append path
/// that holds the chain's lock, so the chain never forks, also with several server instances.
public protocol AuditLog: Sendable {
    /// Appends the entry to the chain now.
    func record(_ entry: AuditEntry) async throws
    /// For acts of anonymous people (incident reports): the caller has already cut `at` to the
    /// start of the day; the entry waits outside the chain until `releaseHeld(before:)` appends it
    /// once its day is over, among that day's other held entries in an order that says nothing
    /// about when each arrived. So neither its time nor its place between timed entries shows
    /// the second it was sent.
    func hold(_ entry: AuditEntry) async throws
    /// Appends the held entries whose `at` lies before `cutOff`, ordered by (at, subject, action,
    /// detail); returns how many.
    @discardableResult
    func releaseHeld(before cutOff: Date) async throws -> Int
    /// Newest first.
    func entries(subject: String?, limit: Int) async throws -> [AuditEntry]
    /// Walks the chain (the last `tail` entries, or all when nil) and reports the first entry
    /// that was changed, removed or reordered.
    func verify(tail: Int?) async throws -> AuditChainReport
}

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
    public var coordinators: any CoordinatorRepository
    public var apiTokens: any APITokenRepository
    public var budget: any BudgetRepository
    public var narratives: any ReportNarrativeRepository
    public var riskAssessments: any RiskAssessmentRepository
    public var reportVersions: any ReportVersionRepository
    public var incidents: any IncidentRepository
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
                handlerAccountRequests: any HandlerAccountRequestRepository) {
        self.handlerAccountRequests = handlerAccountRequests
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

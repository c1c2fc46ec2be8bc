import Foundation
import OtwartyCore

extension Repositories {
    /// The SQL implementation of every repository over one database.
    public static func sql(_ database: Database, clock: OfficeClock = OfficeClock()) -> Repositories {
        // One version source for the public pages and (PostgreSQL) the indicator cache. SQLite's
        // indicator cache keeps reading the version row on every lookup: another process sharing
        // the file (a command-line import) is seen at once there, not up to a second later.
        let dataVersion = SQLDataVersionSource(database: database)
        var aggregator = CachingActivityAggregator(base: SQLActivityAggregator(database: database), database: database)
        if database.kind == .postgres { aggregator.version = dataVersion }
        return Repositories(programmes: SQLProgrammeRepository(database: database, clock: clock),
                     users: SQLUserRepository(database: database),
                     organisations: SQLOrganisationRepository(database: database, clock: clock),
                     sessions: SQLSessionRepository(database: database),
                     accountTokens: SQLAccountTokenRepository(database: database),
                     loginFailures: SQLLoginFailureRepository(database: database),
                     audit: SQLAuditLog(database: database),
                     activities: SQLActivityRepository(database: database),
                     aggregator: aggregator,
                     references: SQLReferenceRepository(database: database),
                     coordinators: SQLCoordinatorRepository(database: database, clock: clock),
                     apiTokens: SQLAPITokenRepository(database: database),
                     budget: SQLBudgetRepository(database: database),
                     narratives: SQLReportNarrativeRepository(database: database),
                     riskAssessments: SQLRiskAssessmentRepository(database: database),
                     reportVersions: SQLReportVersionRepository(database: database),
                     incidents: SQLIncidentRepository(database: database),
                     policeStatistics: SQLPoliceStatisticsRepository(database: database),
                     riskDetails: SQLRiskDetailsRepository(database: database),
                     dataVersion: dataVersion,
                     documents: SQLPublicDocumentRepository(database: database),
                     servicePoints: SQLServicePointRepository(database: database),
                     patronage: SQLPatronageRepository(database: database),
                     ambassador: SQLAmbassadorRepository(database: database),
                     secondFactors: SQLSecondFactorRepository(database: database),
                     handlerAccountRequests: SQLHandlerAccountRequestRepository(database: database),
                     helpContacts: SQLHelpContactRepository(database: database),
                     measureSources: SQLMeasureSourceReader(database: database),
                     products: SQLProductRepository(database: database),
                     registers: SQLRegisterRepository(database: database, clock: clock),
                     dataImports: SQLDataImportLog(database: database),
                     incidentKeys: SQLIncidentKeyRepository(database: database),
                     anonymousThrottle: SQLAnonymousThrottleStore(database: database))
    }
}

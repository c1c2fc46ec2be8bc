import Foundation
import OtwartyCore

extension Repositories {
    /// The SQL implementation of every repository over one database.
    public static func sql(_ database: Database, clock: OfficeClock = OfficeClock()) -> Repositories {
        Repositories(programmes: SQLProgrammeRepository(database: database, clock: clock),
                     users: SQLUserRepository(database: database),
                     organisations: SQLOrganisationRepository(database: database, clock: clock),
                     sessions: SQLSessionRepository(database: database),
                     accountTokens: SQLAccountTokenRepository(database: database),
                     loginFailures: SQLLoginFailureRepository(database: database),
                     audit: SQLAuditLog(database: database),
                     activities: SQLActivityRepository(database: database),
                     aggregator: CachingActivityAggregator(base: SQLActivityAggregator(database: database), database: database),
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
                     dataVersion: SQLDataVersionSource(database: database),
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
                     incidentKeys: SQLIncidentKeyRepository(database: database))
    }
}

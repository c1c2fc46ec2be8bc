import Foundation
import OtwartyCore

extension Repositories {
    /// The SQL implementation of every repository over one database.
    public static func sql(_ database: Database, now: @escaping @Sendable () -> Date = Date.init) -> Repositories {
        Repositories(programmes: SQLProgrammeRepository(database: database, now: now),
                     users: SQLUserRepository(database: database),
                     organisations: SQLOrganisationRepository(database: database, now: now),
                     sessions: SQLSessionRepository(database: database),
                     accountTokens: SQLAccountTokenRepository(database: database),
                     loginFailures: SQLLoginFailureRepository(database: database),
                     audit: SQLAuditLog(database: database),
                     activities: SQLActivityRepository(database: database),
                     aggregator: CachingActivityAggregator(base: SQLActivityAggregator(database: database), database: database),
                     references: SQLReferenceRepository(database: database),
                     coordinators: SQLCoordinatorRepository(database: database, now: now),
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
                     handlerAccountRequests: SQLHandlerAccountRequestRepository(database: database))
    }
}

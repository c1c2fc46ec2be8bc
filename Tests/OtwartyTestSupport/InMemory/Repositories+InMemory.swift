import Foundation
import OtwartyCore

extension Repositories {
    /// Every repository in memory, for web tests that check pages, access and workflows rather
    /// than SQL: accounts (with two-factor and two-person requests), programmes, organisations,
    /// coordinators, reference statistics, the audit trail and activity records with their
    /// indicators are full doubles; the stores a
    /// test on these rarely writes (`InMemoryEmptyStores.swift`) answer reads as an empty
    /// database and fail the test on a write. The SQL itself is tested on both engines in
    /// OtwartyStorageTests.
    public static func inMemory(clock: OfficeClock) -> Repositories {
        let dataVersion = InMemoryDataVersion()
        let organisations = InMemoryOrganisationRepository()
        let activities = InMemoryActivityRepository(organisations: organisations, dataVersion: dataVersion)
        return Repositories(
            programmes: InMemoryProgrammeRepository(clock: clock, dataVersion: dataVersion), users: InMemoryUserRepository(),
            organisations: organisations, sessions: InMemorySessionRepository(),
            accountTokens: InMemoryAccountTokenRepository(), loginFailures: InMemoryLoginFailureRepository(),
            audit: InMemoryAuditLog(), activities: activities, aggregator: InMemoryLiveAggregator(activities: activities),
            references: InMemoryReferenceRepository(dataVersion: dataVersion), coordinators: InMemoryCoordinatorRepository(),
            apiTokens: InMemoryAPITokenRepository(), budget: EmptyBudgetRepository(),
            narratives: EmptyReportNarrativeRepository(), riskAssessments: EmptyRiskAssessmentRepository(),
            reportVersions: EmptyReportVersionRepository(), incidents: EmptyIncidentRepository(),
            policeStatistics: EmptyPoliceStatisticsRepository(), riskDetails: EmptyRiskDetailsRepository(),
            dataVersion: dataVersion, documents: EmptyPublicDocumentRepository(), servicePoints: EmptyServicePointRepository(),
            patronage: EmptyPatronageRepository(), ambassador: EmptyAmbassadorRepository(),
            secondFactors: InMemorySecondFactorRepository(), handlerAccountRequests: InMemoryHandlerAccountRequestRepository(),
            helpContacts: InMemoryHelpContactRepository(dataVersion: dataVersion), measureSources: InMemoryMeasureSources(),
            products: InMemoryProductRepository(), registers: InMemoryRegisterRepository(),
            dataImports: InMemoryDataImportLog(), incidentKeys: InMemoryIncidentKeyRepository())
    }
}

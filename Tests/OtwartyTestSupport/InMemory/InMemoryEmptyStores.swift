import Foundation
import OtwartyCore

// Repositories the web tests on in-memory storage only read: each holds nothing and answers
// reads as an empty database does, and fails the test loudly on any write (`unimplemented`).
// A test that writes budget entries, report versions, incidents or public-side records runs on
// SQLite (`TestApp.withApp(storage: .sqlite)`), or its store gets a full double.

public struct EmptyBudgetRepository: BudgetRepository {
    public init() {}
    public func entries(programme: String, year: Int?) async throws -> [BudgetEntry] { [] }
    public func save(_ entry: BudgetEntry) async throws { throw unimplemented("BudgetRepository.save") }
    public func saveAll(_ entries: [BudgetEntry]) async throws { throw unimplemented("BudgetRepository.saveAll") }
    public func delete(programme: String, year: Int, taskCode: String, source: Int) async throws -> Bool {
        throw unimplemented("BudgetRepository.delete")
    }
}

public struct EmptyReportNarrativeRepository: ReportNarrativeRepository {
    public init() {}
    public func narrative(programme: String, year: Int) async throws -> ReportNarrative { .empty }
    public func save(_ narrative: ReportNarrative, programme: String, year: Int) async throws {
        throw unimplemented("ReportNarrativeRepository.save")
    }
}

public struct EmptyRiskAssessmentRepository: RiskAssessmentRepository {
    public init() {}
    public func add(_ assessment: RiskAssessment) async throws { throw unimplemented("RiskAssessmentRepository.add") }
    public func assessments(programme: String) async throws -> [RiskAssessment] { [] }
}

public struct EmptyReportVersionRepository: ReportVersionRepository {
    public init() {}
    public func freeze(programme: String, year: Int, number: Int, files: [ReportFile], at: Date,
                       by: UserID?) async throws -> ReportVersion {
        throw unimplemented("ReportVersionRepository.freeze")
    }
    public func versions(programme: String, year: Int) async throws -> [ReportVersion] { [] }
    public func versions(programme: String) async throws -> [ReportVersion] { [] }
    public func file(programme: String, year: Int, number: Int, format: ReportFormat) async throws -> ReportFile? { nil }
    public func addFile(_ file: ReportFile, programme: String, year: Int, number: Int) async throws -> ReportFile {
        throw unimplemented("ReportVersionRepository.addFile")
    }
}

public struct EmptyIncidentRepository: IncidentRepository {
    public init() {}
    public func create(_ incident: StoredIncident, grants: [CaseKeyGrant]) async throws -> IncidentID {
        throw unimplemented("IncidentRepository.create")
    }
    public func reseal(_ incident: StoredIncident, events: [StoredIncidentEvent], grants: [CaseKeyGrant]) async throws {
        throw unimplemented("IncidentRepository.reseal")
    }
    public func serverSealedIncidents() async throws -> [StoredIncident] { [] }
    public func setReporterKey(incidentID: IncidentID, publicKey: Data, parameters: ScryptParameters) async throws { throw unimplemented("IncidentRepository.setReporterKey") }
    public func setReporterCopies(_ copies: [Int64: String]) async throws { throw unimplemented("IncidentRepository.setReporterCopies") }
    public func incident(id: IncidentID) async throws -> StoredIncident? { nil }
    public func incident(caseCode: String) async throws -> StoredIncident? { nil }
    public func list(statuses: Set<IncidentStatus>, limit: Int, offset: Int) async throws -> [StoredIncident] { [] }
    public func queue(_ query: IncidentQueueQuery) async throws -> [StoredIncident] { [] }
    public func update(_ incident: StoredIncident) async throws { throw unimplemented("IncidentRepository.update") }
    public func addEvent(_ event: StoredIncidentEvent) async throws { throw unimplemented("IncidentRepository.addEvent") }
    public func events(incidentID: IncidentID) async throws -> [StoredIncidentEvent] { [] }
    /// The retention rule runs when the application starts: over no cases it removes nothing.
    public func purge(closedOnOrBefore: CalendarDate, today: CalendarDate) async throws -> Int { 0 }
    public func scrubRemovedText(afterPurging purged: Int) async throws {
        if purged > 0 { throw unimplemented("IncidentRepository.scrubRemovedText") }
    }
    public func facts(year: Int) async throws -> [IncidentFacts] { [] }
}

public struct EmptyPoliceStatisticsRepository: PoliceStatisticsRepository {
    public init() {}
    public func replace(years: Set<Int>, with rows: [PoliceStatistic]) async throws {
        throw unimplemented("PoliceStatisticsRepository.replace")
    }
    public func rows(years: ClosedRange<Int>) async throws -> [PoliceStatistic] { [] }
    public func years() async throws -> [Int] { [] }
}

public struct EmptyRiskDetailsRepository: RiskDetailsRepository {
    public init() {}
    public func details(programme: String) async throws -> [RiskDetails] { [] }
    public func save(_ details: RiskDetails) async throws { throw unimplemented("RiskDetailsRepository.save") }
}

public struct EmptyPublicDocumentRepository: PublicDocumentRepository {
    public init() {}
    public func publish(_ document: PublicDocument, bytes: [UInt8]) async throws -> PublicDocument {
        throw unimplemented("PublicDocumentRepository.publish")
    }
    public func documents(kind: PublicDocumentKind?) async throws -> [PublicDocument] { [] }
    public func file(id: Int64) async throws -> (PublicDocument, [UInt8])? { nil }
    public func setActivity(_ activityID: ActivityID, documentID: Int64) async throws {
        throw unimplemented("PublicDocumentRepository.setActivity")
    }
}

public struct EmptyServicePointRepository: ServicePointRepository {
    public init() {}
    public func all() async throws -> [ServicePoint] { [] }
    public func point(id: Int64) async throws -> ServicePoint? { nil }
    public func save(_ point: ServicePoint) async throws -> ServicePoint { throw unimplemented("ServicePointRepository.save") }
    public func addFeedback(_ feedback: ServiceFeedback) async throws -> Bool {
        throw unimplemented("ServicePointRepository.addFeedback")
    }
    public func feedbackSummary(year: Int) async throws -> [FeedbackSummary] { [] }
    public func comments(pointID: Int64, limit: Int) async throws -> [ServiceFeedback] { [] }
    public func monthActivity(pointID: Int64, year: Int, month: Int) async throws -> ActivityID? { nil }
    public func setMonthActivity(_ id: ActivityID, pointID: Int64, year: Int, month: Int) async throws {
        throw unimplemented("ServicePointRepository.setMonthActivity")
    }
    public func monthApprovedCount(pointID: Int64, year: Int, month: Int) async throws -> Int { 0 }
    public func setMonthApprovedCount(_ count: Int, pointID: Int64, year: Int, month: Int) async throws {
        throw unimplemented("ServicePointRepository.setMonthApprovedCount")
    }
}

public struct EmptyPatronageRepository: PatronageRepository {
    public init() {}
    public func submit(_ request: PatronageRequest) async throws -> PatronageRequest {
        throw unimplemented("PatronageRepository.submit")
    }
    public func requests(status: PatronageRequest.Status?) async throws -> [PatronageRequest] { [] }
    public func request(id: Int64) async throws -> PatronageRequest? { nil }
    public func decide(id: Int64, status: PatronageRequest.Status, on: CalendarDate, reason: String,
                       activityID: ActivityID?) async throws -> Bool {
        throw unimplemented("PatronageRepository.decide")
    }
    public func setActivity(_ activityID: ActivityID, requestID: Int64) async throws {
        throw unimplemented("PatronageRepository.setActivity")
    }
}

public struct EmptyAmbassadorRepository: AmbassadorRepository {
    public init() {}
    public func editions() async throws -> [AmbassadorEdition] { [] }
    public func edition(year: Int) async throws -> AmbassadorEdition? { nil }
    public func saveEdition(_ edition: AmbassadorEdition) async throws { throw unimplemented("AmbassadorRepository.saveEdition") }
    public func nominate(_ nomination: Nomination) async throws -> Bool { throw unimplemented("AmbassadorRepository.nominate") }
    public func nominations(year: Int) async throws -> [ScoredNomination] { [] }
    public func score(nominationID: Int64, juror: UserID, score: Int) async throws {
        throw unimplemented("AmbassadorRepository.score")
    }
    public func setWinner(nominationID: Int64, winner: Bool) async throws {
        throw unimplemented("AmbassadorRepository.setWinner")
    }
}

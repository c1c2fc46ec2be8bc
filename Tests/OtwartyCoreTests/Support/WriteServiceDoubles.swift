import Foundation
@testable import OtwartyCore

// In-memory stand-ins for the storage protocols the write services use, so their rules and audit
// entries are tested without a database (the SQL itself is the storage suite's, on both engines).

/// Keeps what is stored behind a lock: the doubles are shared by the async service calls.
final class Stored<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    var current: Value { lock.withLock { value } }
    func change<R>(_ body: (inout Value) throws -> R) rethrows -> R { try lock.withLock { try body(&value) } }
}

/// The audit trail as a list: `record` appends, `entries` reads newest first.
struct RecordingAuditLog: AuditLog {
    let recorded = Stored<[AuditEntry]>([])
    var all: [AuditEntry] { recorded.current }

    func record(_ entry: AuditEntry) async throws { recorded.change { $0.append(entry) } }
    func hold(_ entry: AuditEntry) async throws { recorded.change { $0.append(entry) } }
    func releaseHeld(before cutOff: Date) async throws -> Int { 0 }
    func entries(subject: String?, limit: Int) async throws -> [AuditEntry] {
        Array(all.reversed().filter { subject == nil || $0.subject == subject }.prefix(limit))
    }
    func verify(tail: Int?) async throws -> AuditChainReport {
        AuditChainReport(count: Int64(all.count), headHash: AuditChain.genesis, problem: nil)
    }
}

struct MemoryProgrammeRepository: ProgrammeRepository {
    let stored = Stored<[Programme]>([])

    func save(_ programme: Programme) async throws -> ProgrammeSaveOutcome {
        stored.change { programmes in
            guard let index = programmes.firstIndex(where: { $0.slug == programme.slug }) else {
                programmes.append(programme)
                return .created
            }
            if programmes[index] == programme { return .unchanged }
            programmes[index] = programme
            return .updated
        }
    }
    func programme(slug: String) async throws -> Programme? { stored.current.first { $0.slug == slug } }
    func summaries() async throws -> [ProgrammeSummary] {
        stored.current.map { ProgrammeSummary(slug: $0.slug, title: $0.title, resolution: $0.resolution, period: $0.period,
                                              updatedAt: Date(timeIntervalSince1970: 0)) }
    }
}

struct MemoryRiskDetailsRepository: RiskDetailsRepository {
    let stored = Stored<[RiskDetails]>([])
    func details(programme: String) async throws -> [RiskDetails] {
        stored.current.filter { $0.programmeSlug == programme }.sorted { $0.number < $1.number }
    }
    func save(_ details: RiskDetails) async throws {
        stored.change { all in
            all.removeAll { $0.programmeSlug == details.programmeSlug && $0.number == details.number }
            all.append(details)
        }
    }
}

struct MemoryRiskAssessmentRepository: RiskAssessmentRepository {
    let stored = Stored<[RiskAssessment]>([])
    func add(_ assessment: RiskAssessment) async throws { stored.change { $0.append(assessment) } }
    func assessments(programme: String) async throws -> [RiskAssessment] {
        stored.current.filter { $0.programmeSlug == programme }.sorted { ($0.date, $0.recordedAt) < ($1.date, $1.recordedAt) }
    }
}

struct MemoryReferenceRepository: ReferenceRepository {
    let stored = Stored<[(value: ReferenceValue, by: UserID?)]>([])
    func set(_ value: ReferenceValue, by: UserID?) async throws { stored.change { $0.append((value, by)) } }
    func revisions(key: String, year: Int) async throws -> [ReferenceValue] {
        stored.current.map(\.value).filter { $0.key == key && $0.year == year }.reversed()
    }
    func allCurrent() async throws -> [ReferenceValue] {
        var latest: [String: ReferenceValue] = [:]
        for (value, _) in stored.current { latest["\(value.key)|\(value.year)"] = value }
        return latest.values.sorted { ($0.key, $0.year) < ($1.key, $1.year) }
    }
    func current(key: String, year: Int) async throws -> ReferenceValue? { try await revisions(key: key, year: year).first }
}

struct MemoryOrganisationRepository: OrganisationRepository {
    let stored = Stored<[Organisation]>([])
    func create(name: String, kind: OrganisationKind) async throws -> Organisation {
        stored.change { all in
            let organisation = Organisation(id: OrganisationID(all.count + 1), name: name, kind: kind)
            all.append(organisation)
            return organisation
        }
    }
    func organisation(id: OrganisationID) async throws -> Organisation? { stored.current.first { $0.id == id } }
    func organisation(named name: String) async throws -> Organisation? { stored.current.first { $0.name == name } }
    func all() async throws -> [Organisation] { stored.current }
}

struct MemoryCoordinatorRepository: CoordinatorRepository {
    let stored = Stored<[CooperationCoordinator]>([])
    func add(_ coordinator: CooperationCoordinator) async throws -> CooperationCoordinator {
        stored.change { all in
            var added = coordinator
            added.id = Int64(all.count + 1)
            all.append(added)
            return added
        }
    }
    func coordinators(organisationID: OrganisationID?) async throws -> [CooperationCoordinator] {
        stored.current.filter { organisationID == nil || $0.organisationID == organisationID }
    }
}

struct MemoryPoliceStatisticsRepository: PoliceStatisticsRepository {
    let stored = Stored<[PoliceStatistic]>([])
    func replace(years: Set<Int>, with rows: [PoliceStatistic]) async throws {
        stored.change { all in
            all.removeAll { years.contains($0.year) }
            all += rows
        }
    }
    func rows(years: ClosedRange<Int>) async throws -> [PoliceStatistic] { stored.current.filter { years.contains($0.year) } }
    func years() async throws -> [Int] { Array(Set(stored.current.map(\.year))).sorted() }
}

import Foundation
@testable import OtwartyCore
import OtwartyTestSupport

// The write services' unit tests use OtwartyTestSupport's in-memory repositories (programmes,
// organisations, coordinators, reference statistics, the audit trail). The three stores below
// have only read-only doubles there (`Empty…`, for the web tests); these keep what is written.

/// Keeps what is stored behind a lock (the report and budget doubles keep their rows in one).
final class Stored<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    var current: Value { lock.withLock { value } }
    func change<R>(_ body: (inout Value) throws -> R) rethrows -> R { try lock.withLock { try body(&value) } }
}

/// The audit trail as a plain list, read synchronously (`all`, oldest first); the report and budget
/// service tests use it. The tests in this file's suites use `InMemoryAuditLog`, which also chains.
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

extension InMemoryAuditLog {
    /// Every entry appended to the chain, oldest first.
    var all: [AuditEntry] {
        get async throws { try await entries(subject: nil, limit: .max).reversed() }
    }
}

struct MemoryRiskDetailsRepository: RiskDetailsRepository {
    let stored = Locked<[RiskDetails]>([])
    func details(programme: String) async throws -> [RiskDetails] {
        stored.current.filter { $0.programmeSlug == programme }.sorted { $0.number < $1.number }
    }
    /// Inserts or replaces, as the SQL repository does.
    func save(_ details: RiskDetails) async throws {
        stored.withLock { all in
            all.removeAll { $0.programmeSlug == details.programmeSlug && $0.number == details.number }
            all.append(details)
        }
    }
}

struct MemoryRiskAssessmentRepository: RiskAssessmentRepository {
    let stored = Locked<[RiskAssessment]>([])
    func add(_ assessment: RiskAssessment) async throws { stored.withLock { $0.append(assessment) } }
    func assessments(programme: String) async throws -> [RiskAssessment] {
        stored.current.filter { $0.programmeSlug == programme }.sorted { ($0.date, $0.recordedAt) < ($1.date, $1.recordedAt) }
    }
}

struct MemoryPoliceStatisticsRepository: PoliceStatisticsRepository {
    let stored = Locked<[PoliceStatistic]>([])
    func replace(years: Set<Int>, with rows: [PoliceStatistic]) async throws {
        stored.withLock { all in
            all.removeAll { years.contains($0.year) }
            all += rows
        }
    }
    func rows(years: ClosedRange<Int>) async throws -> [PoliceStatistic] { stored.current.filter { years.contains($0.year) } }
    func years() async throws -> [Int] { Array(Set(stored.current.map(\.year))).sorted() }
}

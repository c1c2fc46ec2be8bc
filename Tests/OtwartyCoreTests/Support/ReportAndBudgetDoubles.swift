import Foundation
@testable import OtwartyCore

// In-memory stand-ins for the report's and the budget's storage protocols (`ReportService`,
// `BudgetService`); the SQL is the storage suite's, on both engines.

struct MemoryNarrativeRepository: ReportNarrativeRepository {
    let stored = Stored<[String: ReportNarrative]>([:])
    func narrative(programme: String, year: Int) async throws -> ReportNarrative { stored.current["\(programme)|\(year)"] ?? .empty }
    func save(_ narrative: ReportNarrative, programme: String, year: Int) async throws {
        stored.change { $0["\(programme)|\(year)"] = narrative }
    }
}

struct MemoryReportVersionRepository: ReportVersionRepository {
    let stored = Stored<[(version: ReportVersion, files: [ReportFile])]>([])

    func freeze(programme: String, year: Int, number: Int, files: [ReportFile], at: Date, by: UserID?) async throws -> ReportVersion {
        try stored.change { all in
            guard !all.contains(where: { $0.version.programmeSlug == programme && $0.version.year == year && $0.version.number == number }) else {
                throw DomainError.conflict("version \(number) exists")
            }
            let version = ReportVersion(id: Int64(all.count + 1), programmeSlug: programme, year: year, number: number, frozenAt: at,
                                        frozenBy: by, digests: Dictionary(files.map { ($0.format, $0.sha256) }, uniquingKeysWith: { a, _ in a }))
            all.append((version, files))
            return version
        }
    }
    func versions(programme: String, year: Int) async throws -> [ReportVersion] {
        try await versions(programme: programme).filter { $0.year == year }
    }
    func versions(programme: String) async throws -> [ReportVersion] {
        stored.current.map(\.version).filter { $0.programmeSlug == programme }.sorted { ($0.year, $0.number) > ($1.year, $1.number) }
    }
    func file(programme: String, year: Int, number: Int, format: ReportFormat) async throws -> ReportFile? {
        stored.current.first { $0.version.programmeSlug == programme && $0.version.year == year && $0.version.number == number }?
            .files.first { $0.format == format }
    }
    func addFile(_ file: ReportFile, programme: String, year: Int, number: Int) async throws -> ReportFile {
        stored.change { all in
            guard let index = all.firstIndex(where: { $0.version.programmeSlug == programme && $0.version.year == year && $0.version.number == number })
            else { return file }
            if let existing = all[index].files.first(where: { $0.format == file.format }) { return existing }
            all[index].files.append(file)
            all[index].version.digests[file.format] = file.sha256
            return file
        }
    }
}

struct MemoryBudgetRepository: BudgetRepository {
    let stored = Stored<[BudgetEntry]>([])
    static func key(_ e: BudgetEntry) -> String { "\(e.programmeSlug)|\(e.year)|\(e.taskCode)|\(e.source)" }

    func entries(programme: String, year: Int?) async throws -> [BudgetEntry] {
        stored.current.filter { $0.programmeSlug == programme && (year == nil || $0.year == year) }
            .sorted { ($0.year, $0.taskCode, $0.source) < ($1.year, $1.taskCode, $1.source) }
    }
    func save(_ entry: BudgetEntry) async throws {
        stored.change { all in
            all.removeAll { Self.key($0) == Self.key(entry) }
            all.append(entry)
        }
    }
    func saveAll(_ entries: [BudgetEntry]) async throws { for entry in entries { try await save(entry) } }
    func delete(programme: String, year: Int, taskCode: String, source: Int) async throws -> Bool {
        stored.change { all in
            let before = all.count
            all.removeAll { $0.programmeSlug == programme && $0.year == year && $0.taskCode == taskCode && $0.source == source }
            return all.count < before
        }
    }
}

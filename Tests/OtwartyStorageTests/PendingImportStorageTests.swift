import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// Uploaded files between preview and confirmation (`pending_imports`, migration 20) on both engines.
@Suite struct PendingImportStorageTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func aFileIsKeptClaimedOnceAndExpires(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let activities = SQLActivityRepository(database: database)
            let user = try await F.user(database)
            let t0 = F.t0
            let text = "date,task\n2025-01-01,4.1\n„Zażółć” — ✓"
            let pending = PendingImport(userID: user, programmeSlug: "s", status: .approved, createOrganisations: true,
                                        fileName: "działania.csv", text: text, createdAt: t0, expiresAt: t0.addingTimeInterval(3600))
            let id = try await activities.stagePendingImport(pending, now: t0)
            var read = try #require(try await activities.pendingImport(id: id))
            #expect(read.text == text && read.fileName == "działania.csv" && read.status == .approved && read.createOrganisations)
            #expect(read.userID == user && read.expiresAt == t0.addingTimeInterval(3600) && read.importedAt == nil)

            // Claimed once; a second claim (double click) fails; a release lets it be claimed again.
            #expect(try await activities.claimPendingImport(id: id, at: t0.addingTimeInterval(10)))
            #expect(try await !activities.claimPendingImport(id: id, at: t0.addingTimeInterval(11)))
            try await activities.releasePendingImport(id: id)
            #expect(try await activities.claimPendingImport(id: id, at: t0.addingTimeInterval(12)))
            try await activities.finishPendingImport(id: id, records: 7)
            read = try #require(try await activities.pendingImport(id: id))
            #expect(read.importedRecords == 7 && read.text.isEmpty && read.importedAt != nil)
            try await activities.releasePendingImport(id: id)
            #expect(try await activities.pendingImport(id: id)?.importedAt != nil, "a finished import stays taken")

            // An expired file cannot be claimed, and the next upload removes it.
            let late = try await activities.stagePendingImport(pending, now: t0)
            #expect(try await !activities.claimPendingImport(id: late, at: t0.addingTimeInterval(3600)))
            _ = try await activities.stagePendingImport(pending, now: t0.addingTimeInterval(7200))
            #expect(try await activities.pendingImport(id: late) == nil)
            #expect(try await activities.pendingImport(id: id) == nil)
        }
    }
}

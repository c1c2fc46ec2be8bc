import Foundation
import OtwartyCore
@testable import OtwartyStorage
import OtwartyTestSupport
import Testing

/// A reader that asks for the data version between a write transaction's bump and its commit gets
/// the version from before the commit. On SQLite nothing tells the reader when the commit lands, so
/// this process's count of writes has to move again after it; otherwise the reader keeps the old
/// version (and every cache keyed by it serves old figures) until its next re-check.
@Suite struct DataVersionCommitTests {
    @Test func aVersionReadBeforeTheCommitIsNotKeptAfterIt() async throws {
        try await TestDatabase.with(.sqlite) { database in
            // Re-checks pushed out of reach: only the local count may send the reader back.
            let source = SQLDataVersionSource(database: database, recheck: 86_400)
            let before = try await source.current()
            try await database.transaction { db in
                try await DataVersion.bump(db)
                // Another request, outside this transaction's task: it reads the committed row.
                let during = try await Task.detached { try await source.current() }.value
                #expect(during == before)
            }
            #expect(try await source.current() == before + 1)
        }
    }
}

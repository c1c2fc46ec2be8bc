import Foundation
import OtwartyStorage
import SQLKit
import Testing

/// A SQLite file Otwarty creates has 16 KiB pages (`Database.open`): SQLite fixes the page size
/// when it creates the file, so the statement must come before anything is written.
@Suite struct SQLitePageSizeTests {
    @Test func aNewFileHasSixteenKiBPages() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let size = try await database.withConnection { db in
                try await db.raw("PRAGMA page_size").first()?.decode(column: "page_size", as: Int.self)
            }
            #expect(size == 16_384)
            let mode = try await database.withConnection { db in
                try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            }
            #expect(mode == "wal")
        }
    }
}

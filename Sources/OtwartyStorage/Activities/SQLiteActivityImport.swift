import CSQLiteDirect
import Foundation
import OtwartyCore
import SQLKit
import SQLiteNIO

/// A streamed import's writer on SQLite, below SQLKit: one multi-row `INSERT` prepared once and
/// then bound, stepped and reset for every 64 records, on the connection that holds the import's
/// transaction (`SQLActivityRepository.importStreaming`). Values are worked out on the importer's
/// side (`ActivityColumn.insertedValues`, in `write`) and bound as they are, with no statement
/// text, encoder or expression tree per chunk, which cost more than SQLite's own work through
/// SQLKit (docs/performance.md, "Import").
///
/// It binds and steps on a thread of its own while the importer reads, checks and derives the
/// next rows, so that work and SQLite's overlap on two cores; batches wait in a short queue (`queueDepth`),
/// so memory stays bounded whatever the file's size. The handle is the pooled connection's, used
/// only while this import holds that connection; sqlite-nio opens every connection in serialized
/// mode (`SQLITE_OPEN_FULLMUTEX`), so using it from this thread is safe.
final class SQLiteActivityImport: StreamingActivityImport, @unchecked Sendable {
    /// Records per multi-row `INSERT`: 64 × 41 columns = 2,624 parameters (sqlite-nio's SQLite
    /// allows 250,000). Fewer statements mean fewer statement starts and AUTOINCREMENT updates.
    static let rowsPerStatement = 64
    /// Batches waiting for the writer at most (2,048 records each, `ActivityImporter.batchSize`).
    static let queueDepth = 4
    /// The page cache for the import, in KiB (SQLite's negative `cache_size`): the covering index
    /// takes new entries all over its pages, and with the default 2 MB each page was written out
    /// and read back many times (27 s against 16 s for 1,000,000 rows in the `sqlite3` shell, under
    /// load). The connection's own setting is put back afterwards.
    static let importCacheKiB = 65_536


    private let handle: OpaquePointer
    private let programmeSlug: String
    private let status: ActivityStatus
    private let user: UserID?
    private let at: Double
    private let newOrganisationKind: OrganisationKind
    private let columnCount = ActivityColumn.inserted.count
    /// Where `organisation_id` is among a record's values (set by the writer for new organisations).
    private let organisationSlot = ActivityColumn.inserted.firstIndex(of: .organisationID)!

    /// A batch with its values worked out, ready to bind: for every record its values back to
    /// back (`values`: a kind, and an integer, a real's bits, or where a text starts in `bytes`
    /// and its length), every text's UTF-8 in one buffer, and the new organisation each record
    /// names (if any). One buffer instead of a `String` per value: the writer binds straight from
    /// it (SQLITE_STATIC, no copy), and no value is retained or released on either thread.
    struct Prepared {
        enum Kind: UInt8 { case null, integer, real, text }
        /// One value: 16 bytes, and one array append per value (three arrays, one per field,
        /// took three).
        struct Value {
            var number: Int64
            /// A text's length in bytes (0 for other values).
            var length: Int32
            var kind: Kind
        }
        var values: [Value] = []
        /// Starts with one byte, so an empty text still has an address (a NULL pointer binds NULL).
        var bytes: [UInt8] = [0]
        /// For every record, the new organisation it names as its number in the import's order of
        /// first appearance (`SQLiteActivityImport.newOrganisationSlots`), or -1 for none: the
        /// writer finds its id by index, where a lookup by name hashed a `String` per record on
        /// the writer thread (perf, 1M records: ~5 % of that thread).
        var newOrganisations: [Int32] = []
        /// The new organisations first named in this batch, in order (their numbers follow on
        /// from the previous batch's).
        var firstNamed: [String] = []
        var count: Int { newOrganisations.count }

        init(capacity records: Int, columns: Int) {
            values.reserveCapacity(records * columns)
            bytes.reserveCapacity(records * 256)
            newOrganisations.reserveCapacity(records)
        }

        @inline(__always)
        mutating func append(_ value: StoredValue) {
            switch value {
            case .null:
                values.append(Value(number: 0, length: 0, kind: .null))
            case let .integer(number):
                values.append(Value(number: number, length: 0, kind: .integer))
            case let .real(number):
                values.append(Value(number: Int64(bitPattern: number.bitPattern), length: 0, kind: .real))
            case let .text(text):
                let start = Int64(bytes.count)
                let length = text.utf8.withContiguousStorageIfAvailable { utf8 in
                    bytes.append(contentsOf: utf8)
                    return utf8.count
                } ?? {
                    bytes.append(contentsOf: text.utf8)
                    return bytes.count - Int(start)
                }()
                values.append(Value(number: start, length: Int32(length), kind: .text))
            }
        }
    }

    private var many: OpaquePointer?
    private var one: OpaquePointer?
    private var findOrganisation: OpaquePointer?
    private var createOrganisation: OpaquePointer?
    private var previousCacheSize: Int64?
    /// The writer's ids of the new organisations, by their number (`Prepared.newOrganisations`).
    private var newOrganisationIDs: [OrganisationID] = []
    /// The importer's side: each new organisation's number, by name (one `write` at a time).
    private var newOrganisationSlots: [String: Int32] = [:]
    /// `activity_totals`' insert trigger as stored, while it is dropped for this import's
    /// transaction (an import of approved records); created again before the transaction commits,
    /// and a rollback brings it back too. Nil when nothing is paused.
    private var pausedTotalsTrigger: String?
    /// The paused trigger's work, done on the importer's side (`write`; one call at a time).
    private var importTotals: ImportTotals?

    // Shared between the importer's task and the writer thread, under `condition`.
    private let condition = NSCondition()
    private var queue: [Prepared] = []
    /// A batch that found the queue full, and its sender, who waits until it is taken.
    private var waiting: (batch: Prepared, sender: CheckedContinuation<Void, any Error>)?
    private var noMore = false
    private var failure: (any Error)?
    private var threadEnded = false
    private var endWaiter: CheckedContinuation<Void, Never>?
    private var storedCount = 0
    private var createdNames: [String] = []

    var stored: Int { condition.withLock { storedCount } }
    var created: [String] { condition.withLock { createdNames } }

    /// The `sqlite3` handle behind a SQLKit database lent by `Database` (found by reflection:
    /// sqlite-nio keeps it internal), or nil when it cannot be found, for instance after an
    /// upgrade of sqlite-nio that renames it; the import then goes through SQLKit
    /// (`SQLKitActivityImport`). A storage test requires that it is found.
    static func rawHandle(_ db: any SQLDatabase) -> OpaquePointer? {
        guard let connection = Reflection.find(SQLiteConnection.self, in: db),
              let raw = Mirror(reflecting: connection).descendant("handle", "raw")
        else { return nil }
        return raw as? OpaquePointer
    }

    init(handle: OpaquePointer, programmeSlug: String, status: ActivityStatus, user: UserID?, at: Double,
         newOrganisationKind: OrganisationKind) throws {
        self.handle = handle
        self.programmeSlug = programmeSlug
        self.status = status
        self.user = user
        self.at = at
        self.newOrganisationKind = newOrganisationKind
        do {
            previousCacheSize = try integer("PRAGMA cache_size")
            try run("PRAGMA cache_size = -\(Self.importCacheKiB)")
            // The totals' trigger upserts once per approved record, on this thread, which is the
            // import's bottleneck: paused here, its sums kept on the importer's side (`ImportTotals`).
            // Only the transaction's own connection sees the trigger missing: SQLite has one
            // writer, this import holds that turn, and readers see the last commit.
            if status == .approved, let trigger = try text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '\(ActivityTotals.insertTrigger)'") {
                try run("DROP TRIGGER \(ActivityTotals.insertTrigger)")
                pausedTotalsTrigger = trigger
                importTotals = ImportTotals()
            }
            many = try prepare(Self.insert(rows: Self.rowsPerStatement))
            one = try prepare(Self.insert(rows: 1))
            findOrganisation = try prepare("SELECT id FROM organisations WHERE name = ?")
            createOrganisation = try prepare("INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?) RETURNING id")
        } catch {
            close()
            throw error
        }
        let thread = Thread { [self] in writeLoop() }
        thread.name = "otwarty-import-sqlite"
        thread.start()
    }

    /// `INSERT INTO activities (…) VALUES (?, …), …` for `rows` records.
    static func insert(rows: Int) -> String {
        let columns = ActivityColumn.inserted.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        let row = "(" + Array(repeating: "?", count: ActivityColumn.inserted.count).joined(separator: ", ") + ")"
        return "INSERT INTO activities (\(columns)) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    // MARK: The importer's side

    func write(_ batch: [PendingActivity]) async throws {
        guard !batch.isEmpty else { return }
        // The values, derived columns included, on the importer's side: the search text alone
        // (`ActivityRecord.searchText`, Foundation's folding) cost more than SQLite's own work
        // when the writer thread computed it (perf, 200,000 rows), while reading and checking
        // the file took a twentieth of the time.
        var prepared = Prepared(capacity: batch.count, columns: columnCount)
        if var totals = importTotals {
            importTotals = nil
            // By index: `for pending in batch` copied each record (retaining and releasing each
            // of its texts, sets and lists).
            for index in batch.indices {
                totals.startRecord()
                ActivityColumn.insertedValues(programmeSlug: programmeSlug, input: batch[index].input, status: status, user: user,
                                              at: at) { value in
                    prepared.append(value)
                    totals.take(value)
                }
                totals.endRecord()
                prepared.newOrganisations.append(newOrganisationSlot(batch[index].newOrganisationName, firstNamed: &prepared.firstNamed))
            }
            importTotals = totals
        } else {
            for index in batch.indices {
                ActivityColumn.insertedValues(programmeSlug: programmeSlug, input: batch[index].input, status: status, user: user,
                                              at: at) { prepared.append($0) }
                prepared.newOrganisations.append(newOrganisationSlot(batch[index].newOrganisationName, firstNamed: &prepared.firstNamed))
            }
        }
        let batch = prepared
        try await withCheckedThrowingContinuation { (sender: CheckedContinuation<Void, any Error>) in
            condition.lock()
            defer { condition.unlock() }
            if let failure {
                sender.resume(throwing: failure)
            } else if queue.count < Self.queueDepth {
                queue.append(batch)
                condition.signal()
                sender.resume()
            } else {
                waiting = (batch, sender)
            }
        }
    }

    /// The number of the new organisation called `name` (-1 for none), numbered in order of first
    /// appearance; a name seen for the first time is added to `firstNamed` for the writer.
    private func newOrganisationSlot(_ name: String?, firstNamed: inout [String]) -> Int32 {
        guard let name else { return -1 }
        if let slot = newOrganisationSlots[name] { return slot }
        let slot = Int32(newOrganisationSlots.count)
        newOrganisationSlots[name] = slot
        firstNamed.append(name)
        return slot
    }

    func finish() async throws {
        condition.withLock {
            noMore = true
            condition.signal()
        }
        await threadEnd()
        if let failure = condition.withLock({ failure }) {
            close()
            throw failure
        }
        do {
            try resumeTotals()
        } catch {
            close()
            throw error
        }
        close()
    }

    /// The import's totals added to `activity_totals` (one upsert per group, the trigger's
    /// `ON CONFLICT` clause) and the paused trigger created again, before the transaction commits.
    private func resumeTotals() throws {
        guard let trigger = pausedTotalsTrigger, let totals = importTotals else { return }
        guard !totals.overflowed else {
            throw Failure(code: 0, message: "a total of the imported records does not fit in 64 bits")
        }
        let columns = ActivityTotals.columns
        let upsert = try prepare("INSERT INTO \(ActivityTotals.table) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", "))) \(ActivityTotals.conflict)")
        defer { _ = sqlite_nio_sqlite3_finalize(upsert) }
        for (key, sums) in totals.groups {
            for (index, column) in ActivityTotals.key.enumerated() {
                let at = Int32(index + 1)
                switch column {
                case "programme_slug": try check(bindText(programmeSlug, to: upsert, at: at))
                case "task_code": try check(bindText(key.taskCode, to: upsert, at: at))
                case "kind": try check(bindText(key.kind, to: upsert, at: at))
                case "year": try check(sqlite_nio_sqlite3_bind_int64(upsert, at, key.year))
                case "audience_mask": try check(sqlite_nio_sqlite3_bind_int64(upsert, at, key.audienceMask))
                case "breakdown_mask": try check(sqlite_nio_sqlite3_bind_int64(upsert, at, key.breakdownMask))
                case "has_new": try check(sqlite_nio_sqlite3_bind_int64(upsert, at, key.hasNew))
                case "quarter": try check(sqlite_nio_sqlite3_bind_int64(upsert, at, key.quarter))
                case "district": try check(sqlite_nio_sqlite3_bind_int64(upsert, at, key.district))
                default: throw Failure(code: 0, message: "no value for the totals' key column \(column)")
                }
            }
            // Then `records` and the sums, in `ActivityTotals.columns`' order.
            for (index, number) in sums.enumerated() {
                try check(sqlite_nio_sqlite3_bind_int64(upsert, Int32(ActivityTotals.key.count + 1 + index), number))
            }
            try step(upsert)
        }
        try run(trigger)
        pausedTotalsTrigger = nil
    }

    func abandon() async {
        condition.withLock {
            if failure == nil { failure = CancellationError() }
            queue.removeAll()
            waiting?.sender.resume(throwing: CancellationError())
            waiting = nil
            noMore = true
            condition.signal()
        }
        await threadEnd()
        close()
    }

    private func threadEnd() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            condition.lock()
            defer { condition.unlock() }
            if threadEnded { waiter.resume() } else { endWaiter = waiter }
        }
    }

    // MARK: The writer thread

    private func writeLoop() {
        while let batch = nextBatch() {
            do {
                try store(batch)
                condition.withLock { storedCount += batch.count }
            } catch {
                condition.withLock {
                    failure = error
                    queue.removeAll()
                    waiting?.sender.resume(throwing: error)
                    waiting = nil
                }
                break
            }
        }
        condition.withLock {
            threadEnded = true
            endWaiter?.resume()
            endWaiter = nil
        }
    }

    /// The next batch, waiting for one; nil when there will be none (or storing failed).
    private func nextBatch() -> Prepared? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !noMore, failure == nil { condition.wait() }
        guard failure == nil, !queue.isEmpty else { return nil }
        let batch = queue.removeFirst()
        if let waiting {
            queue.append(waiting.batch)
            waiting.sender.resume()
            self.waiting = nil
        }
        return batch
    }

    private func store(_ batch: Prepared) throws {
        // Not changed here: a changed copy of the batch copied its values (1.3 MB a batch).
        for name in batch.firstNamed { newOrganisationIDs.append(try organisation(named: name)) }
        try batch.bytes.withUnsafeBufferPointer { bytes in
            let text = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            var start = 0
            while batch.count - start >= Self.rowsPerStatement {
                // Every parameter NULL at once, then only the values that are not bound: a record
                // has about 15 NULLs of its 41 columns, each a call into SQLite (and its mutex).
                try check(sqlite_nio_sqlite3_clear_bindings(many!))
                for offset in 0..<Self.rowsPerStatement {
                    try bind(batch, text: text, row: start + offset, into: many!, at: offset * columnCount)
                }
                try step(many!)
                start += Self.rowsPerStatement
            }
            while start < batch.count {
                try check(sqlite_nio_sqlite3_clear_bindings(one!))
                try bind(batch, text: text, row: start, into: one!, at: 0)
                try step(one!)
                start += 1
            }
        }
    }

    /// Binds a record's values but its NULLs (the statement's bindings were cleared); its texts
    /// point into the batch's buffer, which outlives the step.
    private func bind(_ batch: Prepared, text: UnsafePointer<CChar>, row: Int, into statement: OpaquePointer, at base: Int) throws {
        let first = row * columnCount
        let newOrganisation = batch.newOrganisations[row]
        for column in 0..<columnCount {
            let slot = first + column
            let index = Int32(base + column + 1)
            let code: Int32
            var value = batch.values[slot]
            if column == organisationSlot, newOrganisation >= 0 {
                value = Prepared.Value(number: newOrganisationIDs[Int(newOrganisation)], length: 0, kind: .integer)
            }
            switch value.kind {
            case .null: continue // cleared before the statement's records are bound (`store`)
            case .integer: code = sqlite_nio_sqlite3_bind_int64(statement, index, value.number)
            case .real: code = sqlite_nio_sqlite3_bind_double(statement, index, Double(bitPattern: UInt64(bitPattern: value.number)))
            case .text: code = csqlite_direct_bind_text_static(statement, index, text + Int(value.number), value.length)
            }
            try check(code)
        }
    }

    private func bindText(_ text: String, to statement: OpaquePointer, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            // An empty buffer may have no address, and a NULL pointer would bind NULL, not ''.
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return "".withCString { csqlite_direct_bind_text(statement, index, $0, 0) }
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                csqlite_direct_bind_text(statement, index, $0, Int32(bytes.count))
            }
        }
    }

    /// The id of the organisation called `name`, created (of the import's kind) when there is none.
    private func organisation(named name: String) throws -> OrganisationID {
        try check(bindText(name, to: findOrganisation!, at: 1))
        let found = sqlite_nio_sqlite3_step(findOrganisation!)
        if found == CSQLITE_DIRECT_ROW {
            let id = sqlite_nio_sqlite3_column_int64(findOrganisation!, 0)
            _ = sqlite_nio_sqlite3_reset(findOrganisation!)
            return id
        }
        _ = sqlite_nio_sqlite3_reset(findOrganisation!)
        guard found == CSQLITE_DIRECT_DONE else { throw failure(found) }
        try check(bindText(name, to: createOrganisation!, at: 1))
        try check(bindText(newOrganisationKind.rawValue, to: createOrganisation!, at: 2))
        try check(sqlite_nio_sqlite3_bind_double(createOrganisation!, 3, at))
        let created = sqlite_nio_sqlite3_step(createOrganisation!)
        guard created == CSQLITE_DIRECT_ROW else {
            _ = sqlite_nio_sqlite3_reset(createOrganisation!)
            throw failure(created)
        }
        let id = sqlite_nio_sqlite3_column_int64(createOrganisation!, 0)
        // Step to the end so the INSERT completes before the statement is reset.
        let done = sqlite_nio_sqlite3_step(createOrganisation!)
        _ = sqlite_nio_sqlite3_reset(createOrganisation!)
        guard done == CSQLITE_DIRECT_DONE else { throw failure(done) }
        condition.withLock { createdNames.append(name) }
        return id
    }

    // MARK: SQLite calls

    struct Failure: Error, CustomStringConvertible {
        var code: Int32
        var message: String
        var description: String { "SQLite error \(code) while importing: \(message)" }
    }

    private func failure(_ code: Int32) -> Failure {
        Failure(code: code, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "")
    }

    private func check(_ code: Int32) throws {
        guard code == CSQLITE_DIRECT_OK else { throw failure(code) }
    }

    private func step(_ statement: OpaquePointer) throws {
        let code = sqlite_nio_sqlite3_step(statement)
        _ = sqlite_nio_sqlite3_reset(statement)
        guard code == CSQLITE_DIRECT_DONE else { throw failure(code) }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let code = sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == CSQLITE_DIRECT_OK, let statement else { throw failure(code) }
        return statement
    }

    private func run(_ sql: String) throws {
        let statement = try prepare(sql)
        defer { _ = sqlite_nio_sqlite3_finalize(statement) }
        var code = sqlite_nio_sqlite3_step(statement)
        while code == CSQLITE_DIRECT_ROW { code = sqlite_nio_sqlite3_step(statement) }
        guard code == CSQLITE_DIRECT_DONE else { throw failure(code) }
    }

    /// The first column of the first row as text; nil when there is no row.
    private func text(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        defer { _ = sqlite_nio_sqlite3_finalize(statement) }
        let code = sqlite_nio_sqlite3_step(statement)
        if code == CSQLITE_DIRECT_DONE { return nil }
        guard code == CSQLITE_DIRECT_ROW else { throw failure(code) }
        return sqlite_nio_sqlite3_column_text(statement, 0).map { String(cString: $0) }
    }

    private func integer(_ sql: String) throws -> Int64 {
        let statement = try prepare(sql)
        defer { _ = sqlite_nio_sqlite3_finalize(statement) }
        let code = sqlite_nio_sqlite3_step(statement)
        guard code == CSQLITE_DIRECT_ROW else { throw failure(code) }
        return sqlite_nio_sqlite3_column_int64(statement, 0)
    }

    /// Finalizes the statements and puts the connection's cache size back (it goes back to the pool).
    private func close() {
        for statement in [many, one, findOrganisation, createOrganisation] {
            if let statement { _ = sqlite_nio_sqlite3_finalize(statement) }
        }
        many = nil
        one = nil
        findOrganisation = nil
        createOrganisation = nil
        if let previousCacheSize {
            try? run("PRAGMA cache_size = \(previousCacheSize)")
            self.previousCacheSize = nil
        }

    }
}

/// Finds a value of a type inside another through reflection (a driver's connection inside the
/// SQLKit database that wraps it, possibly inside wrappers of our own).
enum Reflection {
    static func find<T>(_ type: T.Type, in value: Any, depth: Int = 4) -> T? {
        if let found = value as? T { return found }
        guard depth > 0 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = find(type, in: child.value, depth: depth - 1) { return found }
        }
        return nil
    }
}

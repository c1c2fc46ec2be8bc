import Foundation
import OtwartyCore
import SQLKit

/// The audit trail as a hash chain (`AuditChain`, docs/security.md). Every entry enters through
/// `append`, inside a transaction that first locks the chain head (`audit_chain`, one row):
/// PostgreSQL with `SELECT … FOR UPDATE`, SQLite by `BEGIN IMMEDIATE`, which already admits one
/// writer at a time. So two appends, in one process or in two instances, never read the same head
/// and the chain never forks; the unique index on `seq` would refuse a fork anyway.
public struct SQLAuditLog: AuditLog {
    let database: Database
    public init(database: Database) { self.database = database }

    /// Actions of anonymous people, whose entries carry the day only (see `hold`).
    static let anonymousActions = ["incident.received", "incident.reporter-note"]

    /// How many rows a verification reads at a time.
    static let pageSize = 5_000

    /// An entry as `audit_held` keeps it, or an entry of `audit_log` read without its chain columns.
    struct EntryRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, at, actorUserID = "actor_user_id", action, subject, detail
        }
        typealias Column = CodingKeys
        var id: Int64
        /// Seconds as stored: the hash covers this very number (`AuditChain.hash`).
        var at: Double
        var actorUserID: Int64?
        var action: String
        var subject: String
        var detail: String

        var entry: AuditEntry {
            AuditEntry(at: Date(timeIntervalSince1970: at), actorUserID: actorUserID, action: action, subject: subject, detail: detail)
        }
    }

    /// A chained row of `audit_log`, as verification reads it.
    struct ChainedRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, seq, at, actorUserID = "actor_user_id", action, subject, detail, prevHash = "prev_hash", entryHash = "entry_hash"
        }
        typealias Column = CodingKeys
        var id: Int64
        var seq: Int64
        var at: Double
        var actorUserID: Int64?
        var action: String
        var subject: String
        var detail: String
        var prevHash: String?
        var entryHash: String?

        var chained: ChainedAuditRow {
            ChainedAuditRow(id: id, sequence: seq, at: at, actorUserID: actorUserID, action: action, subject: subject,
                            detail: detail, previousHash: prevHash ?? "", hash: entryHash ?? "")
        }
    }

    /// The one row of `audit_chain`: the head.
    struct HeadRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case seq, headHash = "head_hash"
        }
        typealias Column = CodingKeys
        var seq: Int64
        var headHash: String
    }

    /// What verification names of a row left out of the chain.
    struct UnchainedRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable { case id, action, subject }
        typealias Column = CodingKeys
        var id: Int64
        var action: String
        var subject: String
    }

    public func record(_ entry: AuditEntry) async throws {
        let kind = database.kind
        try await database.transaction { db in try await Self.append([entry], on: db, kind: kind) }
    }

    /// The change and its entry in one transaction (`Database.atomically`).
    public func atomically<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R {
        try await database.atomically(body)
    }

    public func hold(_ entry: AuditEntry) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "audit_held").columns("at", "actor_user_id", "action", "subject", "detail")
                .values(SQLBind(entry.at.stored), SQLBind(entry.actorUserID), SQLBind(entry.action),
                        SQLBind(entry.subject), SQLBind(entry.detail))
                .run()
        }
    }

    @discardableResult
    public func releaseHeld(before cutOff: Date) async throws -> Int {
        let kind = database.kind
        // Most runs find nothing: look before taking the write lock.
        let waiting = try await database.withConnection { db in
            try await db.select().column("id").from("audit_held").where("at", .lessThan, cutOff.stored).limit(1).first() != nil
        }
        guard waiting else { return 0 }
        return try await database.transaction { db in
            _ = try await Self.lockHead(db, kind: kind) // also orders two releasing instances
            let rows = try await db.select().columns(EntryRow.columns).from("audit_held")
                .where("at", .lessThan, cutOff.stored)
                .orderBy("at").orderBy("subject").orderBy("action").orderBy("detail")
                .all(decoding: EntryRow.self)
            guard !rows.isEmpty else { return 0 }
            let entries = rows.map(\.entry)
            try await Self.append(entries, on: db, kind: kind)
            let ids = rows.map(\.id)
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                try await db.delete(from: "audit_held").where("id", .in, Array(ids[chunk..<min(chunk + 500, ids.count)])).run()
            }
            return entries.count
        }
    }

    public func entries(subject: String?, limit: Int) async throws -> [AuditEntry] {
        try await database.withConnection { db in
            var query = db.select().columns(EntryRow.columns).from("audit_log")
            if let subject { query = query.where("subject", .equal, subject) }
            return try await query.orderBy("seq", .descending).orderBy("id", .descending).limit(limit).all(decoding: EntryRow.self)
                .map(\.entry)
        }
    }

    public func verify(tail: Int?) async throws -> AuditChainReport {
        let kind = database.kind
        let head = try await database.withConnection { db in try await Self.head(db, lock: false, kind: kind) }
        var walker = AuditChainWalker()
        var next: Int64 = 1
        if let tail, head.sequence > Int64(max(tail, 1)) {
            next = head.sequence - Int64(max(tail, 1)) + 1
            let from = next
            let previousHash = try await database.withConnection { db in
                try await db.select().columns("seq", "prev_hash").from("audit_log").where("seq", .greaterThanOrEqual, from)
                    .orderBy("seq").limit(1).first(decodingColumn: "prev_hash", as: String?.self)
            }
            // Trust the link into the first entry of the tail; a gap there is named by the walk.
            walker.resume(after: next - 1, hash: (previousHash ?? nil) ?? "")
        }
        while next <= head.sequence {
            let from = next
            let rows = try await database.withConnection { db in
                try await db.select().columns(ChainedRow.columns)
                    .from("audit_log")
                    .where("seq", .greaterThanOrEqual, from).where("seq", .lessThanOrEqual, head.sequence)
                    .orderBy("seq").limit(Self.pageSize).all(decoding: ChainedRow.self)
                    .map(\.chained)
            }
            for row in rows where !walker.check(row) { break }
            if walker.problem != nil || rows.count < Self.pageSize { break }
            next = rows[rows.count - 1].sequence + 1
        }
        walker.finish(headSequence: head.sequence)
        if walker.problem == nil, walker.previousHash != head.hash {
            walker.fail(.headMismatch(sequence: head.sequence, hash: head.hash))
        }
        let (unchained, held) = try await database.withConnection { db in
            let row = try await db.select().columns(UnchainedRow.columns).from("audit_log")
                .where(SQLColumn("seq"), .is, SQLLiteral.null).orderBy("id").limit(1).first(decoding: UnchainedRow.self)
            let held = try await db.raw("SELECT COUNT(*) AS n FROM audit_held").first()?.decode(column: "n", as: Int.self) ?? 0
            return (row.map { row in (row.id, "row id \(row.id) (\(row.action) \(row.subject))") }, held)
        }
        if let unchained { walker.fail(.unchained(rowID: unchained.0, label: unchained.1)) }
        return AuditChainReport(count: walker.count, headHash: walker.previousHash, problem: walker.problem, held: held)
    }

    // MARK: The one append path

    /// Appends `entries` after the chain head; the caller runs this inside a transaction.
    static func append(_ entries: [AuditEntry], on db: any SQLDatabase, kind: Database.Kind) async throws {
        guard !entries.isEmpty else { return }
        var head = try await lockHead(db, kind: kind)
        for entry in entries {
            let sequence = head.sequence + 1
            let at = entry.at.stored
            let hash = AuditChain.hash(sequence: sequence, at: at, actorUserID: entry.actorUserID, action: entry.action,
                                       subject: entry.subject, detail: entry.detail, previousHash: head.hash)
            try await db.insert(into: "audit_log")
                .columns("at", "actor_user_id", "action", "subject", "detail", "seq", "prev_hash", "entry_hash")
                .values(SQLBind(at), SQLBind(entry.actorUserID), SQLBind(entry.action), SQLBind(entry.subject),
                        SQLBind(entry.detail), SQLBind(sequence), SQLBind(head.hash), SQLBind(hash))
                .run()
            head = (sequence, hash)
        }
        try await db.update("audit_chain").set("seq", to: SQLBind(head.sequence)).set("head_hash", to: SQLBind(head.hash))
            .where("id", .equal, 1).run()
    }

    /// Reads the chain head, locking it until the transaction ends (PostgreSQL; SQLite's
    /// `BEGIN IMMEDIATE` holds the database's write lock already).
    static func lockHead(_ db: any SQLDatabase, kind: Database.Kind) async throws -> (sequence: Int64, hash: String) {
        try await head(db, lock: true, kind: kind)
    }

    static func head(_ db: any SQLDatabase, lock: Bool, kind: Database.Kind) async throws -> (sequence: Int64, hash: String) {
        let sql = "SELECT seq, head_hash FROM audit_chain WHERE id = 1" + (lock && kind == .postgres ? " FOR UPDATE" : "")
        guard let row = try await db.raw(SQLQueryString(sql)).first(decoding: HeadRow.self) else {
            throw DatabaseError.corrupt("audit_chain has no head row")
        }
        return (row.seq, row.headHash)
    }

    /// The days migration 12 dated earlier anonymous entries to: Kraków's, as when it was
    /// released, whatever `OTWARTY_TIME_ZONE` says now, so it chains the same rows the same way
    /// on every machine.
    static let migrationTwelveDays = OfficeClock(timeZone: OfficeClock.defaultTimeZone)

    /// Chains the entries written before the chain existed (migration 12): in row-id order,
    /// their times as stored, before any new entry. Deterministic: the same rows give the same
    /// hashes on every machine.
    ///
    /// Entries of anonymous reporters written before (`anonymousActions`) kept the second the
    /// report came and their place between timed entries; they are dated to their office day and
    /// moved to the end (new rows, ordered by day, subject, action), as held entries are now.
    static func chainEarlierEntries(on db: any SQLDatabase, kind: Database.Kind) async throws {
        var head = try await lockHead(db, kind: kind)
        let anonymous = try await db.select().columns(EntryRow.columns).from("audit_log")
            .where(SQLColumn("seq"), .is, SQLLiteral.null).where("action", .in, anonymousActions)
            .orderBy("id").all(decoding: EntryRow.self)
        if !anonymous.isEmpty {
            let moved = anonymous.map { row -> (Int64, AuditEntry) in
                var entry = row.entry
                entry.at = Self.migrationTwelveDays.startOfDay(containing: entry.at)
                return (row.id, entry)
            }.sorted { a, b in
                (a.1.at, a.1.subject, a.1.action, a.0) < (b.1.at, b.1.subject, b.1.action, b.0)
            }
            let ids = moved.map(\.0)
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                try await db.delete(from: "audit_log").where("id", .in, Array(ids[chunk..<min(chunk + 500, ids.count)])).run()
            }
            for (_, entry) in moved {
                try await db.insert(into: "audit_log").columns("at", "actor_user_id", "action", "subject", "detail")
                    .values(SQLBind(entry.at.stored), SQLBind(entry.actorUserID), SQLBind(entry.action), SQLBind(entry.subject),
                            SQLBind(entry.detail))
                    .run()
            }
        }
        var after: Int64 = 0
        while true {
            let rows = try await db.select().columns(EntryRow.columns).from("audit_log")
                .where(SQLColumn("seq"), .is, SQLLiteral.null).where("id", .greaterThan, after)
                .orderBy("id").limit(pageSize).all(decoding: EntryRow.self)
            for row in rows {
                let id = row.id
                let sequence = head.sequence + 1
                let hash = AuditChain.hash(sequence: sequence, at: row.at, actorUserID: row.actorUserID, action: row.action,
                                           subject: row.subject, detail: row.detail, previousHash: head.hash)
                try await db.update("audit_log").set("seq", to: SQLBind(sequence)).set("prev_hash", to: SQLBind(head.hash))
                    .set("entry_hash", to: SQLBind(hash)).where("id", .equal, id).run()
                head = (sequence, hash)
                after = id
            }
            if rows.count < pageSize { break }
        }
        try await db.update("audit_chain").set("seq", to: SQLBind(head.sequence)).set("head_hash", to: SQLBind(head.hash))
            .where("id", .equal, 1).run()
    }
}

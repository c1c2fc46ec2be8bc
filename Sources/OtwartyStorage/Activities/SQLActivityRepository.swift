import Foundation
import OtwartyCore
import SQLKit

public struct SQLActivityRepository: ActivityRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(programmeSlug: String, input: ActivityInput, status: ActivityStatus, by user: UserID?,
                       at: Date) async throws -> ActivityRecord {
        let id: ActivityID?
        do {
            id = try await database.transaction { db in
                let id = try await db.raw("\(BulkInsert(programmeSlug: programmeSlug, inputs: [input], status: status, user: user, at: at.stored)) RETURNING \(ActivityColumn.id)")
                    .first(decodingColumn: ActivityColumn.id.rawValue, as: Int64.self)
                try await DataVersion.bump(db)
                return id
            }
        } catch where ConstraintViolation.isForeignKey(error) {
            throw ConstraintViolation.unknownOrganisation
        }
        guard let id, let record = try await record(id: id) else { throw DomainError.conflict("The record could not be stored.") }
        return record
    }

    public func importAll(programmeSlug: String, records: [PendingActivity], newOrganisationKind: OrganisationKind,
                          status: ActivityStatus, by user: UserID?, at: Date,
                          progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> ImportOutcome {
        guard !records.isEmpty else { return ImportOutcome(records: 0, organisationsCreated: []) }
        return try await database.transaction { db in
            var created: [String] = []
            var ids: [String: OrganisationID] = [:]
            for name in Set(records.compactMap(\.newOrganisationName)).sorted() {
                if let existing = try await db.select().column("id").from("organisations").where("name", .equal, name)
                    .first(decodingColumn: "id", as: Int64.self) {
                    ids[name] = existing
                    continue
                }
                guard let id = try await db.insert(into: "organisations").columns("name", "kind", "created_at")
                    .values(SQLBind(name), SQLBind(newOrganisationKind.rawValue), SQLBind(at.stored))
                    .returning("id").first(decodingColumn: "id", as: Int64.self)
                else { throw DomainError.conflict("The organisation \(name) could not be created.") }
                ids[name] = id
                created.append(name)
            }
            let inputs = records.map { pending -> ActivityInput in
                var input = pending.input
                if let name = pending.newOrganisationName, let id = ids[name] { input.organisationID = id }
                return input
            }
            // Multi-row INSERTs in chunks: PostgreSQL takes at most 65,535 bind parameters per statement.
            let chunk = 500
            for start in stride(from: 0, to: inputs.count, by: chunk) {
                let slice = inputs[start..<min(start + chunk, inputs.count)]
                try await db.execute(sql: BulkInsert(programmeSlug: programmeSlug, inputs: slice, status: status, user: user,
                                                     at: at.stored)) { _ in }
                progress(start + slice.count)
            }
            try await DataVersion.bump(db)
            return ImportOutcome(records: inputs.count, organisationsCreated: created)
        }
    }

    /// `INSERT INTO activities (…) VALUES (…), (…), …` for an import's chunk (or one new record),
    /// written straight into the serializer. SQLKit's insert builder makes an expression object per value (11,500 for 500
    /// rows) and walks, serializes and frees that tree; for an import that cost more than SQLite's
    /// own work (docs/performance.md). Values are bound as plain `String`, `Int64` and `Double`,
    /// which the drivers convert directly; an absent value is written as `NULL` instead of being
    /// bound as an `Optional` (which the SQLite driver runs through a generic `Encoder`).
    /// The columns are `ActivityColumn.inserted`, the input's values those of `ActivityColumn.written`.
    struct BulkInsert: SQLExpression {
        let programmeSlug: String
        let inputs: ArraySlice<ActivityInput>
        let status: ActivityStatus
        let user: UserID?
        let at: Double

        func serialize(to serializer: inout SQLSerializer) {
            serializer.write("INSERT INTO ")
            SQLIdentifier("activities").serialize(to: &serializer)
            serializer.write(" (")
            for (i, column) in ActivityColumn.inserted.enumerated() {
                if i > 0 { serializer.write(", ") }
                column.serialize(to: &serializer)
            }
            serializer.write(") VALUES ")
            serializer.binds.reserveCapacity(serializer.binds.count + inputs.count * ActivityColumn.inserted.count)
            // SQLite numbers plain `?` placeholders in order, which saves building `?1`, `?2`… per value.
            let plainPlaceholders = serializer.dialect.name == "sqlite"
            var firstRow = true
            for input in inputs {
                serializer.write(firstRow ? "(" : ", (")
                firstRow = false
                var first = true
                func value(_ value: (any Encodable & Sendable)?) {
                    if !first { serializer.write(", ") }
                    first = false
                    if let value {
                        if plainPlaceholders {
                            serializer.binds.append(value)
                            serializer.write("?")
                        } else {
                            serializer.write(bind: value)
                        }
                    } else {
                        serializer.write("NULL")
                    }
                }
                value(programmeSlug)
                for (_, written) in ActivityColumn.written { value(written(input).bind) }
                value(status.rawValue)
                value(user)
                value(at)
                value(at)
                value(status == .submitted ? at : nil)
                serializer.write(")")
            }
        }
    }

    public func record(id: ActivityID) async throws -> ActivityRecord? {
        try await database.withConnection { db in
            try await db.select().columns(ActivityColumn.allCases).from("activities").where(.id, .equal, id)
                .first(decoding: ActivityRow.self)?.record()
        }
    }

    public func update(id: ActivityID, input: ActivityInput, status: ActivityStatus, reviewComment: String?, at: Date) async throws {
        do {
            try await database.transaction { db in
                var update = db.update("activities")
                for (column, written) in ActivityColumn.written {
                    update = update.set(column, to: written(input).bind.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                }
                if status == .submitted {
                    // Entering `submitted` starts the wait; an edit of a record already waiting
                    // keeps its place in the queue. (SET reads the row as it was before the
                    // UPDATE on both engines, so `status` here is the old status.)
                    update = update.set(ActivityColumn.submittedAt,
                                        to: "CASE WHEN status = 'submitted' THEN submitted_at ELSE \(bind: at.stored) END" as SQLQueryString)
                }
                try await update.set(ActivityColumn.status, to: SQLBind(status.rawValue))
                    .set(ActivityColumn.reviewComment, to: SQLBind(reviewComment as String?))
                    .set(ActivityColumn.updatedAt, to: SQLBind(at.stored)).where(.id, .equal, id).run()
                try await DataVersion.bump(db)
            }
        } catch where ConstraintViolation.isForeignKey(error) {
            throw ConstraintViolation.unknownOrganisation
        }
    }

    public func list(_ filter: ActivityFilter, limit: Int, offset: Int) async throws -> [ActivityRecord] {
        try await database.withConnection { db in
            var query = db.select().columns(ActivityColumn.allCases).from("activities")
            query = Self.apply(filter, to: query)
            switch filter.order {
            case .newestFirst:
                query = query.orderBy(ActivityColumn.startDate, SQLDirection.descending)
                    .orderBy(ActivityColumn.id, SQLDirection.descending)
            case .longestWaiting:
                // COALESCE: a record stored as submitted before migration 18 by a tool that sets no
                // `submitted_at` still sorts by its last change, the same way on both engines
                // (which otherwise put NULLs at opposite ends).
                query = query.orderBy(SQLFunction("COALESCE", args: ActivityColumn.submittedAt, ActivityColumn.updatedAt), SQLDirection.ascending)
                    .orderBy(ActivityColumn.id, SQLDirection.ascending)
            }
            return try await query
                .limit(limit).offset(offset).all(decoding: ActivityRow.self).map { try $0.record() }
        }
    }

    public func reportedActivities(programmeSlug: String, throughYear: Int) async throws -> [ReportedActivity] {
        try await database.withConnection { db in
            try await db.select().columns(ReportedActivityRow.columns)
                .from("activities").where(.programmeSlug, .equal, programmeSlug)
                .where(.status, .equal, ActivityStatus.approved.rawValue).where(.year, .lessThanOrEqual, throughYear)
                .all().map(ReportedActivityRow.reported)
        }
    }

    public func count(_ filter: ActivityFilter) async throws -> Int {
        try await database.withConnection { db in
            var query = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("activities")
            query = Self.apply(filter, to: query)
            return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Migration 18: `search_text` for the records stored before it, in batches of ids.
    static func fillSearchText(on db: any SQLDatabase) async throws {
        struct Row: Decodable { var id: Int64; var title: String; var institution: String? }
        var after: Int64 = 0
        while true {
            let rows = try await db.select().columns("id", "title", "institution").from("activities")
                .where("id", .greaterThan, after).orderBy("id").limit(1000).all(decoding: Row.self)
            guard let last = rows.last else { return }
            for row in rows {
                let text = ActivityRecord.searchText(title: row.title, institution: row.institution)
                try await db.update("activities").set("search_text", to: SQLBind(text)).where("id", .equal, row.id).run()
            }
            after = last.id
        }
    }

    /// `text` as a LIKE pattern matching itself: `\`, `%` and `_` preceded by the escape `\`.
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    static func apply(_ filter: ActivityFilter, to query: SQLSelectBuilder) -> SQLSelectBuilder {
        var query = query.where(.programmeSlug, .equal, filter.programmeSlug)
        if filter.statuses.isEmpty {
            // No status selects no record. (`status IN ()` is a syntax error in PostgreSQL, and an
            // empty set is what `ActivityService.visibleFilter` gives a reporter who asks for another
            // organisation's drafts.)
            query = query.where(SQLRaw("1 = 0"))
        } else if filter.statuses.count == 1, let only = filter.statuses.first {
            // One status as a literal, not a bound value: SQLite's planner uses a partial index
            // only when the query's own text implies the index's condition, and the review
            // queue's index holds only `status = 'submitted'` (migration 30). A status's raw value
            // is one of the enum's fixed lower-case words, never text from outside.
            query = query.where(SQLRaw("status = '\(only.rawValue)'"))
        } else if filter.statuses.count < ActivityStatus.allCases.count {
            query = query.where(.status, .in, filter.statuses.map(\.rawValue).sorted())
        }
        if let organisation = filter.organisationID { query = query.where(.organisationID, .equal, organisation) }
        if let task = filter.taskCode { query = query.where(.taskCode, .equal, task) }
        if let year = filter.year { query = query.where(.year, .equal, year) }
        if let quarter = filter.quarter { query = query.where(.quarter, .equal, quarter) }
        if let district = filter.district {
            query = district.map { query.where(.district, .equal, Int64($0.number)) }
                ?? query.where(ActivityColumn.district, .is, SQLLiteral.null)
        }
        if let rule = filter.rule { query = SQLActivityAggregator.apply(rule, to: query) }
        if let kind = filter.kind { query = query.where(.kind, .equal, kind.rawValue) }
        if let kinds = filter.kinds {
            query = kinds.isEmpty ? query.where(SQLRaw("1 = 0")) : query.where(.kind, .in, kinds.map(\.rawValue).sorted())
        }
        if let language = filter.language?.lowercased(), !language.isEmpty {
            // Stored as "pl;uk": between separators, so "uk" does not match "ukr".
            query = query.where("';' || LOWER(\(ident: ActivityColumn.languages.rawValue)) || ';' LIKE \(bind: "%;" + Self.likeEscaped(language) + ";%") ESCAPE '\\'" as SQLQueryString)
        }
        // ISO dates as text compare as the days they name.
        if let from = filter.startsFrom { query = query.where(.startDate, .greaterThanOrEqual, from.description) }
        if let through = filter.startsThrough { query = query.where(.startDate, .lessThanOrEqual, through.description) }
        for key in filter.searchWords {
            // Both sides are folded the same way in Swift (`ActivityRecord.searchKey`), so LIKE
            // compares plain lowercase text on both engines (SQLite's LOWER folds ASCII only);
            // the search's own `%`, `_` and `\` are escaped to mean themselves.
            query = query.where("\(ident: ActivityColumn.searchText.rawValue) LIKE \(bind: "%" + Self.likeEscaped(key) + "%") ESCAPE '\\'" as SQLQueryString)
        }
        return query
    }
}

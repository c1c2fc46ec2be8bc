import Foundation
import OtwartyCore
import SQLKit

public struct SQLActivityRepository: ActivityRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static let columns = ["id", "programme_slug", "task_code", "kind", "title", "start_date", "end_date", "organisation_id",
                          "district", "participants", "beneficiaries", "audience_mask", "amount_grosze", "institution",
                          "languages", "notes", "evidence_url", "status", "review_comment", "created_by", "created_at",
                          "updated_at"]

    /// Column values for an input; `year`, `quarter` and `institution_key` are derived so the
    /// indicator queries group and count distinct institutions without functions on columns.
    static func values(_ input: ActivityInput) -> [(String, any Encodable & Sendable)] {
        let optionalText: (String?) -> (any Encodable & Sendable) = { $0 }
        return [
            ("task_code", input.taskCode), ("kind", input.kind.rawValue), ("title", input.title),
            ("start_date", input.startDate.description), ("end_date", optionalText(input.endDate?.description)),
            ("year", input.startDate.year), ("quarter", (input.startDate.month - 1) / 3 + 1),
            ("organisation_id", input.organisationID), ("district", input.district.map { Int64($0.number) } as Int64?),
            ("participants", input.participants.map(Int64.init) as Int64?),
            ("beneficiaries", input.beneficiaries.map(Int64.init) as Int64?),
            ("audience_mask", Audience.mask(input.audiences)), ("amount_grosze", input.amountGrosze as Int64?),
            ("institution", optionalText(input.institution)),
            ("institution_key", optionalText(ActivityRecord.institutionKey(input.institution))),
            ("languages", input.languages.joined(separator: ";")), ("notes", input.notes),
            ("evidence_url", optionalText(input.evidenceURL)),
        ]
    }

    static func record(_ row: any SQLRow) throws -> ActivityRecord {
        func date(_ column: String) throws -> CalendarDate? {
            try row.decode(column: column, as: String?.self).flatMap(CalendarDate.init(iso:))
        }
        guard let start = try date("start_date"),
              let kind = ActivityKind(rawValue: try row.decode(column: "kind", as: String.self)),
              let status = ActivityStatus(rawValue: try row.decode(column: "status", as: String.self))
        else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "malformed activity row")) }
        let languages = try row.decode(column: "languages", as: String.self)
        return ActivityRecord(
            id: try row.decode(column: "id", as: Int64.self),
            programmeSlug: try row.decode(column: "programme_slug", as: String.self),
            taskCode: try row.decode(column: "task_code", as: String.self), kind: kind,
            title: try row.decode(column: "title", as: String.self), startDate: start, endDate: try date("end_date"),
            organisationID: try row.decode(column: "organisation_id", as: Int64.self),
            district: try row.decode(column: "district", as: Int?.self).flatMap(District.init(number:)),
            participants: try row.decode(column: "participants", as: Int?.self),
            beneficiaries: try row.decode(column: "beneficiaries", as: Int?.self),
            audiences: Audience.set(fromMask: try row.decode(column: "audience_mask", as: Int64.self)),
            amountGrosze: try row.decode(column: "amount_grosze", as: Int64?.self),
            institution: try row.decode(column: "institution", as: String?.self),
            languages: languages.isEmpty ? [] : languages.split(separator: ";").map(String.init),
            notes: try row.decode(column: "notes", as: String.self),
            evidenceURL: try row.decode(column: "evidence_url", as: String?.self), status: status,
            reviewComment: try row.decode(column: "review_comment", as: String?.self),
            createdBy: try row.decode(column: "created_by", as: Int64?.self),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    public func create(programmeSlug: String, input: ActivityInput, status: ActivityStatus, by user: UserID?,
                       at: Date) async throws -> ActivityRecord {
        let id: ActivityID?
        do {
            id = try await database.transaction { db in
                let id = try await Self.insert(db, programmeSlug: programmeSlug, inputs: [input], status: status, by: user, at: at, returningID: true)
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

    static func insert(_ db: any SQLDatabase, programmeSlug: String, inputs: [ActivityInput], status: ActivityStatus,
                       by user: UserID?, at: Date, returningID: Bool) async throws -> ActivityID? {
        let names = ["programme_slug"] + values(inputs[0]).map(\.0) + ["status", "created_by", "created_at", "updated_at"]
        var insert = db.insert(into: "activities").columns(names)
        for input in inputs {
            let row: [any Encodable & Sendable] = [programmeSlug] + values(input).map(\.1)
                + [status.rawValue, user as Int64?, at.stored, at.stored]
            insert = insert.values(row.map { SQLBind($0) })
        }
        if returningID {
            return try await insert.returning("id").first(decodingColumn: "id", as: Int64.self)
        }
        try await insert.run()
        return nil
    }

    /// `INSERT INTO activities (…) VALUES (…), (…), …` for an import's chunk, written straight into
    /// the serializer. SQLKit's insert builder makes an expression object per value (11,500 for 500
    /// rows) and walks, serializes and frees that tree; for an import that cost more than SQLite's
    /// own work (docs/performance.md). Values are bound as plain `String`, `Int64` and `Double`,
    /// which the drivers convert directly; an absent value is written as `NULL` instead of being
    /// bound as an `Optional` (which the SQLite driver runs through a generic `Encoder`).
    /// The columns and values are those of `values(_:)`, plus the record's programme, status and times.
    struct BulkInsert: SQLExpression {
        static let columns = ["programme_slug", "task_code", "kind", "title", "start_date", "end_date", "year", "quarter",
                              "organisation_id", "district", "participants", "beneficiaries", "audience_mask", "amount_grosze",
                              "institution", "institution_key", "languages", "notes", "evidence_url", "status", "created_by",
                              "created_at", "updated_at"]
        let programmeSlug: String
        let inputs: ArraySlice<ActivityInput>
        let status: ActivityStatus
        let user: UserID?
        let at: Double

        func serialize(to serializer: inout SQLSerializer) {
            serializer.write("INSERT INTO ")
            SQLIdentifier("activities").serialize(to: &serializer)
            serializer.write(" (")
            for (i, column) in Self.columns.enumerated() {
                if i > 0 { serializer.write(", ") }
                SQLIdentifier(column).serialize(to: &serializer)
            }
            serializer.write(") VALUES ")
            serializer.binds.reserveCapacity(serializer.binds.count + inputs.count * Self.columns.count)
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
                value(input.taskCode)
                value(input.kind.rawValue)
                value(input.title)
                value(input.startDate.description)
                value(input.endDate?.description)
                value(Int64(input.startDate.year))
                value(Int64((input.startDate.month - 1) / 3 + 1))
                value(input.organisationID)
                value(input.district.map { Int64($0.number) })
                value(input.participants.map { Int64($0) })
                value(input.beneficiaries.map { Int64($0) })
                value(Audience.mask(input.audiences))
                value(input.amountGrosze)
                value(input.institution)
                value(ActivityRecord.institutionKey(input.institution))
                value(input.languages.joined(separator: ";"))
                value(input.notes)
                value(input.evidenceURL)
                value(status.rawValue)
                value(user)
                value(at)
                value(at)
                serializer.write(")")
            }
        }
    }

    public func record(id: ActivityID) async throws -> ActivityRecord? {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("activities").where("id", .equal, id).first().map(Self.record)
        }
    }

    public func update(id: ActivityID, input: ActivityInput, status: ActivityStatus, reviewComment: String?, at: Date) async throws {
        do {
            try await database.transaction { db in
                var update = db.update("activities")
                for (column, value) in Self.values(input) { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
                try await update.set("status", to: status.rawValue).set("review_comment", to: SQLBind(reviewComment as String?))
                    .set("updated_at", to: at.stored).where("id", .equal, id).run()
                try await DataVersion.bump(db)
            }
        } catch where ConstraintViolation.isForeignKey(error) {
            throw ConstraintViolation.unknownOrganisation
        }
    }

    public func list(_ filter: ActivityFilter, limit: Int, offset: Int) async throws -> [ActivityRecord] {
        try await database.withConnection { db in
            var query = db.select().columns(Self.columns).from("activities")
            query = Self.apply(filter, to: query)
            return try await query.orderBy("start_date", .descending).orderBy("id", .descending)
                .limit(limit).offset(offset).all().map(Self.record)
        }
    }

    public func reportedActivities(programmeSlug: String, throughYear: Int) async throws -> [ReportedActivity] {
        try await database.withConnection { db in
            try await db.select()
                .columns("id", "task_code", "title", "start_date", "end_date", "organisation_id", "district", "participants",
                         "amount_grosze")
                .from("activities").where("programme_slug", .equal, programmeSlug)
                .where("status", .equal, ActivityStatus.approved.rawValue).where("year", .lessThanOrEqual, throughYear)
                .all().map { row in
                    let startText = try row.decode(column: "start_date", as: String.self)
                    guard let start = CalendarDate(iso: startText) else {
                        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "malformed start_date \(startText)"))
                    }
                    return ReportedActivity(
                        id: try row.decode(column: "id", as: Int64.self),
                        taskCode: try row.decode(column: "task_code", as: String.self),
                        title: try row.decode(column: "title", as: String.self), startDate: start,
                        endDate: try row.decode(column: "end_date", as: String?.self).flatMap(CalendarDate.init(iso:)),
                        organisationID: try row.decode(column: "organisation_id", as: Int64.self),
                        district: try row.decode(column: "district", as: Int?.self).flatMap(District.init(number:)),
                        participants: try row.decode(column: "participants", as: Int?.self),
                        amountGrosze: try row.decode(column: "amount_grosze", as: Int64?.self))
                }
        }
    }

    public func count(_ filter: ActivityFilter) async throws -> Int {
        try await database.withConnection { db in
            var query = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("activities")
            query = Self.apply(filter, to: query)
            return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    static func apply(_ filter: ActivityFilter, to query: SQLSelectBuilder) -> SQLSelectBuilder {
        var query = query.where("programme_slug", .equal, filter.programmeSlug)
        if filter.statuses.isEmpty {
            // No status selects no record. (`status IN ()` is a syntax error in PostgreSQL, and an
            // empty set is what `ActivityService.visibleFilter` gives a reporter who asks for another
            // organisation's drafts.)
            query = query.where(SQLRaw("1 = 0"))
        } else if filter.statuses.count < ActivityStatus.allCases.count {
            query = query.where("status", .in, filter.statuses.map(\.rawValue).sorted())
        }
        if let organisation = filter.organisationID { query = query.where("organisation_id", .equal, organisation) }
        if let task = filter.taskCode { query = query.where("task_code", .equal, task) }
        if let year = filter.year { query = query.where("year", .equal, year) }
        if let quarter = filter.quarter { query = query.where("quarter", .equal, quarter) }
        if let district = filter.district {
            query = district.map { query.where("district", .equal, Int64($0.number)) }
                ?? query.where("district", .is, SQLLiteral.null)
        }
        if let rule = filter.rule { query = SQLActivityAggregator.apply(rule, to: query) }
        return query
    }
}

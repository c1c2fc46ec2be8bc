import Foundation
import OtwartyCore
import SQLKit

/// Published documents: metadata and bytes; versions numbered in the inserting transaction.
public struct SQLPublicDocumentRepository: PublicDocumentRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `public_documents` without its bytes.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, kind, language, title, version, publishedOn = "published_on", fileName = "file_name",
                 mediaType = "media_type", size, sha256, activityID = "activity_id"
        }
        typealias Column = CodingKeys
        var id: Int64
        var kind: String
        var language: String
        var title: String
        var version: Int
        var publishedOn: String
        var fileName: String
        var mediaType: String
        var size: Int
        var sha256: String
        var activityID: Int64?

        func document() throws -> PublicDocument {
            guard let kind = PublicDocumentKind(rawValue: kind), let published = CalendarDate(iso: publishedOn) else {
                throw DatabaseError.corrupt("public_documents row \(self.kind)")
            }
            return PublicDocument(id: id, kind: kind, language: language, title: title, version: version, publishedOn: published,
                                  fileName: fileName, mediaType: mediaType, size: size, sha256: sha256, activityID: activityID)
        }
    }

    public func publish(_ document: PublicDocument, bytes: [UInt8]) async throws -> PublicDocument {
        for _ in 0..<3 {
            do {
                return try await database.transaction { db in
                    let latest = try await db.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "v")
                        .from("public_documents").where("kind", .equal, document.kind.rawValue)
                        .where("language", .equal, document.language).where("title", .equal, document.title).first()
                    let version = (try latest?.decode(column: "v", as: Int?.self) ?? 0) + 1
                    try await db.insert(into: "public_documents")
                        .columns("kind", "language", "title", "version", "published_on", "file_name", "media_type", "size", "sha256", "bytes")
                        .values(SQLBind(document.kind.rawValue), SQLBind(document.language), SQLBind(document.title), SQLBind(version),
                                SQLBind(document.publishedOn.description), SQLBind(document.fileName), SQLBind(document.mediaType),
                                SQLBind(bytes.count), SQLBind(SHA256Hex.digest(bytes)), SQLBind(Data(bytes)))
                        .run()
                    guard let row = try await db.select().columns(Row.columns).from("public_documents")
                        .where("kind", .equal, document.kind.rawValue).where("language", .equal, document.language)
                        .where("title", .equal, document.title).where("version", .equal, version).first(decoding: Row.self) else {
                        throw DatabaseError.corrupt("a published document vanished")
                    }
                    return try row.document()
                }
            } catch where ConstraintViolation.isUnique(error) {
                continue // another version was published at the same moment: number again
            }
        }
        throw DomainError.conflict("the document could not be numbered; try again")
    }

    public func documents(kind: PublicDocumentKind?) async throws -> [PublicDocument] {
        try await database.withConnection { db in
            var query = db.select().columns(Row.columns).from("public_documents")
            if let kind { query = query.where("kind", .equal, kind.rawValue) }
            return try await query.orderBy("id", .descending).all(decoding: Row.self).map { try $0.document() }
        }
    }

    public func file(id: Int64) async throws -> (PublicDocument, [UInt8])? {
        try await database.withConnection { db in
            guard let row = try await db.select().columns(Row.columns + ["bytes"]).from("public_documents").where("id", .equal, id).first()
            else { return nil }
            return (try row.decode(model: Row.self).document(), [UInt8](try row.decode(column: "bytes", as: Data.self)))
        }
    }

    public func setActivity(_ activityID: ActivityID, documentID: Int64) async throws {
        try await database.withConnection { db in
            try await db.update("public_documents").set("activity_id", to: activityID).where("id", .equal, documentID).run()
        }
    }
}

/// Service points, their ratings and the monthly records the ratings count through.
public struct SQLServicePointRepository: ServicePointRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `service_points`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name, address, openingHours = "opening_hours", languages, contact
        }
        typealias Column = CodingKeys
        var id: Int64
        var name: String
        var address: String
        var openingHours: String
        var languages: String
        var contact: String

        var point: ServicePoint {
            ServicePoint(id: id, name: name, address: address, openingHours: openingHours, languages: languages, contact: contact)
        }
    }

    /// A row of `service_feedback` as the comments list reads it.
    struct FeedbackRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case positive, comment, language, receivedOn = "received_on", submission
        }
        typealias Column = CodingKeys
        var positive: Bool
        var comment: String
        var language: String
        var receivedOn: String
        var submission: String
    }

    public func all() async throws -> [ServicePoint] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("service_points").orderBy("id").all(decoding: Row.self).map(\.point)
        }
    }

    public func point(id: Int64) async throws -> ServicePoint? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("service_points").where("id", .equal, id).first(decoding: Row.self)?.point
        }
    }

    public func save(_ p: ServicePoint) async throws -> ServicePoint {
        try await database.transaction { db in
            if p.id > 0 {
                try await db.update("service_points").set("name", to: p.name).set("address", to: p.address)
                    .set("opening_hours", to: p.openingHours).set("languages", to: p.languages).set("contact", to: p.contact)
                    .where("id", .equal, p.id).run()
                guard let row = try await db.select().columns(Row.columns).from("service_points").where("id", .equal, p.id)
                    .first(decoding: Row.self) else {
                    throw DomainError.notFound("Service point \(p.id)")
                }
                return row.point
            }
            try await db.insert(into: "service_points").columns("name", "address", "opening_hours", "languages", "contact")
                .values(SQLBind(p.name), SQLBind(p.address), SQLBind(p.openingHours), SQLBind(p.languages), SQLBind(p.contact)).run()
            guard let row = try await db.select().columns(Row.columns).from("service_points").orderBy("id", .descending).limit(1)
                .first(decoding: Row.self) else {
                throw DatabaseError.corrupt("a service point vanished")
            }
            return row.point
        }
    }

    public func addFeedback(_ f: ServiceFeedback) async throws -> Bool {
        do {
            try await database.transaction { db in
                try await db.insert(into: "service_feedback")
                    .columns("point_id", "positive", "comment", "language", "received_on", "year", "month", "submission")
                    .values(SQLBind(f.pointID), SQLBind(f.positive), SQLBind(f.comment), SQLBind(f.language),
                            SQLBind(f.receivedOn.description), SQLBind(f.receivedOn.year), SQLBind(f.receivedOn.month), SQLBind(f.submission))
                    .run()
                // The service-ratings measure counts them; indicator answers are cached by the data version.
                try await DataVersion.bump(db)
            }
            return true
        } catch where ConstraintViolation.isUnique(error) {
            return false
        }
    }

    public func feedbackSummary(year: Int) async throws -> [FeedbackSummary] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT point_id, month,
                       SUM(CASE WHEN positive THEN 1 ELSE 0 END) AS positive,
                       SUM(CASE WHEN positive THEN 0 ELSE 1 END) AS negative
                FROM service_feedback WHERE year = \(bind: year) GROUP BY point_id, month ORDER BY point_id, month
                """).all().map { row in
                    FeedbackSummary(pointID: try row.decode(column: "point_id", as: Int64.self), year: year,
                                    month: try row.decode(column: "month", as: Int.self),
                                    positive: try row.decode(column: "positive", as: Int.self),
                                    negative: try row.decode(column: "negative", as: Int.self))
                }
        }
    }

    public func comments(pointID: Int64, limit: Int) async throws -> [ServiceFeedback] {
        try await database.withConnection { db in
            try await db.select().columns(FeedbackRow.columns).from("service_feedback").where("point_id", .equal, pointID)
                .where("comment", .notEqual, "").orderBy("id", .descending).limit(limit).all(decoding: FeedbackRow.self)
                .compactMap { row in
                    // A row whose day does not read is left out of the list.
                    guard let day = CalendarDate(iso: row.receivedOn) else { return nil }
                    return ServiceFeedback(pointID: pointID, positive: row.positive, comment: row.comment, language: row.language,
                                           receivedOn: day, submission: row.submission)
                }
        }
    }

    public func monthActivity(pointID: Int64, year: Int, month: Int) async throws -> ActivityID? {
        try await database.withConnection { db in
            try await db.select().column("activity_id").from("feedback_activities").where("point_id", .equal, pointID)
                .where("year", .equal, year).where("month", .equal, month).first(decodingColumn: "activity_id", as: Int64.self)
        }
    }

    public func setMonthActivity(_ id: ActivityID, pointID: Int64, year: Int, month: Int) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "feedback_activities").columns("point_id", "year", "month", "activity_id")
                .values(SQLBind(pointID), SQLBind(year), SQLBind(month), SQLBind(id))
                .onConflict(with: ["point_id", "year", "month"]) { $0.set(excludedValueOf: "activity_id") }.run()
        }
    }

    public func monthApprovedCount(pointID: Int64, year: Int, month: Int) async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column("approved_count").from("feedback_activities").where("point_id", .equal, pointID)
                .where("year", .equal, year).where("month", .equal, month).first(decodingColumn: "approved_count", as: Int.self) ?? 0
        }
    }

    public func setMonthApprovedCount(_ count: Int, pointID: Int64, year: Int, month: Int) async throws {
        try await database.withConnection { db in
            try await db.update("feedback_activities").set("approved_count", to: SQLBind(count))
                .where("point_id", .equal, pointID).where("year", .equal, year).where("month", .equal, month).run()
        }
    }
}

/// Patronage requests and decisions.
public struct SQLPatronageRepository: PatronageRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `patronage_requests`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, applicant, project, startsOn = "starts_on", endsOn = "ends_on", description, contact, language,
                 submittedOn = "submitted_on", submission, status, decidedOn = "decided_on", reason, activityID = "activity_id"
        }
        typealias Column = CodingKeys
        var id: Int64
        var applicant: String
        var project: String
        var startsOn: String?
        var endsOn: String?
        var description: String
        var contact: String
        var language: String
        var submittedOn: String?
        var submission: String
        var status: String
        var decidedOn: String?
        var reason: String
        var activityID: Int64?

        func request() throws -> PatronageRequest {
            guard let starts = startsOn.flatMap(CalendarDate.init(iso:)), let ends = endsOn.flatMap(CalendarDate.init(iso:)),
                  let submitted = submittedOn.flatMap(CalendarDate.init(iso:)),
                  let status = PatronageRequest.Status(rawValue: status) else {
                throw DatabaseError.corrupt("patronage_requests row")
            }
            return PatronageRequest(
                id: id, applicant: applicant, project: project, startsOn: starts, endsOn: ends, description: description,
                contact: contact, language: language, submittedOn: submitted, submission: submission, status: status,
                decidedOn: decidedOn.flatMap(CalendarDate.init(iso:)), reason: reason, activityID: activityID)
        }
    }

    public func submit(_ r: PatronageRequest) async throws -> PatronageRequest {
        do {
            try await database.withConnection { db in
                try await db.insert(into: "patronage_requests")
                    .columns("applicant", "project", "starts_on", "ends_on", "description", "contact", "language", "submitted_on",
                             "submission", "status")
                    .values(SQLBind(r.applicant), SQLBind(r.project), SQLBind(r.startsOn.description), SQLBind(r.endsOn.description),
                            SQLBind(r.description), SQLBind(r.contact), SQLBind(r.language), SQLBind(r.submittedOn.description),
                            SQLBind(r.submission), SQLBind(r.status.rawValue))
                    .run()
            }
        } catch where ConstraintViolation.isUnique(error) {
            // The same form sent twice: the first one stands.
        }
        guard let stored = try await database.withConnection({ db in
            try await db.select().columns(Row.columns).from("patronage_requests").where("submission", .equal, r.submission)
                .first(decoding: Row.self)?.request()
        }) else { throw DatabaseError.corrupt("a patronage request vanished") }
        return stored
    }

    public func requests(status: PatronageRequest.Status?) async throws -> [PatronageRequest] {
        try await database.withConnection { db in
            var query = db.select().columns(Row.columns).from("patronage_requests")
            if let status { query = query.where("status", .equal, status.rawValue) }
            return try await query.orderBy("id", .descending).all(decoding: Row.self).map { try $0.request() }
        }
    }

    public func request(id: Int64) async throws -> PatronageRequest? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("patronage_requests").where("id", .equal, id)
                .first(decoding: Row.self)?.request()
        }
    }

    public func decide(id: Int64, status: PatronageRequest.Status, on day: CalendarDate, reason: String,
                       activityID: ActivityID?) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.select().column("status").from("patronage_requests").where("id", .equal, id)
                .first(decodingColumn: "status", as: String.self) == PatronageRequest.Status.pending.rawValue else { return false }
            try await db.update("patronage_requests").set("status", to: status.rawValue).set("decided_on", to: day.description)
                .set("reason", to: reason).set("activity_id", to: SQLBind(activityID)).where("id", .equal, id).run()
            return true
        }
    }

    public func setActivity(_ activityID: ActivityID, requestID: Int64) async throws {
        try await database.withConnection { db in
            try await db.update("patronage_requests").set("activity_id", to: activityID).where("id", .equal, requestID).run()
        }
    }
}

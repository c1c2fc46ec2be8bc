import Foundation
import OtwartyCore
import SQLKit

/// Published documents: metadata and bytes; versions numbered in the inserting transaction.
public struct SQLPublicDocumentRepository: PublicDocumentRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static let columns = ["id", "kind", "language", "title", "version", "published_on", "file_name", "media_type", "size", "sha256",
                          "activity_id"]

    static func document(_ row: any SQLRow) throws -> PublicDocument {
        let kindText = try row.decode(column: "kind", as: String.self)
        guard let kind = PublicDocumentKind(rawValue: kindText),
              let published = CalendarDate(iso: try row.decode(column: "published_on", as: String.self)) else {
            throw DatabaseError.corrupt("public_documents row \(kindText)")
        }
        return PublicDocument(id: try row.decode(column: "id", as: Int64.self), kind: kind,
                              language: try row.decode(column: "language", as: String.self),
                              title: try row.decode(column: "title", as: String.self),
                              version: try row.decode(column: "version", as: Int.self), publishedOn: published,
                              fileName: try row.decode(column: "file_name", as: String.self),
                              mediaType: try row.decode(column: "media_type", as: String.self),
                              size: try row.decode(column: "size", as: Int.self), sha256: try row.decode(column: "sha256", as: String.self),
                              activityID: try row.decode(column: "activity_id", as: Int64?.self))
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
                    guard let row = try await db.select().columns(Self.columns).from("public_documents")
                        .where("kind", .equal, document.kind.rawValue).where("language", .equal, document.language)
                        .where("title", .equal, document.title).where("version", .equal, version).first() else {
                        throw DatabaseError.corrupt("a published document vanished")
                    }
                    return try Self.document(row)
                }
            } catch where ConstraintViolation.isUnique(error) {
                continue // another version was published at the same moment: number again
            }
        }
        throw DomainError.conflict("the document could not be numbered; try again")
    }

    public func documents(kind: PublicDocumentKind?) async throws -> [PublicDocument] {
        try await database.withConnection { db in
            var query = db.select().columns(Self.columns).from("public_documents")
            if let kind { query = query.where("kind", .equal, kind.rawValue) }
            return try await query.orderBy("id", .descending).all().map(Self.document)
        }
    }

    public func file(id: Int64) async throws -> (PublicDocument, [UInt8])? {
        try await database.withConnection { db in
            guard let row = try await db.select().columns(Self.columns + ["bytes"]).from("public_documents").where("id", .equal, id).first()
            else { return nil }
            return (try Self.document(row), [UInt8](try row.decode(column: "bytes", as: Data.self)))
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

    static func point(_ row: any SQLRow) throws -> ServicePoint {
        ServicePoint(id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                     address: try row.decode(column: "address", as: String.self),
                     openingHours: try row.decode(column: "opening_hours", as: String.self),
                     languages: try row.decode(column: "languages", as: String.self),
                     contact: try row.decode(column: "contact", as: String.self))
    }

    public func all() async throws -> [ServicePoint] {
        try await database.withConnection { db in try await db.select().column("*").from("service_points").orderBy("id").all().map(Self.point) }
    }

    public func point(id: Int64) async throws -> ServicePoint? {
        try await database.withConnection { db in
            try await db.select().column("*").from("service_points").where("id", .equal, id).first().map(Self.point)
        }
    }

    public func save(_ p: ServicePoint) async throws -> ServicePoint {
        try await database.transaction { db in
            if p.id > 0 {
                try await db.update("service_points").set("name", to: p.name).set("address", to: p.address)
                    .set("opening_hours", to: p.openingHours).set("languages", to: p.languages).set("contact", to: p.contact)
                    .where("id", .equal, p.id).run()
                guard let row = try await db.select().column("*").from("service_points").where("id", .equal, p.id).first() else {
                    throw DomainError.notFound("Service point \(p.id)")
                }
                return try Self.point(row)
            }
            try await db.insert(into: "service_points").columns("name", "address", "opening_hours", "languages", "contact")
                .values(SQLBind(p.name), SQLBind(p.address), SQLBind(p.openingHours), SQLBind(p.languages), SQLBind(p.contact)).run()
            guard let row = try await db.select().column("*").from("service_points").orderBy("id", .descending).limit(1).first() else {
                throw DatabaseError.corrupt("a service point vanished")
            }
            return try Self.point(row)
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
            try await db.select().column("*").from("service_feedback").where("point_id", .equal, pointID)
                .where("comment", .notEqual, "").orderBy("id", .descending).limit(limit).all().compactMap { row in
                    guard let day = CalendarDate(iso: try row.decode(column: "received_on", as: String.self)) else { return nil }
                    return ServiceFeedback(pointID: pointID, positive: try row.decode(column: "positive", as: Bool.self),
                                           comment: try row.decode(column: "comment", as: String.self),
                                           language: try row.decode(column: "language", as: String.self), receivedOn: day,
                                           submission: try row.decode(column: "submission", as: String.self))
                }
        }
    }

    public func monthActivity(pointID: Int64, year: Int, month: Int) async throws -> ActivityID? {
        try await database.withConnection { db in
            try await db.select().column("activity_id").from("feedback_activities").where("point_id", .equal, pointID)
                .where("year", .equal, year).where("month", .equal, month).first()?.decode(column: "activity_id", as: Int64.self)
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
                .where("year", .equal, year).where("month", .equal, month).first()?.decode(column: "approved_count", as: Int.self) ?? 0
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

    static func request(_ row: any SQLRow) throws -> PatronageRequest {
        func day(_ c: String) throws -> CalendarDate? { try row.decode(column: c, as: String?.self).flatMap(CalendarDate.init(iso:)) }
        guard let starts = try day("starts_on"), let ends = try day("ends_on"), let submitted = try day("submitted_on"),
              let status = PatronageRequest.Status(rawValue: try row.decode(column: "status", as: String.self)) else {
            throw DatabaseError.corrupt("patronage_requests row")
        }
        return PatronageRequest(
            id: try row.decode(column: "id", as: Int64.self), applicant: try row.decode(column: "applicant", as: String.self),
            project: try row.decode(column: "project", as: String.self), startsOn: starts, endsOn: ends,
            description: try row.decode(column: "description", as: String.self), contact: try row.decode(column: "contact", as: String.self),
            language: try row.decode(column: "language", as: String.self), submittedOn: submitted,
            submission: try row.decode(column: "submission", as: String.self), status: status, decidedOn: try day("decided_on"),
            reason: try row.decode(column: "reason", as: String.self), activityID: try row.decode(column: "activity_id", as: Int64?.self))
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
            try await db.select().column("*").from("patronage_requests").where("submission", .equal, r.submission).first().map(Self.request)
        }) else { throw DatabaseError.corrupt("a patronage request vanished") }
        return stored
    }

    public func requests(status: PatronageRequest.Status?) async throws -> [PatronageRequest] {
        try await database.withConnection { db in
            var query = db.select().column("*").from("patronage_requests")
            if let status { query = query.where("status", .equal, status.rawValue) }
            return try await query.orderBy("id", .descending).all().map(Self.request)
        }
    }

    public func request(id: Int64) async throws -> PatronageRequest? {
        try await database.withConnection { db in
            try await db.select().column("*").from("patronage_requests").where("id", .equal, id).first().map(Self.request)
        }
    }

    public func decide(id: Int64, status: PatronageRequest.Status, on day: CalendarDate, reason: String,
                       activityID: ActivityID?) async throws -> Bool {
        try await database.transaction { db in
            guard let row = try await db.select().column("status").from("patronage_requests").where("id", .equal, id).first(),
                  try row.decode(column: "status", as: String.self) == PatronageRequest.Status.pending.rawValue else { return false }
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

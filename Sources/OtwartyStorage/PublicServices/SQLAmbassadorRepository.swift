import Foundation
import OtwartyCore
import SQLKit

/// Editions, nominations and the jury's scores.
public struct SQLAmbassadorRepository: AmbassadorRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `ambassador_editions`.
    struct EditionRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case year, opensOn = "opens_on", closesOn = "closes_on", galaOn = "gala_on", meetingOn = "meeting_on",
                 nominationsActivity = "nominations_activity", nominationsApproved = "nominations_approved",
                 galaActivity = "gala_activity", meetingActivity = "meeting_activity"
        }
        typealias Column = CodingKeys
        var year: Int
        var opensOn: String?
        var closesOn: String?
        var galaOn: String?
        var meetingOn: String?
        var nominationsActivity: Int64?
        var nominationsApproved: Int
        var galaActivity: Int64?
        var meetingActivity: Int64?

        func edition() throws -> AmbassadorEdition {
            guard let opens = opensOn.flatMap(CalendarDate.init(iso:)), let closes = closesOn.flatMap(CalendarDate.init(iso:)) else {
                throw DatabaseError.corrupt("ambassador_editions row")
            }
            return AmbassadorEdition(year: year, opensOn: opens, closesOn: closes, galaOn: galaOn.flatMap(CalendarDate.init(iso:)),
                                     meetingOn: meetingOn.flatMap(CalendarDate.init(iso:)), nominationsActivity: nominationsActivity,
                                     nominationsApproved: nominationsApproved, galaActivity: galaActivity,
                                     meetingActivity: meetingActivity)
        }
    }

    /// A row of `nominations`.
    struct NominationRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, nominee, category, justification, contact, language, submittedOn = "submitted_on", submission, winner
        }
        typealias Column = CodingKeys
        var id: Int64
        var nominee: String
        var category: String
        var justification: String
        var contact: String
        var language: String
        var submittedOn: String
        var submission: String
        var winner: Bool

        func nomination(year: Int) throws -> Nomination {
            guard let category = NominationCategory(rawValue: category), let day = CalendarDate(iso: submittedOn) else {
                throw DatabaseError.corrupt("nominations row")
            }
            return Nomination(id: id, year: year, nominee: nominee, category: category, justification: justification,
                              contact: contact, language: language, submittedOn: day, submission: submission, isWinner: winner)
        }
    }

    /// A row of `nomination_scores`.
    struct ScoreRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case nominationID = "nomination_id", jurorID = "juror_id", score
        }
        typealias Column = CodingKeys
        var nominationID: Int64
        var jurorID: Int64
        var score: Int
    }

    public func editions() async throws -> [AmbassadorEdition] {
        try await database.withConnection { db in
            try await db.select().columns(EditionRow.columns).from("ambassador_editions").orderBy("year", .descending)
                .all(decoding: EditionRow.self).map { try $0.edition() }
        }
    }

    public func edition(year: Int) async throws -> AmbassadorEdition? {
        try await database.withConnection { db in
            try await db.select().columns(EditionRow.columns).from("ambassador_editions").where("year", .equal, year)
                .first(decoding: EditionRow.self)?.edition()
        }
    }

    public func saveEdition(_ e: AmbassadorEdition) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "ambassador_editions")
                .columns("year", "opens_on", "closes_on", "gala_on", "meeting_on", "nominations_activity", "nominations_approved",
                         "gala_activity", "meeting_activity")
                .values(SQLBind(e.year), SQLBind(e.opensOn.description), SQLBind(e.closesOn.description), SQLBind(e.galaOn?.description),
                        SQLBind(e.meetingOn?.description), SQLBind(e.nominationsActivity), SQLBind(e.nominationsApproved),
                        SQLBind(e.galaActivity), SQLBind(e.meetingActivity))
                .onConflict(with: ["year"]) {
                    $0.set(excludedValueOf: "opens_on").set(excludedValueOf: "closes_on").set(excludedValueOf: "gala_on")
                        .set(excludedValueOf: "meeting_on").set(excludedValueOf: "nominations_activity")
                        .set(excludedValueOf: "nominations_approved")
                        .set(excludedValueOf: "gala_activity").set(excludedValueOf: "meeting_activity")
                }.run()
        }
    }

    public func nominate(_ n: Nomination) async throws -> Bool {
        do {
            try await database.withConnection { db in
                try await db.insert(into: "nominations")
                    .columns("year", "nominee", "category", "justification", "contact", "language", "submitted_on", "submission")
                    .values(SQLBind(n.year), SQLBind(n.nominee), SQLBind(n.category.rawValue), SQLBind(n.justification), SQLBind(n.contact),
                            SQLBind(n.language), SQLBind(n.submittedOn.description), SQLBind(n.submission))
                    .run()
            }
            return true
        } catch where ConstraintViolation.isUnique(error) {
            return false
        }
    }

    public func nominations(year: Int) async throws -> [ScoredNomination] {
        try await database.withConnection { db in
            let nominations = try await db.select().columns(NominationRow.columns).from("nominations").where("year", .equal, year)
                .orderBy("id").all(decoding: NominationRow.self).map { try $0.nomination(year: year) }
            guard !nominations.isEmpty else { return [] }
            var scores: [Int64: [UserID: Int]] = [:]
            for row in try await db.select().columns(ScoreRow.columns).from("nomination_scores")
                .where("nomination_id", .in, nominations.map(\.id)).all(decoding: ScoreRow.self) {
                scores[row.nominationID, default: [:]][row.jurorID] = row.score
            }
            return nominations.map { ScoredNomination(nomination: $0, scores: scores[$0.id] ?? [:]) }
        }
    }

    public func score(nominationID: Int64, juror: UserID, score: Int) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "nomination_scores").columns("nomination_id", "juror_id", "score")
                .values(SQLBind(nominationID), SQLBind(juror), SQLBind(score))
                .onConflict(with: ["nomination_id", "juror_id"]) { $0.set(excludedValueOf: "score") }.run()
        }
    }

    public func setWinner(nominationID: Int64, winner: Bool) async throws {
        try await database.withConnection { db in
            try await db.update("nominations").set("winner", to: winner).where("id", .equal, nominationID).run()
        }
    }
}

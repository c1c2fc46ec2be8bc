import Foundation
import OtwartyCore
import SQLKit

/// Editions, nominations and the jury's scores.
public struct SQLAmbassadorRepository: AmbassadorRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static func edition(_ row: any SQLRow) throws -> AmbassadorEdition {
        func day(_ c: String) throws -> CalendarDate? { try row.decode(column: c, as: String?.self).flatMap(CalendarDate.init(iso:)) }
        guard let opens = try day("opens_on"), let closes = try day("closes_on") else { throw DatabaseError.corrupt("ambassador_editions row") }
        return AmbassadorEdition(year: try row.decode(column: "year", as: Int.self), opensOn: opens, closesOn: closes,
                                 galaOn: try day("gala_on"), meetingOn: try day("meeting_on"),
                                 nominationsActivity: try row.decode(column: "nominations_activity", as: Int64?.self),
                                 nominationsApproved: try row.decode(column: "nominations_approved", as: Int.self),
                                 galaActivity: try row.decode(column: "gala_activity", as: Int64?.self),
                                 meetingActivity: try row.decode(column: "meeting_activity", as: Int64?.self))
    }

    public func editions() async throws -> [AmbassadorEdition] {
        try await database.withConnection { db in
            try await db.select().column("*").from("ambassador_editions").orderBy("year", .descending).all().map(Self.edition)
        }
    }

    public func edition(year: Int) async throws -> AmbassadorEdition? {
        try await database.withConnection { db in
            try await db.select().column("*").from("ambassador_editions").where("year", .equal, year).first().map(Self.edition)
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
            let rows = try await db.select().column("*").from("nominations").where("year", .equal, year).orderBy("id").all()
            let nominations = try rows.map { row -> Nomination in
                guard let category = NominationCategory(rawValue: try row.decode(column: "category", as: String.self)),
                      let day = CalendarDate(iso: try row.decode(column: "submitted_on", as: String.self)) else {
                    throw DatabaseError.corrupt("nominations row")
                }
                return Nomination(id: try row.decode(column: "id", as: Int64.self), year: year,
                                  nominee: try row.decode(column: "nominee", as: String.self), category: category,
                                  justification: try row.decode(column: "justification", as: String.self),
                                  contact: try row.decode(column: "contact", as: String.self),
                                  language: try row.decode(column: "language", as: String.self), submittedOn: day,
                                  submission: try row.decode(column: "submission", as: String.self),
                                  isWinner: try row.decode(column: "winner", as: Bool.self))
            }
            guard !nominations.isEmpty else { return [] }
            var scores: [Int64: [UserID: Int]] = [:]
            for row in try await db.select().columns("nomination_id", "juror_id", "score").from("nomination_scores")
                .where("nomination_id", .in, nominations.map(\.id)).all() {
                scores[try row.decode(column: "nomination_id", as: Int64.self), default: [:]][try row.decode(column: "juror_id", as: Int64.self)] =
                    try row.decode(column: "score", as: Int.self)
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

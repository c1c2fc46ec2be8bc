import Foundation
import OtwartyCore
import SQLKit

/// Risk reassessments: an append-only history.
public struct SQLRiskAssessmentRepository: RiskAssessmentRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func add(_ a: RiskAssessment) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "risk_assessments")
                .columns("programme_slug", "risk", "assessed_on", "score", "reason", "recorded_at", "recorded_by")
                .values(SQLBind(a.programmeSlug), SQLBind(a.risk), SQLBind(a.date.description), SQLBind(a.score),
                        SQLBind(a.reason), SQLBind(a.recordedAt.stored), SQLBind(a.recordedBy))
                .run()
        }
    }

    public func assessments(programme: String) async throws -> [RiskAssessment] {
        try await database.withConnection { db in
            try await db.select().column("*").from("risk_assessments").where("programme_slug", .equal, programme)
                .orderBy("assessed_on").orderBy("recorded_at").orderBy("id").all().map { row in
                    let day = try row.decode(column: "assessed_on", as: String.self)
                    guard let date = CalendarDate(iso: day) else { throw DatabaseError.corrupt("risk_assessments.assessed_on \(day)") }
                    return RiskAssessment(programmeSlug: try row.decode(column: "programme_slug", as: String.self),
                                          risk: try row.decode(column: "risk", as: Int.self), date: date,
                                          score: try row.decode(column: "score", as: Int.self),
                                          reason: try row.decode(column: "reason", as: String.self),
                                          recordedAt: try row.date("recorded_at"),
                                          recordedBy: try row.decode(column: "recorded_by", as: Int64?.self))
                }
        }
    }
}

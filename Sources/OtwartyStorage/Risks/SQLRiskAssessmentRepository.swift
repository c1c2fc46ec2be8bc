import Foundation
import OtwartyCore
import SQLKit

/// Risk reassessments: an append-only history.
public struct SQLRiskAssessmentRepository: RiskAssessmentRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `risk_assessments`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case programmeSlug = "programme_slug", risk, assessedOn = "assessed_on", score, reason, recordedAt = "recorded_at",
                 recordedBy = "recorded_by"
        }
        typealias Column = CodingKeys
        var programmeSlug: String
        var risk: Int
        var assessedOn: String
        var score: Int
        var reason: String
        var recordedAt: Double
        var recordedBy: Int64?

        func assessment() throws -> RiskAssessment {
            guard let date = CalendarDate(iso: assessedOn) else { throw DatabaseError.corrupt("risk_assessments.assessed_on \(assessedOn)") }
            return RiskAssessment(programmeSlug: programmeSlug, risk: risk, date: date, score: score, reason: reason,
                                  recordedAt: Date(timeIntervalSince1970: recordedAt), recordedBy: recordedBy)
        }
    }

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
            try await db.select().columns(Row.columns).from("risk_assessments").where("programme_slug", .equal, programme)
                .orderBy("assessed_on").orderBy("recorded_at").orderBy("id").all(decoding: Row.self).map { try $0.assessment() }
        }
    }
}

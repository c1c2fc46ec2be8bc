import Foundation
import OtwartyCore
import SQLKit

/// Owner, linked tasks and review interval of each risk, and the risks added to the register.
public struct SQLRiskDetailsRepository: RiskDetailsRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `risk_details`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case number, addedGoal = "added_goal", addedName = "added_name", addedScore = "added_score",
                 addedResponse = "added_response", addedResponseDetail = "added_response_detail", owner,
                 linkedTasks = "linked_tasks", reviewEveryMonths = "review_every_months"
        }
        typealias Column = CodingKeys
        var number: Int
        var addedGoal: Int?
        var addedName: String?
        var addedScore: Int?
        var addedResponse: String?
        var addedResponseDetail: String?
        var owner: String
        var linkedTasks: String
        var reviewEveryMonths: Int

        /// An added risk counts only with a name and a response this version knows.
        func details(programme: String) -> RiskDetails {
            var added: Risk?
            if let addedName, let response = RiskResponse(rawValue: addedResponse ?? "") {
                added = .init(goal: addedGoal ?? 0, name: addedName, score: addedScore ?? 0, response: response,
                              responseDetail: addedResponseDetail ?? "")
            }
            return RiskDetails(programmeSlug: programme, number: number, added: added, owner: owner,
                               linkedTasks: linkedTasks.isEmpty ? [] : linkedTasks.split(separator: ",").map(String.init),
                               reviewEveryMonths: reviewEveryMonths)
        }
    }

    public func details(programme: String) async throws -> [RiskDetails] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("risk_details").where("programme_slug", .equal, programme)
                .orderBy("number").all(decoding: Row.self).map { $0.details(programme: programme) }
        }
    }

    public func save(_ d: RiskDetails) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "risk_details")
                .columns("programme_slug", "number", "added_goal", "added_name", "added_score", "added_response",
                         "added_response_detail", "owner", "linked_tasks", "review_every_months")
                .values(SQLBind(d.programmeSlug), SQLBind(d.number), SQLBind(d.added?.goal), SQLBind(d.added?.name),
                        SQLBind(d.added?.score), SQLBind(d.added?.response.rawValue), SQLBind(d.added?.responseDetail),
                        SQLBind(d.owner), SQLBind(d.linkedTasks.joined(separator: ",")), SQLBind(d.reviewEveryMonths))
                .onConflict(with: ["programme_slug", "number"]) {
                    $0.set(excludedValueOf: "added_goal").set(excludedValueOf: "added_name").set(excludedValueOf: "added_score")
                        .set(excludedValueOf: "added_response").set(excludedValueOf: "added_response_detail")
                        .set(excludedValueOf: "owner").set(excludedValueOf: "linked_tasks").set(excludedValueOf: "review_every_months")
                }
                .run()
        }
    }
}

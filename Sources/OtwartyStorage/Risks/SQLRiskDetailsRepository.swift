import Foundation
import OtwartyCore
import SQLKit

/// Owner, linked tasks and review interval of each risk, and the risks added to the register.
public struct SQLRiskDetailsRepository: RiskDetailsRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func details(programme: String) async throws -> [RiskDetails] {
        try await database.withConnection { db in
            try await db.select().column("*").from("risk_details").where("programme_slug", .equal, programme)
                .orderBy("number").all().map { row in
                    var added: Risk?
                    if let name = try row.decode(column: "added_name", as: String?.self),
                       let response = RiskResponse(rawValue: try row.decode(column: "added_response", as: String?.self) ?? "") {
                        added = .init(goal: try row.decode(column: "added_goal", as: Int?.self) ?? 0, name: name,
                                      score: try row.decode(column: "added_score", as: Int?.self) ?? 0, response: response,
                                      responseDetail: try row.decode(column: "added_response_detail", as: String?.self) ?? "")
                    }
                    let tasks = try row.decode(column: "linked_tasks", as: String.self)
                    return RiskDetails(programmeSlug: programme, number: try row.decode(column: "number", as: Int.self), added: added,
                                       owner: try row.decode(column: "owner", as: String.self),
                                       linkedTasks: tasks.isEmpty ? [] : tasks.split(separator: ",").map(String.init),
                                       reviewEveryMonths: try row.decode(column: "review_every_months", as: Int.self))
                }
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

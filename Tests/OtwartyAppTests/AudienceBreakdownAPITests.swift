import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

/// Issue 13 through the API (openapi.yaml: `participantsByAudience`, `participantsNew`): stored and
/// answered as sent, cleared by null, and every mistake a 422 naming its field.
@Suite struct AudienceBreakdownAPITests {
    /// A joint training for 40: 12 City Office staff, 8 Municipal Guard officers, 20 police officers; 15 new.
    static var training: [String: Any] { [
        "task": "6.3", "kind": "training", "title": "Szkolenie wspólne", "startDate": "2025-06-14", "participants": 40,
        "audiences": ["city_office", "municipal_guard", "police"],
        "participantsByAudience": ["city_office": 12, "municipal_guard": 8, "police": 20], "participantsNew": 15,
    ] }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func aBreakdownIsStoredAnsweredAndCleared() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let organisation = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            let token = try await app.apiToken(for: try await app.reporter(.partner, organisation: organisation.id, email: "a@ngo.test"))
            var body = Self.training
            body["organisationId"] = organisation.id
            let created = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(token, json: true),
                                                   body: try jsonBody(body))
            #expect(created.status == .created)
            let record = try json(created)
            #expect(record["participantsByAudience"] as? [String: Int] == ["city_office": 12, "municipal_guard": 8, "police": 20])
            #expect(record["participantsNew"] as? Int == 15)
            let id = try #require(record["id"] as? Int)
            let stored = try #require(try await app.services.repositories.activities.record(id: Int64(id)))
            #expect(stored.participantsByAudience == AudienceBreakdown([.cityOffice: 12, .municipalGuard: 8, .police: 20]))

            let cleared = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(token, json: true),
                                                   body: try jsonBody(["participantsByAudience": NSNull(), "participantsNew": NSNull()]))
            #expect(cleared.status == .ok)
            #expect(try json(cleared)["participantsByAudience"] == nil && json(cleared)["participantsNew"] == nil)
        }
    }

    @Test func mistakesAre422NamingTheField() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let organisation = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            let token = try await app.apiToken(for: try await app.reporter(.partner, organisation: organisation.id, email: "a@ngo.test"))
            let cases: [([String: Any], String)] = [
                // 12 + 8 + 21 = 41, not 40.
                (["participantsByAudience": ["city_office": 12, "municipal_guard": 8, "police": 21]], "participantsByAudience"),
                (["participantsByAudience": ["city_office": 12, "kids": 28]], "participantsByAudience"),
                (["participantsByAudience": ["city_office": 20, "teachers": 20]], "participantsByAudience"),
                (["participantsByAudience": ["city_office": -1, "police": 41]], "participantsByAudience.city_office"),
                (["participantsByAudience": ["police": "many"]], "participantsByAudience"),
                (["participantsNew": 41], "participantsNew"),
            ]
            for (change, field) in cases {
                var body = Self.training
                body["organisationId"] = organisation.id
                body.merge(change) { _, new in new }
                let response = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(token, json: true),
                                                        body: try jsonBody(body))
                #expect(response.status == .unprocessableContent, "\(change)")
                let detail = try json(response)["detail"] as? String ?? ""
                #expect(detail.contains(field), "\(change) → \(detail)")
            }
            #expect(try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: "otwarty-krakow-2024-2028")) == 0)
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import OtwartyWeb
import Testing
import Yams

/// The API answers what openapi.yaml promises, and the served document is that file.
@Suite struct APITests {
    static func document() throws -> [String: Any] {
        try #require(try Yams.load(yaml: OpenAPIDocument.bundledYAML()) as? [String: Any])
    }

    func json(_ response: TestResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed])
    }

    func conforms(_ response: TestResponse, path: String, status: Int, contentType: String = "application/json") throws {
        let validator = SchemaValidator(document: try Self.document())
        let schema = try #require(validator.responseSchema(path: path, status: status, contentType: contentType),
                                  "openapi.yaml describes no \(status) \(contentType) answer for \(path)")
        #expect(response.status.code == status)
        #expect(response.headers[.contentType]?.hasPrefix(contentType) == true)
        let problems = validator.validate(try json(response), against: schema)
        #expect(problems.isEmpty, "\(path): \(problems.prefix(10))")
    }

    @Test func programmeMatchesTheDocumentAndTheResolution() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let response = try await client.execute(uri: "/api/v1/programme", method: .get)
            try conforms(response, path: "/api/v1/programme", status: 200)
            let body = try #require(try json(response) as? [String: Any])
            #expect(body["slug"] as? String == "otwarty-krakow-2024-2028")
            #expect(body["resolution"] as? String == "XIV/357/24")
            #expect(body["adopted"] as? String == "2024-11-20")
            #expect((body["period"] as? [String: Int]) == ["from": 2024, "to": 2028])
            #expect((body["reportDue"] as? [String: Int]) == ["month": 4, "day": 30])
            let goals = try #require(body["goals"] as? [[String: Any]])
            #expect(goals.count == 6)
            let tasks = goals.flatMap { $0["tasks"] as? [[String: Any]] ?? [] }
            #expect(tasks.count == 27)
            let first = try #require(tasks.first)
            #expect(first["code"] as? String == "1.1")
            #expect(first["deadline"] is NSNull, "continuous tasks have an explicit null deadline")
            let dated = try #require(tasks.first { $0["code"] as? String == "2.2" })
            #expect(dated["deadline"] as? String == "2024-12-31")
            let measures = try #require(tasks.first { $0["code"] as? String == "2.1" }?["measures"] as? [[String: String]])
            #expect(measures == [["code": "2.1.a", "name": "Liczba spotkań"], ["code": "2.1.b", "name": "Liczba uczestników spotkań"]])
            let results = try #require(body["results"] as? [[String: Any]])
            #expect(results.count == 4)
            #expect(results[0]["weight"] as? Double == 0.25 && results[0]["unit"] as? String == "percent")
            #expect((results[0]["baseline"] as? [String: Any])?["value"] as? Double == 4.2)
            #expect((results[2]["target"] as? [String: Any])?["comparison"] as? String == "atLeast")
            let risks = try #require(body["risks"] as? [[String: Any]])
            #expect(risks.map { $0["level"] as? String } == ["moderate", "low", "moderate", "moderate", "moderate", "moderate"])
            #expect(risks.map { $0["response"] as? String }.allSatisfy { ["tolerate", "counteract"].contains($0) })
            #expect((body["financingSources"] as? [String])?.count == 7)
        }
    }

    @Test func listHealthAndNotFound() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            try conforms(try await client.execute(uri: "/api/v1/programmes", method: .get), path: "/api/v1/programmes", status: 200)
            try conforms(try await client.execute(uri: "/healthz", method: .get), path: "/healthz", status: 200)
            let missing = try await client.execute(uri: "/api/v1/programme?slug=no-such", method: .get)
            try conforms(missing, path: "/api/v1/programme", status: 404, contentType: "application/problem+json")
            let bySlug = try await client.execute(uri: "/api/v1/programme?slug=otwarty-krakow-2024-2028", method: .get)
            #expect(bySlug.status == .ok)
        }
    }

    /// `/readyz` says whether the database answers: 200 while it does, 503 with `Retry-After` when
    /// it does not (here: the table it reads is gone), as openapi.yaml describes both.
    @Test func readinessFollowsTheDatabase() async throws {
        try await TestApp.withApp(storage: .sqlite) { app, client in
            try conforms(try await client.execute(uri: "/readyz", method: .get), path: "/readyz", status: 200)
            try await app.services.database.withConnection { db in
                try await db.raw("ALTER TABLE programmes RENAME TO programmes_away").run()
            }
            let down = try await client.execute(uri: "/readyz", method: .get)
            try conforms(down, path: "/readyz", status: 503)
            #expect(down.headers[.retryAfter] == "5")
            try await app.services.database.withConnection { db in
                try await db.raw("ALTER TABLE programmes_away RENAME TO programmes").run()
            }
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
        }
    }

    @Test func servesTheDocumentAsJSON() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            let served = try #require(try json(response) as? [String: Any])
            #expect(served["openapi"] as? String == "3.1.0")
            let paths = try #require(served["paths"] as? [String: Any])
            #expect(Set(paths.keys).isSuperset(of: ["/healthz", "/api/v1/openapi.json", "/api/v1/programmes", "/api/v1/programme"]))
        }
    }

    @Test func everyAPIRouteIsDocumented() async throws {
        try await TestApp.withApp(storage: .memory) { app, _ in
            let (_, entries) = try await OtwartyApp.buildRouter(app.configuration, services: app.services)
            let documented = Set((try Self.document()["paths"] as? [String: Any] ?? [:]).keys)
            // The router writes parameters as `:id`, OpenAPI as `{id}`.
            let apiRoutes = entries.filter { $0.pattern.hasPrefix("/api/") || $0.pattern.hasPrefix("/open-data/") || RequestPath.isProbe($0.pattern) }
                .map { $0.pattern.replacing(/:([a-z]+)/) { "{\($0.1)}" } }
            #expect(!apiRoutes.isEmpty)
            #expect(Set(apiRoutes) == documented)
        }
    }

    @Test func theValidatorCatchesADeviation() throws {
        // Guards the guard: a response missing a field or with a wrong type must be reported.
        let validator = SchemaValidator(document: try Self.document())
        let schema = try #require(validator.resolve("#/components/schemas/Risk"))
        #expect(validator.validate(["goal": 1, "name": "x", "score": 9, "level": "huge", "response": "counteract"], against: schema).count == 3)
        let task = try #require(validator.resolve("#/components/schemas/Task"))
        let good: [String: Any] = ["number": 1, "code": "1.1", "title": "t", "measures": [], "deadline": NSNull(),
                                   "products": [], "implementers": [], "partners": []]
        #expect(validator.validate(good, against: task).isEmpty)
        var bad = good
        bad["deadline"] = "31.12.2028"
        bad["extra"] = true
        #expect(validator.validate(bad, against: task).count == 2)
    }
}

import OtwartyApp

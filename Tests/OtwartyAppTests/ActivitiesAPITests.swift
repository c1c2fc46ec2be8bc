import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

/// The reporting workflow through the API: who may read and change what, by id.
@Suite struct ActivitiesAPITests {
    static var event: [String: Any] { [
        "task": "4.1", "kind": "event", "title": "Festiwal Kultur", "startDate": "2025-06-14",
        "district": 1, "participants": 350, "audiences": ["residents", "migrants"], "languages": ["pl", "uk"],
    ] }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    struct World {
        let fundacja: Organisation
        let stowarzyszenie: Organisation
        let partnerA: String
        let partnerB: String
        let coordinator: String
        let viewer: String
    }

    func world(_ app: TestApp) async throws -> World {
        let orgs = app.services.repositories.organisations
        let a = try await orgs.create(name: "Fundacja Dialog", kind: .ngo)
        let b = try await orgs.create(name: "Stowarzyszenie Most", kind: .ngo)
        let partnerA = try await app.apiToken(for: try await app.reporter(.partner, organisation: a.id, email: "a@ngo.test"))
        let partnerB = try await app.apiToken(for: try await app.reporter(.partner, organisation: b.id, email: "b@ngo.test"))
        let coordinator = try await app.apiToken(for: try await app.signedIn(.programmeCoordinator).user)
        let viewer = try await app.apiToken(for: try await app.signedIn(.viewer).user)
        return World(fundacja: a, stowarzyszenie: b, partnerA: partnerA, partnerB: partnerB, coordinator: coordinator, viewer: viewer)
    }

    @Test func draftSubmitApproveAndTheMeasureMoves() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let w = try await world(app)
            var body = Self.event
            body["organisationId"] = w.fundacja.id
            let created = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(w.partnerA, json: true),
                                                   body: try jsonBody(body))
            #expect(created.status == .created)
            let record = try json(created)
            let id = try #require(record["id"] as? Int)
            #expect(record["status"] as? String == "draft")
            #expect(created.headers[.location] == "/api/v1/activities/\(id)")

            func eventsIn2025() async throws -> Double? {
                let r = try await client.execute(uri: "/api/v1/indicators?year=2025", method: .get)
                let measures = try #require(try json(r)["measures"] as? [[String: Any]])
                return measures.first { $0["code"] as? String == "4.1.a" }?["value"] as? Double
            }
            #expect(try await eventsIn2025() == 0)

            let submit = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.partnerA, json: true),
                                                  body: try jsonBody(["status": "submitted"]))
            let submitted = try json(submit)["status"] as? String
            #expect(submit.status == .ok && submitted == "submitted")
            #expect(try await eventsIn2025() == 0, "a submitted record does not count yet")

            // A partner cannot approve their own record.
            let selfApprove = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.partnerA, json: true),
                                                       body: try jsonBody(["status": "approved"]))
            #expect(selfApprove.status == .forbidden)

            let approve = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.coordinator, json: true),
                                                   body: try jsonBody(["status": "approved"]))
            #expect(approve.status == .ok)
            #expect(try await eventsIn2025() == 1)

            let returned = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.coordinator, json: true),
                                                    body: try jsonBody(["status": "returned"]))
            #expect(returned.status == .unprocessableContent, "returning needs a comment")
            let withComment = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.coordinator, json: true),
                                                       body: try jsonBody(["status": "returned", "reviewComment": "Podaj liczbę uczestników z listy obecności."]))
            #expect((try json(withComment))["reviewComment"] as? String == "Podaj liczbę uczestników z listy obecności.")
            #expect(try await eventsIn2025() == 0, "a returned record no longer counts")

            let trail = try await app.services.repositories.audit.entries(subject: "activity:\(id)", limit: 10)
            // Returning an approved record reopens it, and the trail says so.
            #expect(trail.map(\.action) == ["activity.reopened", "activity.approved", "activity.submitted", "activity.created"])
            #expect(trail[0].detail.contains("\"before\"") && trail[0].detail.contains("\"status\":\"approved\""))
        }
    }

    @Test func partnersCannotReadOrChangeAnotherOrganisationsDrafts() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let w = try await world(app)
            var body = Self.event
            body["organisationId"] = w.fundacja.id
            let id = try #require(try json(try await client.execute(uri: "/api/v1/activities", method: .post,
                                                                    headers: bearer(w.partnerA, json: true), body: try jsonBody(body)))["id"] as? Int)
            // Partner B: the draft is invisible and unchangeable, by id and in lists.
            #expect(try await client.execute(uri: "/api/v1/activities/\(id)", method: .get, headers: bearer(w.partnerB)).status == .notFound)
            let patch = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.partnerB, json: true),
                                                 body: try jsonBody(["title": "Przejęte"]))
            #expect(patch.status == .notFound)
            let list = try json(try await client.execute(uri: "/api/v1/activities", method: .get, headers: bearer(w.partnerB)))
            #expect(list["total"] as? Int == 0)
            let asked = try json(try await client.execute(uri: "/api/v1/activities?organisation=\(w.fundacja.id)", method: .get, headers: bearer(w.partnerB)))
            #expect(asked["total"] as? Int == 0)
            // Nor can B report in A's name.
            let forged = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(w.partnerB, json: true),
                                                  body: try jsonBody(body))
            #expect(forged.status == .forbidden)
            // A viewer reads approved records only (least privilege) and changes nothing.
            #expect(try await client.execute(uri: "/api/v1/activities/\(id)", method: .get, headers: bearer(w.viewer)).status == .notFound)
            let viewerPatch = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.viewer, json: true),
                                                       body: try jsonBody(["title": "x"]))
            #expect(viewerPatch.status == .forbidden)
            #expect(try await app.services.repositories.activities.record(id: Int64(id))?.title == "Festiwal Kultur")

            // Once approved, the record is public to other partners.
            _ = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.partnerA, json: true),
                                         body: try jsonBody(["status": "submitted"]))
            _ = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.coordinator, json: true),
                                         body: try jsonBody(["status": "approved"]))
            #expect(try await client.execute(uri: "/api/v1/activities/\(id)", method: .get, headers: bearer(w.partnerB)).status == .ok)
            // …but still not editable by them, nor by A once approved.
            let lateEdit = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.partnerA, json: true),
                                                    body: try jsonBody(["title": "Zmiana po zatwierdzeniu"]))
            #expect(lateEdit.status == .conflict)
        }
    }

    @Test func badInputNamesTheField() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let w = try await world(app)
            let cases: [([String: Any], String)] = [
                (["kind": "party"], "kind"), (["task": "9.9"], "task"), (["startDate": "14.06.2025"], "startDate"),
                (["district": 19], "district"), (["participants": -4], "participants"), (["amount": 10.555], "amount"),
                (["audiences": ["everyone"]], "audiences"), (["title": ""], "title"), (["evidenceUrl": "javascript:alert(1)"], "evidenceURL"),
            ]
            for (change, field) in cases {
                var body = Self.event
                body["organisationId"] = w.fundacja.id
                body.merge(change) { _, new in new }
                let response = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(w.partnerA, json: true),
                                                        body: try jsonBody(body))
                #expect(response.status == .unprocessableContent, "\(change)")
                let detail = try json(response)["detail"] as? String ?? ""
                #expect(detail.contains(field), "\(change) → \(detail)")
            }
            let broken = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(w.partnerA, json: true),
                                                  body: ByteBuffer(string: "{\"task\": "))
            #expect(broken.status == .unprocessableContent)
            let missing = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(w.partnerA, json: true),
                                                   body: try jsonBody(["organisationId": w.fundacja.id]))
            #expect(missing.status == .unprocessableContent)
            #expect(try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: "otwarty-krakow-2024-2028")) == 0)
        }
    }

    /// Amounts are answered exactly, as strings with two decimals (openapi.yaml's `Amount`); a
    /// string or, for older clients, a JSON number is read from its digits, never through a Double.
    @Test func amountsAreExactStrings() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let w = try await world(app)
            var event = Self.event
            event["organisationId"] = w.fundacja.id
            let base = String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self).dropLast()
            func create(amount: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(w.partnerA, json: true),
                                         body: ByteBuffer(string: base + ",\"amount\":\(amount)}"))
            }
            for (sent, answered) in [("\"1500.50\"", "1500.50"), ("\"1500.5\"", "1500.50"), ("\"7\"", "7.00"),
                                     ("0.07", "0.07"), ("999999999.99", "999999999.99"), ("1234567.1", "1234567.10"),
                                     ("\"1000000000.00\"", "1000000000.00"), ("1e2", "100.00")] {
                let response = try await create(amount: sent)
                #expect(response.status == .created, "\(sent)")
                #expect(try json(response)["amount"] as? String == answered, "\(sent)")
            }
            for sent in ["\"1 500,50\"", "\"1500,50\"", "\"1500.505\"", "\"1000000000.01\"", "\"-5\"", "\"1e3\"", "\"\"",
                         "1000000000.01", "-0.01", "10.555"] {
                let response = try await create(amount: sent)
                #expect(response.status == .unprocessableContent, "\(sent)")
                #expect((try json(response)["detail"] as? String ?? "").contains("amount"), "\(sent)")
            }
            let created = try json(try await create(amount: "\"12.30\""))
            let id = try #require(created["id"] as? Int)
            let cleared = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.partnerA, json: true),
                                                   body: ByteBuffer(string: "{\"amount\":null}"))
            #expect(cleared.status == .ok)
            #expect(try json(cleared)["amount"] == nil)
        }
    }

    @Test func tokensAreCheckedOnEveryRequest() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let user = try await app.signedIn(.programmeCoordinator).user
            let token = try await app.apiToken(for: user)
            #expect(try await client.execute(uri: "/api/v1/activities", method: .get, headers: bearer(token)).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/activities", method: .get).status == .unauthorized)
            let wrong = try await client.execute(uri: "/api/v1/activities", method: .get, headers: bearer("otw_" + String(repeating: "0", count: 64)))
            #expect(wrong.status == .unauthorized && wrong.headers[.wwwAuthenticate] == "Bearer")
            // A bad token is refused even on a public route rather than treated as anonymous.
            #expect(try await client.execute(uri: "/api/v1/indicators?year=2025", method: .get, headers: bearer("nonsense")).status == .unauthorized)
            try await app.services.accounts.setDisabled(true, userID: user.id, by: nil)
            #expect(try await client.execute(uri: "/api/v1/activities", method: .get, headers: bearer(token)).status == .unauthorized)
            // Session cookies do not authenticate the API.
            let cookieUser = try await app.signedIn(.administrator)
            #expect(try await client.execute(uri: "/api/v1/activities", method: .get, headers: cookieUser.cookie).status == .unauthorized)
        }
    }

    @Test func indicatorsAnswerTheDocumentedShape() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            try await app.services.repositories.references.set(
                ReferenceValue(key: "foreign-residents", year: 2025, value: 120_000, source: "test"), by: nil)
            let response = try await client.execute(uri: "/api/v1/indicators?year=2025", method: .get)
            let validator = SchemaValidator(document: try APITests.document())
            let schema = try #require(validator.responseSchema(path: "/api/v1/indicators", status: 200))
            let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
            #expect(validator.validate(body, against: schema).isEmpty, "\(validator.validate(body, against: schema))")
            let object = try #require(body as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            #expect(results.count == 4)
            #expect(results[0]["computable"] as? Bool == true && results[0]["actual"] as? Double == 0)
            #expect(results[3]["computable"] as? Bool == false)
            #expect((results[3]["reason"] as? String)?.contains("city-staff") == true)
            #expect(object["index"] is NSNull)
            #expect(try await client.execute(uri: "/api/v1/indicators", method: .get).status == .unprocessableContent)
        }
    }

    /// Found by schemathesis' stateful phase: `{"organisationId": null}` on PATCH answered 200 and
    /// kept the organisation, though openapi.yaml calls null invalid there (only optional fields
    /// may be cleared). Every field that cannot be empty now answers 422 naming it, on PATCH and POST.
    @Test func nullForAFieldThatCannotBeEmptyIsRefusedByName() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let w = try await world(app)
            var body = Self.event
            body["organisationId"] = w.fundacja.id
            let created = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(w.partnerA, json: true),
                                                   body: try jsonBody(body))
            let id = try #require(try json(created)["id"] as? Int)
            for field in ["organisationId", "task", "kind", "title", "startDate", "audiences", "languages", "notes", "status"] {
                let response = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch,
                                                        headers: bearer(w.partnerA, json: true), body: try jsonBody([field: NSNull()]))
                #expect(response.status == .unprocessableContent, "\(field)")
                #expect((try json(response)["detail"] as? String ?? "").contains(field), "\(field)")
            }
            var withNullTitle = body
            withNullTitle["title"] = NSNull()
            let post = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(w.partnerA, json: true),
                                                body: try jsonBody(withNullTitle))
            #expect(post.status == .unprocessableContent)
            #expect((try json(post)["detail"] as? String ?? "").contains("title"))
            let cleared = try await client.execute(uri: "/api/v1/activities/\(id)", method: .patch, headers: bearer(w.partnerA, json: true),
                                                   body: try jsonBody(["district": NSNull()]))
            #expect(cleared.status == .ok, "an optional field may still be cleared with null")
        }
    }

}

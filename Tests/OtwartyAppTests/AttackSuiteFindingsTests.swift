import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
import OtwartyWeb
import Testing

/// What the attack suite (.ci/attack.sh) found in no other helper's area, fixed and pinned here.
@Suite struct AttackSuiteFindingsTests {
    /// schemathesis' `unsupported_method` check: a path answers a method it lacks with 405 and
    /// `Allow`, also an unsafe one on a page path (before the CSRF step) and on the API.
    @Test func aMethodThePathLacksIs405WithAllow() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let trace = try await client.execute(uri: "/healthz", method: .trace)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET, HEAD")
            let put = try await client.execute(uri: "/open-data/2025/events.csv", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, HEAD")
            let delete = try await client.execute(uri: "/api/v1/activities/1", method: .delete)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, HEAD, PATCH")
            let patchPage = try await client.execute(uri: "/pl/login", method: .patch)
            #expect(patchPage.status == .methodNotAllowed)
            #expect(patchPage.headers[.allow] == "GET, HEAD, POST")
            // GET on a path that only takes POST: found only after the router, through the error
            // middleware inside the session (which must leave the router's "no route" alone).
            let getPostOnly = try await client.execute(uri: "/api/v1/incidents", method: .get)
            #expect(getPostOnly.status == .methodNotAllowed)
            #expect(getPostOnly.headers[.allow] == "POST")
            let getApprove = try await client.execute(uri: "/pl/activities/1/approve", method: .get)
            #expect(getApprove.status == .methodNotAllowed)
            // Paths that do not exist stay 404; so do missing objects on paths that do.
            #expect(try await client.execute(uri: "/nowhere/at/all", method: .put).status == .notFound)
            #expect(try await client.execute(uri: "/pl/nowhere", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/programme?slug=nothing", method: .get).status == .notFound)
        }
    }

    /// The open-data files promise problem JSON for their errors (openapi.yaml), like the API.
    @Test func openDataErrorsAreProblemJSON() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let missing = try await client.execute(uri: "/open-data/1/events.json", method: .get)
            #expect(missing.status.code >= 400 && missing.status.code < 500)
            #expect(missing.headers[.contentType] == "application/problem+json")
        }
    }
}

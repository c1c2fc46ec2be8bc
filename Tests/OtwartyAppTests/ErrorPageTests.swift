import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

/// Error pages keep who is signed in: the header, the menu and sign-out, never "Sign in".
@Suite struct ErrorPageTests {
    @Test func aMissingRecordShownToASignedInPersonKeepsTheirMenu() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let missing = try await client.execute(uri: "/pl/activities/999999", method: .get, headers: coordinator.cookie)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("Test programme-coordinator"), "the header names who is signed in")
            #expect(missing.text.contains("action=\"/pl/logout\""), "sign-out is offered")
            #expect(!missing.text.contains("href=\"/pl/login\""), "no sign-in link for someone signed in")

            let anonymous = try await client.execute(uri: "/pl/nowhere", method: .get)
            #expect(anonymous.status == .notFound && anonymous.text.contains("href=\"/pl/login\""))
        }
    }
}

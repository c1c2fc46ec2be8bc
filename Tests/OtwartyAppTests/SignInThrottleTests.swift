import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

/// Issue 10, item 3, through HTTP: thirty parallel wrong passwords for one account from one client.
@Suite struct SignInThrottleTests {
    @Test func thirtyParallelWrongPasswordsGetFiveUnauthorisedAndTheRestTooManyRequests() async throws {
        try await TestApp.withApp { app, client in
            _ = try await app.signedIn(.viewer, email: "target@krakow.test")
            let csrf = try await anonymousCSRF(client)
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for attempt in 0..<30 {
                    group.addTask {
                        let response = try await client.execute(
                            uri: "/en/login", method: .post,
                            headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                            body: formBody([("_csrf", csrf), ("email", "target@krakow.test"),
                                            ("password", "wrong password number \(attempt)")]))
                        return (response.status, response.headers[.retryAfter])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == .unauthorized }.count == 5)
            #expect(statuses.filter { $0.0 == .tooManyRequests }.count == 25)
            #expect(statuses.filter { $0.0 == .tooManyRequests }.allSatisfy { $0.1 == "900" })
        }
    }
}

import Foundation
import OtwartyCore
import Testing

/// A fast stand-in for bcrypt: SHA-256 of the password. Never for real passwords.
struct FakePasswordHasher: PasswordHasher {
    func hash(_ password: String) async throws -> String {
        "sha256:" + SecretToken.digest(password)
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await self.hash(password) == hash
    }
}

/// Asserts that `body` throws `DomainError.conflict`.
func expectConflict(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        try await body()
        Issue.record("expected DomainError.conflict, nothing was thrown", sourceLocation: sourceLocation)
    } catch DomainError.conflict {
    } catch {
        Issue.record("expected DomainError.conflict, got \(String(reflecting: error))", sourceLocation: sourceLocation)
    }
}

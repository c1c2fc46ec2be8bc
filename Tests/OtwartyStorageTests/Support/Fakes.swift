import Foundation
import OtwartyCore
import Testing

/// A settable clock for the repositories and AccountService; starts at a whole second so stored
/// timestamps (seconds as a double) read back equal.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) { current = start }

    var now: Date { lock.withLock { current } }
    var function: @Sendable () -> Date { { [self] in now } }
    func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

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

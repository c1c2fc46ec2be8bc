import HummingbirdBcrypt
import NIOPosix
import OtwartyCore

/// bcrypt on NIO's thread pool, so a slow hash never blocks an event loop.
public struct BcryptPasswordHasher: PasswordHasher {
    public let cost: UInt8
    public init(cost: UInt8) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

/// scrypt (incident keys) on the same NIO thread pool as bcrypt: a sign-in's 0.2 s of key
/// derivation does not occupy one of the few threads that serve requests.
public struct ThreadPoolSlowWork: SlowWork {
    public init() {}
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive { try body() }
    }
}

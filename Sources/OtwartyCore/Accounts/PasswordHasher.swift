/// Hashes passwords. Core names the interface; the bootstrap supplies bcrypt.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
}

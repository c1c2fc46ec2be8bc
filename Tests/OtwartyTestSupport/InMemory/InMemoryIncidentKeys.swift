import Foundation
import OtwartyCore

/// Handlers' key pairs and the recovery key in memory. The in-memory repositories keep no
/// incident cases (`EmptyIncidentRepository`), so there are no envelopes to hold: a write of one
/// fails the test. The keys' SQL and every case-key rule run on both engines in the storage and
/// incident-key tests.
public struct InMemoryIncidentKeyRepository: IncidentKeyRepository {
    let pairs = Locked<[UserID: HandlerKeyPair]>([:])
    let recovery = Locked<[RecoveryKey]>([])
    let pending = Locked<Set<UserID>>([])

    public init() {}

    public func handlerKey(userID: UserID) async throws -> HandlerKeyPair? { pairs.current[userID] }
    public func handlerKeys() async throws -> [HandlerKeyPair] { pairs.current.values.sorted { $0.userID < $1.userID } }
    public func saveHandlerKey(_ pair: HandlerKeyPair) async throws { pairs.withLock { $0[pair.userID] = pair } }
    public func grants(incidentID: IncidentID) async throws -> [CaseKeyGrant] { [] }
    public func saveGrants(_ grants: [CaseKeyGrant]) async throws {
        if !grants.isEmpty { throw unimplemented("IncidentKeyRepository.saveGrants") }
    }
    public func revoke(recipient: CaseKeyRecipient, incidentID: IncidentID?, by: UserID?, at: Date, because: String) async throws -> Int { 0 }
    public func envelopes(recipient: CaseKeyRecipient) async throws -> [CaseEnvelope] { [] }
    public func deleteEscrow() async throws -> Int { 0 }
    public func activeRecoveryKey() async throws -> RecoveryKey? { recovery.current.last { $0.retiredAt == nil } }
    public func addRecoveryKey(publicKey: Data, at: Date) async throws -> RecoveryKey {
        recovery.withLock { keys in
            for i in keys.indices where keys[i].retiredAt == nil { keys[i].retiredAt = at }
            let key = RecoveryKey(id: Int64(keys.count + 1), publicKey: publicKey, createdAt: at)
            keys.append(key)
            return key
        }
    }
    public func migrationPending() async throws -> Set<UserID> { pending.current }
    public func removeMigrationPending(userID: UserID) async throws { pending.withLock { _ = $0.remove(userID) } }
    public func clearMigrationPending() async throws { pending.withLock { $0.removeAll() } }
}

import Foundation

/// Who a case's content key is sealed to.
public enum CaseKeyRecipient: Hashable, Sendable, CustomStringConvertible {
    /// A handler's (or the programme coordinator's) public key.
    case user(UserID)
    /// The recovery key (`otwarty incidents recovery-key`); its private part is on paper in a safe.
    case recovery(Int64)
    /// The old server key (`incident.key`): only while cases from before per-handler keys wait
    /// for handlers who have not signed in since the upgrade, or when no reader existed yet.
    case server

    /// `user:5`, `recovery:2`, `server`: the stored form.
    public var description: String {
        switch self {
        case let .user(id): "user:\(id)"
        case let .recovery(id): "recovery:\(id)"
        case .server: "server"
        }
    }

    public init?(stored: String) {
        if stored == "server" { self = .server; return }
        let parts = stored.split(separator: ":")
        guard parts.count == 2, let id = Int64(parts[1]), id > 0 else { return nil }
        switch parts[0] {
        case "user": self = .user(id)
        case "recovery": self = .recovery(id)
        default: return nil
        }
    }
}

/// A case's content key sealed to one recipient; `envelope` nil once revoked (the row stays as
/// the case's record of who had access, and when).
public struct CaseKeyGrant: Hashable, Sendable {
    public var incidentID: IncidentID
    public var recipient: CaseKeyRecipient
    public var envelope: String?
    /// Nil when the system granted it (a new report sealed to every handler, the upgrade, the
    /// recovery command).
    public var grantedBy: UserID?
    public var grantedAt: Date
    public var revokedBy: UserID?
    public var revokedAt: Date?
    /// Why it was revoked, in the audit's words (`revoked`, `password reset`, `account disabled`).
    public var revokedBecause: String?

    public init(incidentID: IncidentID, recipient: CaseKeyRecipient, envelope: String?, grantedBy: UserID?, grantedAt: Date,
                revokedBy: UserID? = nil, revokedAt: Date? = nil, revokedBecause: String? = nil) {
        self.incidentID = incidentID
        self.recipient = recipient
        self.envelope = envelope
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
        self.revokedBy = revokedBy
        self.revokedAt = revokedAt
        self.revokedBecause = revokedBecause
    }

    public var isLive: Bool { envelope != nil }
}

/// A handler's key pair: the public key in clear, the private key wrapped under a key derived
/// from their password (`IncidentCrypto.wrap(_:password:parameters:context:)`).
public struct HandlerKeyPair: Hashable, Sendable {
    public var userID: UserID
    public var publicKey: Data
    public var wrappedPrivateKey: String
    public var createdAt: Date

    public init(userID: UserID, publicKey: Data, wrappedPrivateKey: String, createdAt: Date) {
        self.userID = userID
        self.publicKey = publicKey
        self.wrappedPrivateKey = wrappedPrivateKey
        self.createdAt = createdAt
    }
}

/// The public half of a recovery key. Only one is active; a replaced one is retired.
public struct RecoveryKey: Hashable, Sendable {
    public var id: Int64
    public var publicKey: Data
    public var createdAt: Date
    public var retiredAt: Date?

    public init(id: Int64, publicKey: Data, createdAt: Date, retiredAt: Date? = nil) {
        self.id = id
        self.publicKey = publicKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}

/// A live envelope with its case, for the commands that walk every case a key can open.
public struct CaseEnvelope: Hashable, Sendable {
    public var incidentID: IncidentID
    public var caseCode: String
    public var envelope: String

    public init(incidentID: IncidentID, caseCode: String, envelope: String) {
        self.incidentID = incidentID
        self.caseCode = caseCode
        self.envelope = envelope
    }
}

public protocol IncidentKeyRepository: Sendable {
    func handlerKey(userID: UserID) async throws -> HandlerKeyPair?
    func handlerKeys() async throws -> [HandlerKeyPair]
    /// Inserts or replaces the user's key pair.
    func saveHandlerKey(_ pair: HandlerKeyPair) async throws
    /// A case's grants, live and revoked, oldest first.
    func grants(incidentID: IncidentID) async throws -> [CaseKeyGrant]
    /// Inserts each grant, or replaces the one of the same case and recipient.
    func saveGrants(_ grants: [CaseKeyGrant]) async throws
    /// Revokes the live grant of `recipient` on `incidentID` (every case when nil): the envelope is
    /// deleted, the row kept. Returns how many were revoked.
    func revoke(recipient: CaseKeyRecipient, incidentID: IncidentID?, by: UserID?, at: Date, because: String) async throws -> Int
    /// The live envelopes sealed to `recipient`, of cases not purged.
    func envelopes(recipient: CaseKeyRecipient) async throws -> [CaseEnvelope]
    /// Deletes every server-key escrow; returns how many there were.
    func deleteEscrow() async throws -> Int
    /// The active recovery key, if one was made.
    func activeRecoveryKey() async throws -> RecoveryKey?
    /// Stores a new recovery key and retires the active one (in one transaction).
    func addRecoveryKey(publicKey: Data, at: Date) async throws -> RecoveryKey
    /// Handlers who could read cases before per-handler keys and have not signed in since: each
    /// gets the cases from the server-key escrow at their first sign-in.
    func migrationPending() async throws -> Set<UserID>
    func removeMigrationPending(userID: UserID) async throws
    func clearMigrationPending() async throws
}

import Foundation

/// Who can open which case (docs/incidents.md, "Keys"): each handler's key pair, wrapped under
/// their password and, for a session, under the session's token; each case's content key sealed
/// to its readers; granting and revoking; the recovery key; and the move from the single server
/// key of earlier versions. The server alone — database, files, configuration — holds no key
/// that opens a case: a handler's password or live session is always needed.
public struct IncidentKeyService: Sendable {
    public let keys: any IncidentKeyRepository
    public let incidents: any IncidentRepository
    public let users: any UserRepository
    public let audit: any AuditLog
    public let clock: OfficeClock
    /// The server key of earlier versions (`incident.key`): opens cases sealed before per-handler
    /// keys and the escrow kept for handlers who have not signed in since; afterwards it seals only
    /// the reporter's 10-minute receipt cookie (`ReporterReceiptSealer`).
    public let serverCipher: FieldCipher
    /// The scrypt cost of new wraps (handlers' keys) and of the reporter's key.
    public let parameters: ScryptParameters
    /// Where scrypt runs (~0.2 s of CPU and 64 MiB each): `serve` passes a thread pool apart from
    /// the request executor, as bcrypt's, so a sign-in does not hold up other requests.
    public let slowWork: any SlowWork

    public init(keys: any IncidentKeyRepository, incidents: any IncidentRepository, users: any UserRepository,
                audit: any AuditLog, clock: OfficeClock, serverCipher: FieldCipher, parameters: ScryptParameters = .standard,
                slowWork: any SlowWork = InlineSlowWork()) {
        self.slowWork = slowWork
        self.keys = keys
        self.incidents = incidents
        self.users = users
        self.audit = audit
        self.clock = clock
        self.serverCipher = serverCipher
        self.parameters = parameters
    }

    /// The roles whose accounts hold a key pair: those who may open cases.
    public static var roles: Set<Role> { IncidentService.handlers }

    static func context(_ userID: UserID) -> String { "user:\(userID)" }

    // MARK: scrypt, off the request executor

    func wrap(_ key: HandlerPrivateKey, password: String, userID: UserID) async throws -> String {
        let parameters = parameters
        return try await slowWork.run { try IncidentCrypto.wrap(key, password: password, parameters: parameters, context: Self.context(userID)) }
    }

    func unwrap(_ stored: String, password: String, userID: UserID) async throws -> HandlerPrivateKey {
        try await slowWork.run { try IncidentCrypto.unwrap(stored, password: password, context: Self.context(userID)) }
    }

    /// The reporter's key from the passphrase (`IncidentCrypto.reporterKey`), on the slow-work pool.
    public func reporterKey(passphrase: String, caseCode: String, parameters: ScryptParameters) async throws -> HandlerPrivateKey {
        try await slowWork.run { try IncidentCrypto.reporterKey(passphrase: passphrase, caseCode: caseCode, parameters: parameters) }
    }

    // MARK: Password and session

    /// At sign-in, after the password was checked: the user's private key, unwrapped with the
    /// password. A first sign-in since per-handler keys makes the key pair (and hands over what the
    /// upgrade kept for this handler). Nil for roles that do not open cases.
    public func unlock(user: User, password: String) async throws -> HandlerPrivateKey? {
        guard Self.roles.contains(user.role) else { return nil }
        // The password is right (checked before); if it does not open the key, the key was wrapped
        // under a password set outside this service (an operator's database edit) and is lost with it.
        let key: HandlerPrivateKey, pair: HandlerKeyPair
        switch try await openOrMake(user, password: password, newPassword: password, because: "key did not open with the password") {
        case let .made(made): return made
        case let .opened(opened, stored): (key, pair) = (opened, stored)
        }
        if IncidentCrypto.parameters(ofWrap: pair.wrappedPrivateKey) != parameters {
            var updated = pair
            updated.wrappedPrivateKey = try await wrap(key, password: password, userID: user.id)
            try await keys.saveHandlerKey(updated)
        }
        try await onboard(user, key: key, isNewKey: false)
        return key
    }

    /// A password set through a setup or new-password link (no old password): a new key pair.
    /// The old private key is lost with the old password, so every grant to it is revoked and the
    /// account opens nothing until a handler grants access again — an administrator who had a
    /// handler's password reset gets an account that reads no case.
    @discardableResult
    public func passwordSet(user: User, password: String) async throws -> HandlerPrivateKey? {
        guard Self.roles.contains(user.role) else { return nil }
        // A handler from before the upgrade (waiting for the escrow) whose password is reset before
        // their first sign-in has no key pair yet, but is still a reset: treated as replacing, so
        // they leave the waiting list and get no escrowed case (IncidentKeysTests, upgrade).
        let hasKey = try await keys.handlerKey(userID: user.id) != nil
        let replacing = hasKey ? true : try await keys.migrationPending().contains(user.id)
        return try await makeKey(for: user, password: password, replacing: replacing, because: "password reset")
    }

    /// The user changed their own password, giving the old one (`AccountService.changePassword`):
    /// the old password opens the private key, which is wrapped anew under the new one — the same
    /// key pair, so every grant to it stays valid. When there is no key pair yet it is made now (as
    /// at a first sign-in); when the old password does not open it (set outside this service) the
    /// key is replaced as after a reset (`passwordSet`), audited `incident-keys.replaced`. Returns
    /// the key now wrapped under the new password, for the new session.
    @discardableResult
    public func passwordChanged(user: User, oldPassword: String, newPassword: String) async throws -> HandlerPrivateKey? {
        guard Self.roles.contains(user.role) else { return nil }
        switch try await openOrMake(user, password: oldPassword, newPassword: newPassword, because: "key did not open with the old password") {
        case let .made(key): return key
        case let .opened(key, _):
            try await passwordChanged(user: user, key: key, newPassword: newPassword)
            return key
        }
    }

    enum OpenedKey {
        case opened(HandlerPrivateKey, HandlerKeyPair)
        /// A new key pair, wrapped under the new password: there was none (a first sign-in since
        /// per-handler keys), or `password` did not open the old one (replaced as after a reset).
        case made(HandlerPrivateKey)
    }

    /// The user's key pair opened with `password`, or a new one wrapped under `newPassword`.
    func openOrMake(_ user: User, password: String, newPassword: String, because reason: String) async throws -> OpenedKey {
        guard let pair = try await keys.handlerKey(userID: user.id) else {
            return .made(try await makeKey(for: user, password: newPassword, replacing: false, because: "first sign-in with keys"))
        }
        do {
            return .opened(try await unwrap(pair.wrappedPrivateKey, password: password, userID: user.id), pair)
        } catch {
            return .made(try await makeKey(for: user, password: newPassword, replacing: true, because: reason))
        }
    }

    /// The user changed their own password while signed in: the same key, wrapped anew.
    public func passwordChanged(user: User, key: HandlerPrivateKey, newPassword: String) async throws {
        guard Self.roles.contains(user.role), var pair = try await keys.handlerKey(userID: user.id),
              pair.publicKey == key.publicKey else { return }
        pair.wrappedPrivateKey = try await wrap(key, password: newPassword, userID: user.id)
        let rewrapped = pair
        // scrypt above, outside; the key and its audit entry commit together (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            try await keys.saveHandlerKey(rewrapped)
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "incident-keys.rewrapped",
                                              subject: "user:\(user.id)"))
        }
    }

    /// The user's key for this request: the session's copy, opened with the cookie's token.
    public func sessionKey(_ session: Session, token: String) -> HandlerPrivateKey? {
        guard let wrapped = session.incidentKey else { return nil }
        return try? IncidentCrypto.unwrap(wrapped, sessionToken: token)
    }

    /// The account left the roles that open cases: its grants are revoked.
    public func roleLeft(userID: UserID, by actor: UserID?) async throws {
        try await audit.atomically { [self] in
            let revoked = try await keys.revoke(recipient: .user(userID), incidentID: nil, by: actor, at: clock.now(), because: "role changed")
            try await keys.removeMigrationPending(userID: userID)
            if revoked > 0 {
                try await audit.record(AuditEntry(at: clock.now(), actorUserID: actor, action: "incident.access-revoked",
                                                  subject: "user:\(userID)", detail: "\(revoked) case(s): role changed"))
            }
        }
    }

    func makeKey(for user: User, password: String, replacing: Bool, because reason: String) async throws -> HandlerPrivateKey {
        let key = HandlerPrivateKey.generate()
        let wrapped = try await wrap(key, password: password, userID: user.id)
        let at = clock.now()
        // scrypt above, outside the transaction; the key, the grants it replaces or receives and
        // their audit entries commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            if replacing {
                let revoked = try await keys.revoke(recipient: .user(user.id), incidentID: nil, by: nil, at: at, because: reason)
                // A reset handler no longer gets what the upgrade kept for them: a handler must grant.
                try await keys.removeMigrationPending(userID: user.id)
                try await audit.record(AuditEntry(at: at, actorUserID: nil, action: "incident-keys.replaced", subject: "user:\(user.id)",
                                                  detail: "\(reason); \(revoked) grant(s) revoked"))
            } else {
                try await audit.record(AuditEntry(at: at, actorUserID: user.id, action: "incident-keys.created", subject: "user:\(user.id)"))
            }
            try await keys.saveHandlerKey(HandlerKeyPair(userID: user.id, publicKey: key.publicKey, wrappedPrivateKey: wrapped, createdAt: at))
            try await onboard(user, key: key, isNewKey: !replacing)
        }
        return key
    }

    // MARK: The move from the server key

    /// After a handler's key is available: cases still sealed with the server key are re-sealed,
    /// the handler gets what the upgrade kept for them (or, for a brand-new key, the cases nobody
    /// could read yet), and the escrow goes once nobody waits for it.
    func onboard(_ user: User, key: HandlerPrivateKey, isNewKey: Bool) async throws {
        // One unit with its audit entries (joins the caller's, `makeKey`).
        try await audit.atomically { [self] in try await onboardUnit(user, key: key, isNewKey: isNewKey) }
    }

    private func onboardUnit(_ user: User, key: HandlerPrivateKey, isNewKey: Bool) async throws {
        try await migrateLegacyCases(cipher: serverCipher)
        let pending = try await keys.migrationPending()
        let escrowed = try await keys.envelopes(recipient: .server)
        if !escrowed.isEmpty {
            let waiting = pending.contains(user.id)
            var grants: [CaseKeyGrant] = []
            for escrow in escrowed {
                if !waiting {
                    // Only cases nobody can read: none of their envelopes is a handler's.
                    guard isNewKey else { continue }
                    let readers = try await keys.grants(incidentID: escrow.incidentID)
                        .filter { if case .user = $0.recipient { return $0.isLive } else { return false } }
                    guard readers.isEmpty else { continue }
                }
                let content = try CaseContentKey.open(escrow: escrow.envelope, with: serverCipher, caseCode: escrow.caseCode)
                grants.append(CaseKeyGrant(incidentID: escrow.incidentID, recipient: .user(user.id),
                                           envelope: try content.envelope(for: key.publicKey, caseCode: escrow.caseCode),
                                           grantedBy: nil, grantedAt: clock.now()))
            }
            try await keys.saveGrants(grants)
            if !grants.isEmpty {
                try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "incident.access-granted",
                                                  subject: "user:\(user.id)",
                                                  detail: "\(grants.count) case(s) from the upgrade's escrow"))
            }
        }
        if pending.contains(user.id) { try await keys.removeMigrationPending(userID: user.id) }
        try await dropEscrowIfDone()
    }

    /// Re-seals every case still sealed with the server key under a content key of its own,
    /// sealed to every handler with a key, the recovery key and the escrow (kept until the last
    /// handler from before the upgrade signed in). Returns how many cases moved.
    @discardableResult
    public func migrateLegacyCases(cipher: FieldCipher) async throws -> Int {
        // The re-sealed cases and their audit entry commit together or not at all.
        try await audit.atomically { [self] in try await migrateLegacyCasesUnit(cipher: cipher) }
    }

    private func migrateLegacyCasesUnit(cipher: FieldCipher) async throws -> Int {
        let legacy = try await incidents.serverSealedIncidents()
        guard !legacy.isEmpty else { return 0 }
        let readers = try await readerKeys()
        for stored in legacy {
            let code = stored.caseCode
            func reseal(_ value: String?, _ field: String, _ content: CaseContentKey) throws -> String? {
                try value.map { try content.seal(try cipher.open($0, context: "\(code)/\(field)"), caseCode: code, field: field) }
            }
            let content = CaseContentKey.generate()
            var updated = stored
            updated.sealedNarrative = try reseal(stored.sealedNarrative, "narrative", content)
            updated.sealedPlace = try reseal(stored.sealedPlace, "place", content)
            updated.sealedContact = try reseal(stored.sealedContact, "contact", content)
            updated.sealedOutcome = try reseal(stored.sealedOutcome, "outcome", content)
            updated.sealing = .caseKey
            updated.casePublicKey = content.publicKey
            let events = try await incidents.events(incidentID: stored.id).map { event in
                var e = event
                e.sealedText = try reseal(event.sealedText, "event", content)
                return e
            }
            var grants = try readers.map {
                CaseKeyGrant(incidentID: stored.id, recipient: $0.recipient, envelope: try content.envelope(for: $0.publicKey, caseCode: code),
                             grantedBy: nil, grantedAt: clock.now())
            }
            grants.append(CaseKeyGrant(incidentID: stored.id, recipient: .server, envelope: try content.escrow(with: cipher, caseCode: code),
                                       grantedBy: nil, grantedAt: clock.now()))
            try await incidents.reseal(updated, events: events, grants: grants)
        }
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "incident.resealed", subject: "incidents",
                                          detail: "\(legacy.count) case(s) moved from the server key to per-case keys"))
        return legacy.count
    }

    /// Deletes the escrow once no handler from before the upgrade waits for it (disabled accounts
    /// and those that left the role do not wait), keeping only the cases nobody else can open.
    @discardableResult
    public func dropEscrowIfDone() async throws -> Int {
        try await audit.atomically { [self] in try await dropEscrowIfDoneUnit() }
    }

    private func dropEscrowIfDoneUnit() async throws -> Int {
        let pending = try await keys.migrationPending()
        var waiting = false
        for id in pending {
            if let user = try await users.user(id: id), Self.roles.contains(user.role), !user.isDisabled, user.passwordHash != nil {
                waiting = true
                break
            }
        }
        guard !waiting else { return 0 }
        if !pending.isEmpty { try await keys.clearMigrationPending() }
        let dropped = try await keys.deleteEscrow()
        if dropped > 0 {
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "incident.escrow-dropped", subject: "incidents",
                                              detail: "\(dropped) case key(s) no longer sealed with the server key"))
        }
        return dropped
    }

    /// What `serve` says about the server key at start.
    public enum ServerKeyUse: Equatable, Sendable {
        /// Cases are still sealed with it, or their keys escrowed under it (how many).
        case needed(cases: Int)
        /// No case text or case key is sealed with it any more: it now seals only the reporter's
        /// 10-minute receipt cookie.
        case notNeeded
    }

    public func serverKeyUse() async throws -> ServerKeyUse {
        let legacy = try await incidents.serverSealedIncidents().count
        let escrowed = try await keys.envelopes(recipient: .server).count
        return legacy + escrowed == 0 ? .notNeeded : .needed(cases: legacy + escrowed)
    }

    // MARK: Readers of new cases

    struct Reader {
        var recipient: CaseKeyRecipient
        var publicKey: Data
    }

    /// Every enabled handler with a key pair, and the recovery key.
    func readerKeys() async throws -> [Reader] {
        var readers: [Reader] = []
        for pair in try await keys.handlerKeys() {
            guard let user = try await users.user(id: pair.userID), Self.roles.contains(user.role), !user.isDisabled else { continue }
            readers.append(Reader(recipient: .user(pair.userID), publicKey: pair.publicKey))
        }
        if let recovery = try await keys.activeRecoveryKey() {
            readers.append(Reader(recipient: .recovery(recovery.id), publicKey: recovery.publicKey))
        }
        return readers
    }

    /// The envelopes of a new case's content key: every active handler and the recovery key; and
    /// the escrow while handlers from before the upgrade have not signed in, or when no handler
    /// has a key yet (a new installation), so the report is not lost to everyone.
    func envelopesForNewCase(_ content: CaseContentKey, caseCode: String) async throws -> [CaseKeyGrant] {
        let at = clock.now()
        let readers = try await readerKeys()
        var grants = try readers.map {
            CaseKeyGrant(incidentID: 0, recipient: $0.recipient, envelope: try content.envelope(for: $0.publicKey, caseCode: caseCode),
                         grantedBy: nil, grantedAt: at)
        }
        let noHandler = !readers.contains { if case .user = $0.recipient { true } else { false } }
        let waiting = try await keys.migrationPending()
        if noHandler || !waiting.isEmpty {
            grants.append(CaseKeyGrant(incidentID: 0, recipient: .server, envelope: try content.escrow(with: serverCipher, caseCode: caseCode),
                                       grantedBy: nil, grantedAt: at))
        }
        return grants
    }

    // MARK: Opening a case

    /// The case's content key for this handler, or why there is none.
    public func contentKey(for stored: StoredIncident, user: User, key: HandlerPrivateKey?) async throws -> Result<CaseContentKey, CaseAccess.Locked> {
        guard stored.sealing == .caseKey else { return .failure(.notGranted) }
        guard let key else { return .failure(.signInAgain) }
        guard let grant = try await keys.grants(incidentID: stored.id).first(where: { $0.recipient == .user(user.id) }),
              let envelope = grant.envelope else { return .failure(.notGranted) }
        guard let content = try? CaseContentKey.open(envelope: envelope, with: key, caseCode: stored.caseCode) else {
            return .failure(.notGranted)
        }
        return .success(content)
    }

    /// Seals the content key to the active recovery key when the case lacks it (cases reported
    /// before the recovery key was made are covered the next time a handler opens them).
    func completeRecoveryEnvelope(_ stored: StoredIncident, content: CaseContentKey) async throws {
        guard let recovery = try await keys.activeRecoveryKey() else { return }
        let grants = try await keys.grants(incidentID: stored.id)
        guard !grants.contains(where: { $0.recipient == .recovery(recovery.id) && $0.isLive }) else { return }
        try await keys.saveGrants([CaseKeyGrant(incidentID: stored.id, recipient: .recovery(recovery.id),
                                                envelope: try content.envelope(for: recovery.publicKey, caseCode: stored.caseCode),
                                                grantedBy: nil, grantedAt: clock.now())])
    }

    // MARK: Granting

    /// Who holds or held access to a case, and who could be granted it.
    public struct AccessList: Sendable, Hashable {
        public var grants: [CaseKeyGrant]
        /// Handlers with a key pair and no live grant: the ones a reader may grant.
        public var grantable: [User]
        /// Handlers without a key pair yet (never signed in since keys exist): cannot be granted.
        public var withoutKeys: [User]
    }

    public func accessList(incidentID: IncidentID) async throws -> AccessList {
        let grants = try await keys.grants(incidentID: incidentID)
        let live = Set(grants.filter(\.isLive).map(\.recipient))
        let withKeys = Set(try await keys.handlerKeys().map(\.userID))
        var grantable: [User] = [], withoutKeys: [User] = []
        for user in try await users.all() where Self.roles.contains(user.role) && !user.isDisabled {
            if live.contains(.user(user.id)) { continue }
            if withKeys.contains(user.id) { grantable.append(user) } else { withoutKeys.append(user) }
        }
        return AccessList(grants: grants, grantable: grantable, withoutKeys: withoutKeys)
    }

    /// A reader of case `incidentID` seals its content key to `target`'s public key.
    public func grant(incidentID: IncidentID, to targetID: UserID, by user: User, key: HandlerPrivateKey?) async throws {
        guard IncidentService.handlers.contains(user.role), !user.isDisabled,
              let stored = try await incidents.incident(id: incidentID) else { throw DomainError.notFound("Case") }
        guard stored.purgedOn == nil else { throw DomainError.conflict("the case's details were removed under the retention rule") }
        guard let target = try await users.user(id: targetID), Self.roles.contains(target.role), !target.isDisabled else {
            throw DomainError.invalid([FieldError(field: "user", messageKey: "error.incident.grant-user", message: "choose a handler")])
        }
        guard let pair = try await keys.handlerKey(userID: targetID) else {
            // The form lists only handlers with a key; a stale page or a hand-made post names the field.
            throw DomainError.invalid([FieldError(field: "user", messageKey: "error.incident.grant-no-key",
                                                  message: "\(target.displayName) has no key yet: they must sign in once first")])
        }
        let content: CaseContentKey
        switch try await contentKey(for: stored, user: user, key: key) {
        case let .success(value): content = value
        case .failure: throw DomainError.forbidden("Only a handler who can read the case can grant access to it.")
        }
        let grant = CaseKeyGrant(incidentID: incidentID, recipient: .user(targetID),
                                 envelope: try content.envelope(for: pair.publicKey, caseCode: stored.caseCode),
                                 grantedBy: user.id, grantedAt: clock.now())
        // The grant and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            try await keys.saveGrants([grant])
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "incident.access-granted",
                                              subject: "incident:\(stored.caseCode)", detail: "user:\(targetID)"))
        }
    }

    /// Deletes `target`'s envelope of the case. The content key never leaves the server, so a
    /// revoked handler holds no copy of it; what they read before stays read.
    public func revoke(incidentID: IncidentID, from targetID: UserID, by user: User, key: HandlerPrivateKey?) async throws {
        guard IncidentService.handlers.contains(user.role), !user.isDisabled,
              let stored = try await incidents.incident(id: incidentID) else { throw DomainError.notFound("Case") }
        guard case .success = try await contentKey(for: stored, user: user, key: key) else {
            throw DomainError.forbidden("Only a handler who can read the case can change who reads it.")
        }
        let readers = try await keys.grants(incidentID: incidentID).filter {
            if case .user = $0.recipient { return $0.isLive } else { return false }
        }
        guard readers.contains(where: { $0.recipient == .user(targetID) }) else {
            throw DomainError.invalid([FieldError(field: "user", messageKey: "error.incident.revoke-user",
                                                  message: "this person holds no access to the case")])
        }
        guard readers.count > 1 else {
            throw DomainError.conflict("the last handler who can read the case cannot lose access: grant someone else first")
        }
        try await audit.atomically { [self] in
            _ = try await keys.revoke(recipient: .user(targetID), incidentID: incidentID, by: user.id, at: clock.now(), because: "revoked")
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "incident.access-revoked",
                                              subject: "incident:\(stored.caseCode)", detail: "user:\(targetID)"))
        }
    }

    // MARK: The recovery key

    /// Makes a recovery key and returns its private part (to print once). Replacing an active one
    /// needs the old private part: every case it opens is sealed to the new one. When the old one
    /// is lost (`oldIsLost`), its envelopes are deleted instead (whoever finds it opens nothing
    /// stored after that) and the new key covers each case the next time a handler opens it.
    public func makeRecoveryKey(replacing old: HandlerPrivateKey?, oldIsLost: Bool = false) async throws
        -> (key: HandlerPrivateKey, covered: Int, uncovered: Int) {
        // The new key, its envelopes, the old key's end and the audit entry commit together or not at all.
        let made = try await audit.atomically { [self] in
            let result = try await makeRecoveryKeyUnit(replacing: old, oldIsLost: oldIsLost)
            return RecoveryKeyMade(key: result.key, covered: result.covered, uncovered: result.uncovered)
        }
        return (made.key, made.covered, made.uncovered)
    }

    private struct RecoveryKeyMade: Sendable {
        var key: HandlerPrivateKey
        var covered: Int
        var uncovered: Int
    }

    private func makeRecoveryKeyUnit(replacing old: HandlerPrivateKey?, oldIsLost: Bool) async throws
        -> (key: HandlerPrivateKey, covered: Int, uncovered: Int) {
        let current = try await keys.activeRecoveryKey()
        if let current, !oldIsLost {
            guard let old, old.publicKey == current.publicKey else {
                throw DomainError.conflict("a recovery key exists: give its private part to replace it (--replace, on standard input)")
            }
        }
        let key = HandlerPrivateKey.generate()
        var envelopes: [CaseEnvelope] = []
        if let current, !oldIsLost { envelopes = try await keys.envelopes(recipient: .recovery(current.id)) }
        let stored = try await keys.addRecoveryKey(publicKey: key.publicKey, at: clock.now())
        var grants: [CaseKeyGrant] = []
        if let old, !oldIsLost {
            for envelope in envelopes {
                let content = try CaseContentKey.open(envelope: envelope.envelope, with: old, caseCode: envelope.caseCode)
                grants.append(CaseKeyGrant(incidentID: envelope.incidentID, recipient: .recovery(stored.id),
                                           envelope: try content.envelope(for: key.publicKey, caseCode: envelope.caseCode),
                                           grantedBy: nil, grantedAt: clock.now()))
            }
        }
        try await keys.saveGrants(grants)
        if let current {
            _ = try await keys.revoke(recipient: .recovery(current.id), incidentID: nil, by: nil, at: clock.now(),
                                      because: oldIsLost ? "lost" : "replaced")
        }
        let all = try await incidents.list(statuses: [], limit: Int.max / 2, offset: 0).filter { $0.purgedOn == nil }.count
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "incident.recovery-key",
                                          subject: "recovery:\(stored.id)",
                                          detail: current.map { "replaced recovery:\($0.id)\(oldIsLost ? " (lost)" : "")" } ?? "created"))
        return (key, grants.count, max(0, all - grants.count))
    }

    /// After the last handler left: every case the recovery key opens is granted to `target`.
    public func recover(with key: HandlerPrivateKey, to targetID: UserID) async throws -> Int {
        guard let current = try await keys.activeRecoveryKey(), current.publicKey == key.publicKey else {
            throw DomainError.forbidden("This is not the active recovery key.")
        }
        guard let target = try await users.user(id: targetID), Self.roles.contains(target.role), !target.isDisabled else {
            throw DomainError.conflict("the account must be an enabled incident handler or programme coordinator")
        }
        guard let pair = try await keys.handlerKey(userID: targetID) else {
            throw DomainError.conflict("\(target.email) has no key yet: they must sign in once first")
        }
        var grants: [CaseKeyGrant] = []
        for envelope in try await keys.envelopes(recipient: .recovery(current.id)) {
            let content = try CaseContentKey.open(envelope: envelope.envelope, with: key, caseCode: envelope.caseCode)
            grants.append(CaseKeyGrant(incidentID: envelope.incidentID, recipient: .user(targetID),
                                       envelope: try content.envelope(for: pair.publicKey, caseCode: envelope.caseCode),
                                       grantedBy: nil, grantedAt: clock.now()))
        }
        let made = grants
        try await audit.atomically { [self] in
            try await keys.saveGrants(made)
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "incident.recovered", subject: "user:\(targetID)",
                                              detail: "\(made.count) case(s) granted with recovery:\(current.id)"))
        }
        return made.count
    }
}

/// Whether the handler reading a case holds its key.
public enum CaseAccess: Hashable, Sendable {
    case readable
    case locked(Locked)

    public enum Locked: Error, Hashable, Sendable {
        /// No live grant to this handler's key: a reader must grant access.
        case notGranted
        /// The session holds no key (it began before per-handler keys, or the key did not open):
        /// signing in again unlocks it.
        case signInAgain
    }
}

/// What account changes tell the keeper of incident keys (`IncidentKeyService`): the password
/// at sign-in unlocks a handler's key; a password set without the old one makes a new key that
/// opens nothing until granted; leaving the handler roles revokes every grant.
public protocol HandlerKeyCustody: Sendable {
    func unlock(user: User, password: String) async throws -> HandlerPrivateKey?
    @discardableResult
    func passwordSet(user: User, password: String) async throws -> HandlerPrivateKey?
    /// A password changed with the old one given: the same key, wrapped under the new password.
    @discardableResult
    func passwordChanged(user: User, oldPassword: String, newPassword: String) async throws -> HandlerPrivateKey?
    func roleLeft(userID: UserID, by actor: UserID?) async throws
    /// The account was disabled: its grants are revoked, so a dismissed handler's password opens
    /// nothing even with a later copy of the database; enabling it again restores no access.
    func accountDisabled(userID: UserID, by actor: UserID?) async throws
}

extension IncidentKeyService: HandlerKeyCustody {}

/// Runs CPU-heavy work (scrypt) somewhere that does not hold up request handling: `serve` gives a
/// thread pool (the one bcrypt uses); tests and commands may run it in place.
public protocol SlowWork: Sendable {
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T
}

/// Runs the work in place, on the caller's task.
public struct InlineSlowWork: SlowWork {
    public init() {}
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T { try body() }
}

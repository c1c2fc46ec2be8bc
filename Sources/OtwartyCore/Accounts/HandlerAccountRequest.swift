import Foundation

/// A change to an incident-handler account, which needs two people (issue 10, item 7): whoever
/// controls a handler's password can open incident cases, so one administrator alone must not be
/// able to create a handler, issue a handler a new-password link, or move someone into or out of
/// the role. An administrator proposes and the programme coordinator approves, or the other way
/// round; the one-time link exists only after the approval and is shown once, to the approver.
/// Every decided request is shown to every incident handler at their next sign-in.
public struct HandlerAccountRequest: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Create an incident-handler account and its invitation link.
        case invitation
        /// A new-password link for an existing incident handler.
        case newPassword = "new-password"
        /// Into or out of the incident-handler role.
        case roleChange = "role-change"
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        case pending, approved, rejected
    }

    public var id: Int64
    public var kind: Kind
    /// The account concerned; for an invitation, set when it is approved.
    public var userID: UserID?
    public var email: String
    public var displayName: String
    /// The role the account has after the change (incident-handler except for a move out of it).
    public var role: Role
    /// For a role change: the role before.
    public var previousRole: Role?
    /// nil: the operator on the command line (`otwarty user create`), recorded as already decided.
    public var requestedBy: UserID?
    public var requestedAt: Date
    public var state: State
    public var decidedBy: UserID?
    public var decidedAt: Date?

    public init(id: Int64, kind: Kind, userID: UserID?, email: String, displayName: String, role: Role, previousRole: Role?,
                requestedBy: UserID?, requestedAt: Date, state: State, decidedBy: UserID?, decidedAt: Date?) {
        self.id = id
        self.kind = kind
        self.userID = userID
        self.email = email
        self.displayName = displayName
        self.role = role
        self.previousRole = previousRole
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.state = state
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }

    /// The two roles that must act together; the approver holds the one the proposer does not.
    public static let deciders: Set<Role> = [.administrator, .programmeCoordinator]
    /// Accounts under the rule: incident handlers, and programme coordinators too — otherwise an
    /// administrator could make a coordinator account of their own and approve with it. Only the
    /// very first coordinator account may be made by an administrator alone.
    public static let guardedRoles: Set<Role> = [.incidentHandler, .programmeCoordinator]
}

public protocol HandlerAccountRequestRepository: Sendable {
    /// Stores a request (its `id` is ignored) and returns it with its id.
    func create(_ request: HandlerAccountRequest) async throws -> HandlerAccountRequest
    func request(id: Int64) async throws -> HandlerAccountRequest?
    /// Pending requests, oldest first.
    func pending() async throws -> [HandlerAccountRequest]
    /// Decided requests, newest first.
    func decided(limit: Int) async throws -> [HandlerAccountRequest]
    /// Decided after `since`, oldest first: what a handler has not seen yet.
    func decided(after since: Date) async throws -> [HandlerAccountRequest]
    /// Marks a pending request decided in one conditional UPDATE; false when it was no longer
    /// pending (another session decided first).
    func decide(id: Int64, state: HandlerAccountRequest.State, by: UserID, at: Date) async throws -> Bool
    /// Records the account an approved invitation created.
    func setUser(id: Int64, userID: UserID) async throws
    /// When the handler last acknowledged the list of changes.
    func acknowledgedAt(userID: UserID) async throws -> Date?
    func acknowledge(userID: UserID, at: Date) async throws
}

/// The two-person rule for incident-handler accounts, over the account service.
public struct HandlerAccountService: Sendable {
    public let accounts: AccountService
    public let requests: any HandlerAccountRequestRepository

    public init(accounts: AccountService, requests: any HandlerAccountRequestRepository) {
        self.accounts = accounts
        self.requests = requests
    }

    var users: any UserRepository { accounts.repositories.users }

    // MARK: Proposing

    public func proposeInvitation(email: String, displayName: String, role: Role = .incidentHandler,
                                  by proposer: User) async throws -> HandlerAccountRequest {
        try requireDecider(proposer)
        guard HandlerAccountRequest.guardedRoles.contains(role) else {
            throw DomainError.invalid([FieldError(field: "role", messageKey: "error.role.invalid",
                                                  message: "only incident-handler and programme-coordinator invitations need two people")])
        }
        var errors: [FieldError] = []
        let normalised = EmailAddress.normalised(email)
        if normalised == nil { errors.append(AccountService.invalidEmail) }
        let name = displayName.trimmingWhitespace()
        if name.isEmpty || name.count > 120 { errors.append(AccountService.invalidName) }
        guard errors.isEmpty, let normalised else { throw DomainError.invalid(errors) }
        if try await users.user(email: normalised) != nil {
            throw DomainError.conflict("The e-mail address \(normalised) is already in use.")
        }
        return try await store(.invitation, userID: nil, email: normalised, displayName: name, role: role,
                               previousRole: nil, by: proposer)
    }

    public func proposeNewPassword(userID: UserID, by proposer: User) async throws -> HandlerAccountRequest {
        try requireDecider(proposer)
        guard let user = try await users.user(id: userID) else { throw DomainError.notFound("User \(userID)") }
        guard HandlerAccountRequest.guardedRoles.contains(user.role) else {
            throw DomainError.conflict("Only incident-handler and programme-coordinator accounts need two people for a new-password link.")
        }
        if user.isDisabled { throw DomainError.conflict("Enable the account before issuing a link.") }
        return try await store(.newPassword, userID: user.id, email: user.email, displayName: user.displayName,
                               role: user.role, previousRole: nil, by: proposer)
    }

    public func proposeRoleChange(userID: UserID, to role: Role, by proposer: User) async throws -> HandlerAccountRequest {
        try requireDecider(proposer)
        guard let user = try await users.user(id: userID) else { throw DomainError.notFound("User \(userID)") }
        guard user.role != role else { throw DomainError.conflict("The account already has the role \(role.rawValue).") }
        guard HandlerAccountRequest.guardedRoles.contains(user.role) || HandlerAccountRequest.guardedRoles.contains(role) else {
            throw DomainError.conflict("Only a change into or out of the incident-handler or programme-coordinator role is handled here.")
        }
        if role.requiresOrganisation, user.organisationID == nil {
            throw DomainError.invalid([FieldError(field: "role", messageKey: "error.organisation.required",
                                                  message: "a \(role.rawValue) must belong to an existing organisation")])
        }
        if user.id == proposer.id { throw DomainError.forbidden("Nobody proposes a change of their own role.") }
        return try await store(.roleChange, userID: user.id, email: user.email, displayName: user.displayName,
                               role: role, previousRole: user.role, by: proposer)
    }

    // MARK: Deciding

    public enum Outcome: Sendable, Equatable {
        /// Approved; for an invitation or a new password, the one-time link token to pass on (shown once).
        case approved(HandlerAccountRequest, linkToken: String?)
        case rejected(HandlerAccountRequest)
    }

    /// Whether `user` may decide `request`: a decider of the other role than the proposer, and not the proposer.
    public func mayDecide(_ request: HandlerAccountRequest, user: User) async throws -> Bool {
        guard request.state == .pending, Self.isDecider(user), request.requestedBy != user.id,
              let proposerID = request.requestedBy, let proposer = try await users.user(id: proposerID)
        else { return false }
        return proposer.role != user.role
    }

    public func approve(id: Int64, by approver: User) async throws -> Outcome {
        let request = try await decidable(id: id, by: approver)
        // Re-checked now, not only at proposal time.
        switch request.kind {
        case .invitation:
            if try await users.user(email: request.email) != nil {
                throw DomainError.conflict("The e-mail address \(request.email) is already in use.")
            }
        case .newPassword:
            guard let userID = request.userID, let user = try await users.user(id: userID), user.role == request.role,
                  !user.isDisabled
            else { throw DomainError.conflict("The account's role or state changed since the request was made.") }
        case .roleChange:
            guard let userID = request.userID, let user = try await users.user(id: userID), user.role == request.previousRole
            else { throw DomainError.conflict("The account's role changed since the request was made.") }
        }
        // The decision, what it does (the account, the link, the role) and the audit entries commit
        // together or not at all (`AuditLog.atomically`): no approved request without its account.
        return try await accounts.repositories.audit.atomically { [self] in
            var decided = try await record(request, as: .approved, by: approver.id)
            var token: String?
            switch request.kind {
            case .invitation:
                let (user, link) = try await accounts.invite(email: request.email, displayName: request.displayName,
                                                             role: request.role, organisationID: nil, by: approver.id,
                                                             approvedRequest: id)
                try await requests.setUser(id: id, userID: user.id)
                decided.userID = user.id
                token = link
            case .newPassword:
                guard let userID = request.userID, let user = try await users.user(id: userID) else {
                    throw DomainError.conflict("The account no longer exists.")
                }
                token = try await accounts.makeInvitationToken(for: user)
            case .roleChange:
                guard let userID = request.userID else { throw DomainError.conflict("The account no longer exists.") }
                try await accounts.changeRole(userID: userID, to: request.role, approvedRequest: id, by: approver.id)
            }
            try await accounts.audit(actor: approver.id, "handler-account.approved", subject: subject(decided),
                                     detail: detail(decided))
            return .approved(decided, linkToken: token)
        }
    }

    /// The decision as one conditional UPDATE (two sessions cannot both decide), and the request as decided.
    private func record(_ request: HandlerAccountRequest, as state: HandlerAccountRequest.State,
                        by decider: UserID) async throws -> HandlerAccountRequest {
        let at = accounts.clock.now()
        guard try await requests.decide(id: request.id, state: state, by: decider, at: at) else {
            throw DomainError.conflict("This request was already decided.")
        }
        var decided = request
        decided.state = state
        decided.decidedBy = decider
        decided.decidedAt = at
        return decided
    }

    public func reject(id: Int64, by decider: User) async throws -> Outcome {
        let request = try await requireRequest(id)
        // The proposer may withdraw their own request; otherwise the same rule as approving.
        if request.requestedBy != decider.id { _ = try await decidable(id: id, by: decider) }
        guard request.state == .pending else { throw DomainError.conflict("This request was already decided.") }
        return try await accounts.repositories.audit.atomically { [self] in
            let decided = try await record(request, as: .rejected, by: decider.id)
            try await accounts.audit(actor: decider.id, "handler-account.rejected", subject: subject(decided), detail: detail(decided))
            return .rejected(decided)
        }
    }

    // MARK: What handlers are shown

    /// Decided changes to incident-handler accounts the handler has not acknowledged yet
    /// (since their last acknowledgement, or since their account was made).
    public func unacknowledged(for user: User) async throws -> [HandlerAccountRequest] {
        guard user.role == .incidentHandler else { return [] }
        let since = try await requests.acknowledgedAt(userID: user.id) ?? user.createdAt
        return try await requests.decided(after: since)
    }

    public func acknowledge(_ user: User) async throws {
        guard user.role == .incidentHandler else { throw DomainError.forbidden("Only incident handlers acknowledge this list.") }
        try await accounts.repositories.audit.atomically { [self] in
            try await requests.acknowledge(userID: user.id, at: accounts.clock.now())
            try await accounts.audit(actor: user.id, "handler-account.acknowledged", subject: "user:\(user.id)")
        }
    }

    // MARK: Helpers

    static func isDecider(_ user: User) -> Bool { HandlerAccountRequest.deciders.contains(user.role) && !user.isDisabled }

    func requireDecider(_ user: User) throws {
        guard Self.isDecider(user) else {
            throw DomainError.forbidden("Only an administrator or the programme coordinator proposes incident-handler account changes.")
        }
    }

    func requireRequest(_ id: Int64) async throws -> HandlerAccountRequest {
        guard let request = try await requests.request(id: id) else { throw DomainError.notFound("Request \(id)") }
        return request
    }

    func decidable(id: Int64, by user: User) async throws -> HandlerAccountRequest {
        let request = try await requireRequest(id)
        guard request.state == .pending else { throw DomainError.conflict("This request was already decided.") }
        try requireDecider(user)
        if request.requestedBy == user.id {
            throw DomainError.forbidden("A second person must approve: you made this request.")
        }
        guard try await mayDecide(request, user: user) else {
            throw DomainError.forbidden("An administrator and the programme coordinator must act together: the approver holds the other role.")
        }
        return request
    }

    func store(_ kind: HandlerAccountRequest.Kind, userID: UserID?, email: String, displayName: String, role: Role,
               previousRole: Role?, by proposer: User) async throws -> HandlerAccountRequest {
        let new = HandlerAccountRequest(
            id: 0, kind: kind, userID: userID, email: email, displayName: displayName, role: role, previousRole: previousRole,
            requestedBy: proposer.id, requestedAt: accounts.clock.now(), state: .pending, decidedBy: nil, decidedAt: nil)
        return try await accounts.repositories.audit.atomically { [self] in
            let request = try await requests.create(new)
            try await accounts.audit(actor: proposer.id, "handler-account.proposed", subject: subject(request), detail: detail(request))
            return request
        }
    }

    func subject(_ request: HandlerAccountRequest) -> String {
        request.userID.map { "user:\($0)" } ?? "handler-account-request:\(request.id)"
    }

    func detail(_ request: HandlerAccountRequest) -> String {
        var text = "request=\(request.id) kind=\(request.kind.rawValue) role=\(request.role.rawValue)"
        if let previous = request.previousRole { text += " from=\(previous.rawValue)" }
        return text
    }
}

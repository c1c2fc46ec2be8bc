import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import Testing

/// Issue 10, item 7: an administrator alone cannot get a password link for an incident handler;
/// the programme coordinator and an administrator together can, in two sessions; handlers see
/// every such change.
@Suite struct HandlerAccountStorageTests {
    static let password = "zielony rower nad Wisłą"

    struct People {
        let accounts: AccountService
        let handlers: HandlerAccountService
        let clock: TestClock
        let admin: User
        let secondAdmin: User
        let coordinator: User
        let handler: User
    }

    static func people(_ database: Database) async throws -> People {
        let clock = TestClock()
        let accounts = AccountService(repositories: .sql(database, clock: clock.office), hasher: FakePasswordHasher(),
                                      passwordPolicy: PasswordPolicy(commonPasswords: []), clock: clock.office)
        func make(_ email: String, _ role: Role) async throws -> User {
            try await accounts.createUser(email: email, displayName: email, role: role, organisationID: nil, password: password)
        }
        let admin = try await make("admin@example.org", .administrator)
        let secondAdmin = try await make("admin2@example.org", .administrator)
        let coordinator = try await make("koordynatorka@example.org", .programmeCoordinator)
        let handler = try await make("handler@example.org", .incidentHandler)
        clock.advance(by: 60)
        return People(accounts: accounts, handlers: HandlerAccountService(accounts: accounts,
                                                                          requests: accounts.repositories.handlerAccountRequests),
                      clock: clock, admin: admin, secondAdmin: secondAdmin, coordinator: coordinator, handler: handler)
    }

    static func expectForbidden(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("expected DomainError.forbidden, nothing was thrown", sourceLocation: sourceLocation)
        } catch DomainError.forbidden {
        } catch {
            Issue.record("expected DomainError.forbidden, got \(String(reflecting: error))", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func anAdministratorAloneGetsNoLinkForAHandler(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let p = try await Self.people(database)
            // Directly: neither an invitation nor a new-password link.
            await Self.expectForbidden {
                _ = try await p.accounts.invite(email: "mine@example.org", displayName: "Mine", role: .incidentHandler,
                                                organisationID: nil, by: p.admin.id)
            }
            await Self.expectForbidden { _ = try await p.accounts.issueInvitation(for: p.handler) }
            await Self.expectForbidden { _ = try await p.accounts.issuePasswordLink(userID: p.handler.id, by: p.admin.id) }
            #expect(try await p.accounts.repositories.users.user(email: "mine@example.org") == nil)

            // Through a request: not by themselves, not with a second administrator.
            let invitation = try await p.handlers.proposeInvitation(email: "mine@example.org", displayName: "Mine", by: p.admin)
            let reset = try await p.handlers.proposeNewPassword(userID: p.handler.id, by: p.admin)
            for request in [invitation, reset] {
                #expect(request.state == .pending)
                await Self.expectForbidden { _ = try await p.handlers.approve(id: request.id, by: p.admin) }
                await Self.expectForbidden { _ = try await p.handlers.approve(id: request.id, by: p.secondAdmin) }
                await Self.expectForbidden { _ = try await p.handlers.approve(id: request.id, by: p.handler) }
                #expect(try await p.handlers.mayDecide(request, user: p.admin) == false)
                #expect(try await p.handlers.mayDecide(request, user: p.coordinator))
            }
            #expect(try await p.accounts.repositories.users.user(email: "mine@example.org") == nil)
            // A non-handler still gets a link from one administrator.
            let viewer = try await p.accounts.createUser(email: "v@example.org", displayName: "V", role: .viewer,
                                                         organisationID: nil, password: Self.password)
            _ = try await p.accounts.issuePasswordLink(userID: viewer.id, by: p.admin.id)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func theCoordinatorAndAnAdministratorTogetherCan(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let p = try await Self.people(database)
            // Administrator proposes an invitation, the coordinator approves and gets the link.
            let invitation = try await p.handlers.proposeInvitation(email: " New.Handler@Example.org ", displayName: "Nowa", by: p.admin)
            p.clock.advance(by: 5)
            guard case let .approved(approved, token?) = try await p.handlers.approve(id: invitation.id, by: p.coordinator) else {
                Issue.record("expected an approved invitation with a link")
                return
            }
            let created = try #require(try await p.accounts.invitedUser(token: token))
            #expect(created.email == "new.handler@example.org" && created.role == .incidentHandler)
            #expect(approved.userID == created.id && approved.decidedBy == p.coordinator.id)
            // Decided once: a second approval (another session, or the same) is refused.
            await expectConflict { _ = try await p.handlers.approve(id: invitation.id, by: p.coordinator) }

            // The coordinator proposes a reset, an administrator approves.
            let reset = try await p.handlers.proposeNewPassword(userID: p.handler.id, by: p.coordinator)
            await Self.expectForbidden { _ = try await p.handlers.approve(id: reset.id, by: p.coordinator) }
            guard case let .approved(_, resetToken?) = try await p.handlers.approve(id: reset.id, by: p.secondAdmin) else {
                Issue.record("expected a reset link")
                return
            }
            #expect(try await p.accounts.invitedUser(token: resetToken)?.id == p.handler.id)

            // A move into the role, and a rejected request that changes nothing.
            let viewer = try await p.accounts.createUser(email: "v@example.org", displayName: "V", role: .viewer,
                                                         organisationID: nil, password: Self.password)
            let session = try await p.accounts.startSession(for: viewer)
            let move = try await p.handlers.proposeRoleChange(userID: viewer.id, to: .incidentHandler, by: p.admin)
            let rejected = try await p.handlers.proposeRoleChange(userID: p.handler.id, to: .viewer, by: p.coordinator)
            _ = try await p.handlers.approve(id: move.id, by: p.coordinator)
            #expect(try await p.accounts.repositories.users.user(id: viewer.id)?.role == .incidentHandler)
            #expect(try await p.accounts.resolveSession(token: session) == nil, "the old role's session ended")
            _ = try await p.handlers.reject(id: rejected.id, by: p.admin)
            #expect(try await p.accounts.repositories.users.user(id: p.handler.id)?.role == .incidentHandler)
            // Changes outside the handler role are not this service's.
            await expectConflict { _ = try await p.handlers.proposeRoleChange(userID: p.admin.id, to: .viewer, by: p.coordinator) }

            // All in the audit trail.
            let actions = try await p.accounts.repositories.audit.entries(subject: nil, limit: 100).map(\.action)
            #expect(actions.filter { $0 == "handler-account.proposed" }.count == 4)
            #expect(actions.filter { $0 == "handler-account.approved" }.count == 3)
            #expect(actions.filter { $0 == "handler-account.rejected" }.count == 1)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func coordinatorAccountsAreUnderTheSameRuleExceptTheVeryFirst(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = AccountService(repositories: .sql(database, clock: clock.office), hasher: FakePasswordHasher(),
                                          passwordPolicy: PasswordPolicy(commonPasswords: []), clock: clock.office)
            let handlers = HandlerAccountService(accounts: accounts, requests: accounts.repositories.handlerAccountRequests)
            let admin = try await accounts.createUser(email: "admin@example.org", displayName: "A", role: .administrator,
                                                      organisationID: nil, password: Self.password)
            let handler = try await accounts.createUser(email: "h@example.org", displayName: "H", role: .incidentHandler,
                                                        organisationID: nil, password: Self.password)
            clock.advance(by: 10)
            // No coordinator yet: the administrator makes the first one alone; handlers are told.
            let (first, _) = try await accounts.invite(email: "k1@example.org", displayName: "K1", role: .programmeCoordinator,
                                                       organisationID: nil, by: admin.id)
            #expect(try await handlers.unacknowledged(for: handler).map(\.userID) == [first.id])
            // From then on the administrator alone makes no coordinator account of their own …
            await Self.expectForbidden {
                _ = try await accounts.invite(email: "k2@example.org", displayName: "K2", role: .programmeCoordinator,
                                              organisationID: nil, by: admin.id)
            }
            // … gets no new-password link for one …
            await Self.expectForbidden { _ = try await accounts.issuePasswordLink(userID: first.id, by: admin.id) }
            // … and cannot move anyone into the role alone either.
            let viewer = try await accounts.createUser(email: "v@example.org", displayName: "V", role: .viewer,
                                                       organisationID: nil, password: Self.password)
            let move = try await handlers.proposeRoleChange(userID: viewer.id, to: .programmeCoordinator, by: admin)
            await Self.expectForbidden { _ = try await handlers.approve(id: move.id, by: admin) }
            // With the coordinator's approval, it is done.
            try await accounts.repositories.users.setPasswordHash("sha256:" + SecretToken.digest(Self.password), userID: first.id)
            let coordinator = try #require(try await accounts.repositories.users.user(id: first.id))
            let request = try await handlers.proposeInvitation(email: "k2@example.org", displayName: "K2",
                                                               role: .programmeCoordinator, by: admin)
            guard case let .approved(_, token?) = try await handlers.approve(id: request.id, by: coordinator) else {
                Issue.record("expected a link")
                return
            }
            #expect(try await accounts.invitedUser(token: token)?.role == .programmeCoordinator)
            // Disabling every coordinator does not reopen the first-coordinator door.
            try await accounts.setDisabled(true, userID: first.id, by: admin.id)
            await Self.expectForbidden {
                _ = try await accounts.invite(email: "k3@example.org", displayName: "K3", role: .programmeCoordinator,
                                              organisationID: nil, by: admin.id)
            }
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func parallelApprovalsDecideOnce(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let p = try await Self.people(database)
            let reset = try await p.handlers.proposeNewPassword(userID: p.handler.id, by: p.coordinator)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for approver in [p.admin, p.secondAdmin, p.admin, p.secondAdmin] {
                    group.addTask { (try? await p.handlers.approve(id: reset.id, by: approver)) != nil }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func handlersSeeEveryChangeUntilTheyAcknowledge(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let p = try await Self.people(database)
            #expect(try await p.handlers.unacknowledged(for: p.handler).isEmpty)
            let reset = try await p.handlers.proposeNewPassword(userID: p.handler.id, by: p.admin)
            #expect(try await p.handlers.unacknowledged(for: p.handler).isEmpty, "a proposal alone changes nothing")
            p.clock.advance(by: 1)
            _ = try await p.handlers.approve(id: reset.id, by: p.coordinator)
            p.clock.advance(by: 1)
            // The command line (operator) is recorded too.
            let other = try await p.accounts.createUser(email: "h2@example.org", displayName: "H2", role: .incidentHandler,
                                                        organisationID: nil, password: Self.password)
            let seen = try await p.handlers.unacknowledged(for: p.handler)
            #expect(seen.map(\.kind) == [.newPassword, .invitation])
            #expect(seen.last?.requestedBy == nil && seen.last?.userID == other.id)
            #expect(try await p.handlers.unacknowledged(for: p.admin).isEmpty, "only handlers are shown the list")
            try await p.handlers.acknowledge(p.handler)
            #expect(try await p.handlers.unacknowledged(for: p.handler).isEmpty)
            p.clock.advance(by: 1)
            let later = try await p.handlers.proposeRoleChange(userID: other.id, to: .viewer, by: p.coordinator)
            p.clock.advance(by: 1)
            _ = try await p.handlers.reject(id: later.id, by: p.admin)
            #expect(try await p.handlers.unacknowledged(for: p.handler).map(\.state) == [.rejected])
        }
    }
}

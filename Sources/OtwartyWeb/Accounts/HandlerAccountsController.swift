import Foundation
import Hummingbird
import OtwartyCore

/// Incident-handler accounts need two people: an administrator and the programme coordinator
/// propose and approve changes here, each in their own session; incident handlers acknowledge the
/// list of changes at their next sign-in.
struct HandlerAccountsController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var renderer: PageRenderer { dependencies.renderer }
    var service: HandlerAccountService {
        HandlerAccountService(accounts: dependencies.accounts, requests: dependencies.repositories.handlerAccountRequests)
    }

    static let deciders = Access.roles(HandlerAccountRequest.deciders)

    func register(on routes: Routes) {
        routes.page(.get, .handlerAccountRequests, access: Self.deciders) { _, context in
            try await render(context, language: try context.requireLanguage(localiser))
        }
        routes.page(.post, .handlerAccountRequests, access: Self.deciders) { _, context in try await propose(context) }
        routes.page(.post, .handlerAccountApprove(0), access: Self.deciders) { _, context in try await decide(context, approve: true) }
        routes.page(.post, .handlerAccountReject(0), access: Self.deciders) { _, context in try await decide(context, approve: false) }
        routes.page(.get, .handlerNotice, access: .roles([.incidentHandler])) { request, context in
            try await notice(request, context)
        }
        routes.page(.post, .handlerNotice, access: .roles([.incidentHandler])) { _, context in try await acknowledge(context) }
    }

    // MARK: Proposing and deciding

    func propose(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try requireUser(context)
        let form = context.form
        do {
            let request: HandlerAccountRequest
            switch HandlerAccountRequest.Kind(rawValue: form.text("kind")) {
            case .invitation:
                let role = form.text("role").isEmpty ? Role.incidentHandler : Role(rawValue: form.text("role"))
                guard let role, HandlerAccountRequest.guardedRoles.contains(role) else {
                    // The role and whatever else is wrong, in one round.
                    throw DomainError.invalid(AccountService.identityProblems(email: form.text("email"), displayName: form.text("displayName"))
                        + [FieldError(field: "role", messageKey: "error.role.invalid", message: "is not a role")])
                }
                request = try await service.proposeInvitation(email: form.text("email"), displayName: form.text("displayName"),
                                                              role: role, by: user)
            case .newPassword:
                guard let id = form.id("user") else { throw Self.userRequired }
                request = try await service.proposeNewPassword(userID: id, by: user)
            case .roleChange:
                guard let id = form.id("user") else { throw Self.userRequired }
                guard let role = Role(rawValue: form.text("role")) else {
                    throw DomainError.invalid([FieldError(field: "role", messageKey: "error.role.invalid", message: "is not a role")])
                }
                request = try await service.proposeRoleChange(userID: id, to: role, by: user)
            case nil:
                throw DomainError.invalid([FieldError(field: "kind", messageKey: "error.handler-accounts.kind",
                                                      message: "must be invitation, new-password or role-change")])
            }
            return redirect(to: SiteURL.handlerAccountRequests.path(language), notice: Notice(.accountChangeProposed, subject: request.id))
        } catch let DomainError.invalid(errors) {
            return try await render(context, language: language, form: form,
                                    errors: localiser.fieldErrors(errors, language, form: Self.fields(kind: form.text("kind"))),
                                    status: .unprocessableContent)
        } catch DomainError.conflict(let message) {
            let errors = [FormErrorItem(field: form.text("kind") == "invitation" ? "email" : "user",
                                        message: conflictText(message, language))]
            return try await render(context, language: language, form: form, errors: errors, status: .conflict)
        }
    }

    func decide(_ context: AppRequestContext, approve: Bool) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try requireUser(context)
        let id = try context.pathID("id", "Request")
        do {
            let outcome = approve ? try await service.approve(id: id, by: user) : try await service.reject(id: id, by: user)
            switch outcome {
            case let .approved(request, token):
                guard let token else {
                    return redirect(to: SiteURL.handlerAccountRequests.path(language), notice: Notice(.accountChangeApproved, subject: id))
                }
                // Not a redirect: the new link is a secret shown this once (only its hash is stored).
                let link = AdminUsersShow.CreatedLink(email: request.email,
                                                      url: dependencies.publicBaseURL + SiteURL.invitation(token: token).path(language))
                return try await render(context, language: language, created: link, shown: Notice(.accountChangeApproved, subject: id))
            case .rejected:
                // No confirmation for either: approving is itself the second person's check, and a
                // rejected change can be proposed again.
                return redirect(to: SiteURL.handlerAccountRequests.path(language), notice: Notice(.accountChangeRejected, subject: id))
            }
        } catch DomainError.conflict(let message) {
            let errors = [FormErrorItem(field: "pending-heading", message: conflictText(message, language))]
            return try await render(context, language: language, errors: errors, status: .conflict)
        }
    }

    /// The fields of the form that was sent (three forms share names), with the ids the summary links to.
    static func fields(kind: String) -> [FormField] {
        switch HandlerAccountRequest.Kind(rawValue: kind) {
        case .invitation:
            return [FormField("displayName", "form.name"), FormField("email", "form.email"), FormField("role", "form.role", anchor: "invite-role")]
        case .newPassword:
            return [FormField("user", "forms.name.user", anchor: "password-user")]
        case .roleChange:
            return [FormField("user", "forms.name.user", anchor: "role-user"), FormField("role", "form.role")]
        case nil:
            return [FormField("kind", "forms.name.change", anchor: "propose-heading")]
        }
    }

    /// The domain's conflicts are English sentences for logs; people get the catalogue's text.
    func conflictText(_ message: String, _ language: String) -> String {
        message.contains("already in use") ? localiser.text("error.email.taken", language)
            : localiser.text("handler-accounts.conflict", language)
    }

    static let userRequired = DomainError.invalid([FieldError(field: "user", messageKey: "error.handler-accounts.user",
                                                              message: "choose an account")])

    func requireUser(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    // MARK: The page

    func render(_ context: AppRequestContext, language: String, form: FormData = FormData(), errors: [FormErrorItem] = [],
                created: AdminUsersShow.CreatedLink? = nil, notice: String? = nil, shown: Notice? = nil,
                status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try requireUser(context)
        let users = try await dependencies.repositories.users.all()
        let pending = try await service.requests.pending()
        let decided = try await service.requests.decided(limit: 50)
        // `shown`: a banner drawn on this very answer (a link shown once); otherwise the one a redirect brought.
        var chrome = renderer.chrome(context, title: localiser.text("handler-accounts.title", language), url: .handlerAccountRequests)
        if let shown { chrome.notice = renderer.banner(shown, language: language) }
        if let subject = (shown ?? context.notice)?.subject, let request = (pending + decided).first(where: { $0.id == subject }) {
            // The banner names the request: its kind and the account it is about.
            chrome.notice?.items = ["\(kindLabel(request, language)): \(request.displayName) (\(request.email))"]
        }
        var pendingRows: [AccountRequestsShow.Row] = []
        for request in pending {
            pendingRows.append(row(request, users: users, language: language, canDecide: try await service.mayDecide(request, user: user),
                                   viewer: user))
        }
        let model = AccountRequestsShow.Model(
            page: chrome,
            pending: pendingRows, hasPending: !pendingRows.isEmpty,
            decided: decided.map { row($0, users: users, language: language, canDecide: false, viewer: user) },
            handlers: users.filter { HandlerAccountRequest.guardedRoles.contains($0.role) && !$0.isDisabled }
                .map { .init(value: String($0.id), label: "\($0.displayName) (\($0.email)), \(localiser.text("role.\($0.role.rawValue)", language))",
                             selected: false) },
            hasHandlers: users.contains { HandlerAccountRequest.guardedRoles.contains($0.role) && !$0.isDisabled },
            inviteRoles: [Role.incidentHandler, .programmeCoordinator].map {
                .init(value: $0.rawValue, label: localiser.text("role.\($0.rawValue)", language), selected: form["role"] == $0.rawValue)
            },
            users: users.filter { $0.id != user.id }
                .map { .init(value: String($0.id), label: "\($0.displayName) (\($0.email)), \(localiser.text("role.\($0.role.rawValue)", language))",
                             selected: false) },
            roles: Role.allCases.map { .init(value: $0.rawValue, label: localiser.text("role.\($0.rawValue)", language),
                                             selected: (form["role"] ?? Role.incidentHandler.rawValue) == $0.rawValue) },
            action: SiteURL.handlerAccountRequests.path(language),
            form: .init(email: form.text("email"), displayName: form.text("displayName"),
                        emailError: errorFor("email", in: errors), displayNameError: errorFor("displayName", in: errors),
                        userError: errorFor("user", in: errors) ?? errorFor("role", in: errors)),
            errors: errors, createdLink: created, notice: notice)
        return try renderer.render(AccountRequestsShow.template, model, status: status).response()
    }

    func row(_ request: HandlerAccountRequest, users: [User], language: String, canDecide: Bool, viewer: User) -> AccountRequestsShow.Row {
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0) })
        func person(_ id: UserID?) -> String {
            guard let id else { return localiser.text("handler-accounts.operator", language) }
            guard let user = names[id] else { return "#\(id)" }
            return "\(user.displayName), \(localiser.text("role.\(user.role.rawValue)", language))"
        }
        let format = Formatting(language: language)
        let role = localiser.text("role.\(request.role.rawValue)", language)
        let change = request.previousRole.map { localiser.text("role.\($0.rawValue)", language) + " → " + role } ?? role
        return AccountRequestsShow.Row(
            id: request.id, kind: kindLabel(request, language),
            account: request.email, displayName: request.displayName, change: change,
            proposedBy: person(request.requestedBy), proposedAt: format.timestamp(request.requestedAt, in: dependencies.clock),
            state: localiser.text("handler-accounts.state.\(request.state.rawValue)", language),
            decidedBy: request.state == .pending ? nil : person(request.decidedBy),
            decidedAt: request.decidedAt.map { format.timestamp($0, in: dependencies.clock) },
            canDecide: canDecide, isOwn: request.state == .pending && request.requestedBy == viewer.id,
            approveAction: SiteURL.handlerAccountApprove(request.id).path(language),
            rejectAction: SiteURL.handlerAccountReject(request.id).path(language))
    }

    /// Changes to coordinator accounts (which approve handler changes) are named as such.
    func kindLabel(_ request: HandlerAccountRequest, _ language: String) -> String {
        let aboutHandler = request.role == .incidentHandler || request.previousRole == .incidentHandler
        let group = aboutHandler ? "handler-accounts" : "coordinator-accounts"
        return localiser.text("\(group).kind.\(request.kind.rawValue)", language)
    }

    // MARK: What handlers acknowledge

    func notice(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try requireUser(context)
        let next = RedirectTarget.sameSite(request.uri.queryParameters.get("next"), or: SiteURL.home.path(language))
        let changes = try await service.unacknowledged(for: user)
        if changes.isEmpty { return redirect(to: next) }
        let users = try await dependencies.repositories.users.all()
        let model = HandlerNoticeShow.Model(
            page: renderer.chrome(context, title: localiser.text("handler-notice.title", language), url: .handlerNotice),
            changes: changes.map { row($0, users: users, language: language, canDecide: false, viewer: user) },
            action: SiteURL.handlerNotice.path(language), next: next)
        return try renderer.render(HandlerNoticeShow.template, model).response()
    }

    func acknowledge(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        try await service.acknowledge(try requireUser(context))
        return redirect(to: RedirectTarget.sameSite(context.form["next"], or: SiteURL.home.path(language)), notice: Notice(.accountChangesSeen))
    }

    /// Where a handler goes after signing in: the list of account changes first, when there are any.
    static func signInTarget(for user: User, next: String?, language: String,
                             dependencies: WebDependencies) async throws -> String? {
        guard user.role == .incidentHandler else { return next }
        let service = HandlerAccountService(accounts: dependencies.accounts, requests: dependencies.repositories.handlerAccountRequests)
        guard try await !service.unacknowledged(for: user).isEmpty else { return next }
        return SiteURL.handlerNotice.path(language, query: next.map { [.next($0)] } ?? [])
    }
}

import Hummingbird
import OtwartyCore

/// Administrators invite people, bind them to organisations, disable them (which ends their
/// sessions at once) and issue new one-time password links.
struct AdminUsersController {
    let dependencies: WebDependencies
    var accounts: AccountService { dependencies.accounts }
    var localiser: Localiser { dependencies.localiser }
    var renderer: PageRenderer { dependencies.renderer }

    func register(on routes: Routes) {
        routes.page(.get, .adminUsers, access: .administrators) { _, context in
            try await render(context, language: try context.requireLanguage(localiser))
        }
        routes.page(.post, .adminUsers, access: .administrators) { _, context in try await invite(context) }
        routes.page(.post, .adminUserDisable(0), access: .administrators) { _, context in try await setDisabled(true, context) }
        routes.page(.post, .adminUserEnable(0), access: .administrators) { _, context in try await setDisabled(false, context) }
        routes.page(.post, .adminUserLink(0), access: .administrators) { _, context in try await newLink(context) }
        routes.page(.post, .adminOrganisations, access: .administrators) { _, context in try await addOrganisation(context) }
    }

    /// The invitation and organisation forms' fields as the error summary names them.
    static let inviteFields: [FormField] = [
        FormField("displayName", "form.name"), FormField("email", "form.email"), FormField("role", "form.role"),
        FormField("organisation", "form.organisation"),
    ]
    static let organisationFields: [FormField] = [FormField("organisationName", "admin.organisations.name")]

    func invite(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let form = context.form
        guard let role = Role(rawValue: form.text("role")) else {
            // The role and whatever else is wrong, in one round.
            let errors = AccountService.identityProblems(email: form.text("email"), displayName: form.text("displayName"))
                + [FieldError(field: "role", messageKey: "error.role.invalid", message: "is not a role")]
            return try await render(context, language: language, form: form, errors: localiser.fieldErrors(errors, language, form: Self.inviteFields),
                                    status: .unprocessableContent)
        }
        let organisationID = form.id("organisation")
        do {
            if HandlerAccountRequest.guardedRoles.contains(role), try await !accounts.isFirstProgrammeCoordinator(role) {
                // Two people: this becomes a request the programme coordinator approves.
                let request = try await handlerAccounts.proposeInvitation(email: form.text("email"), displayName: form.text("displayName"),
                                                                          role: role, by: try requireUser(context))
                return proposed(request, language)
            }
            let (user, token) = try await accounts.invite(email: form.text("email"), displayName: form.text("displayName"),
                                                          role: role, organisationID: organisationID, by: context.user?.id)
            let link = AdminUsersShow.CreatedLink(email: user.email, url: dependencies.publicBaseURL + SiteURL.invitation(token: token).path(language))
            // Not a redirect: the link is a secret shown this once (only its hash is stored), so it
            // cannot wait for the next page. The banner is the same as after a redirect.
            return try await render(context, language: language, created: link, shown: Notice(.userInvited, subject: user.id),
                                    status: .created)
        } catch let DomainError.invalid(errors) {
            return try await render(context, language: language, form: form, errors: localiser.fieldErrors(errors, language, form: Self.inviteFields),
                                    status: .unprocessableContent)
        } catch DomainError.conflict {
            let errors = localiser.fieldErrors([FieldError(field: "email", messageKey: "error.email.taken", message: "is taken")],
                                               language, form: Self.inviteFields)
            return try await render(context, language: language, form: form, errors: errors, status: .conflict)
        }
    }

    func setDisabled(_ disabled: Bool, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let id = try context.pathID("id", "User")
        // No confirmation: enabling the account undoes it, and the banner says so.
        try await accounts.setDisabled(disabled, userID: id, by: context.user?.id)
        return redirect(to: SiteURL.adminUsers.path(language), notice: Notice(disabled ? .userDisabled : .userEnabled, subject: id))
    }

    func newLink(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let id = try context.pathID("id", "User")
        guard let target = try await dependencies.repositories.users.user(id: id) else { throw DomainError.notFound("User \(id)") }
        if HandlerAccountRequest.guardedRoles.contains(target.role) {
            // Two people: this becomes a request the programme coordinator approves.
            let request = try await handlerAccounts.proposeNewPassword(userID: id, by: try requireUser(context))
            return proposed(request, language)
        }
        let (user, token) = try await accounts.issuePasswordLink(userID: id, by: context.user?.id)
        let link = AdminUsersShow.CreatedLink(email: user.email, url: dependencies.publicBaseURL + SiteURL.invitation(token: token).path(language))
        return try await render(context, language: language, created: link, shown: Notice(.passwordLinkIssued, subject: user.id))
    }

    var handlerAccounts: HandlerAccountService {
        HandlerAccountService(accounts: accounts, requests: dependencies.repositories.handlerAccountRequests)
    }

    func requireUser(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    /// A change that needs a second person: to the page where it now waits, which says so.
    func proposed(_ request: HandlerAccountRequest, _ language: String) -> Response {
        redirect(to: SiteURL.handlerAccountRequests.path(language), notice: Notice(.accountChangeProposed, subject: request.id))
    }

    func addOrganisation(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let invalid = localiser.fieldErrors([FieldError(field: "organisationName", messageKey: "error.organisation.invalid", message: "")],
                                            language, form: Self.organisationFields)
        guard let kind = OrganisationKind(rawValue: context.form.text("organisationKind")) else {
            return try await render(context, language: language, form: context.form, errors: invalid, status: .unprocessableContent)
        }
        do {
            let organisation = try await accounts.createOrganisation(name: context.form.text("organisationName"), kind: kind, by: context.user?.id)
            return redirect(to: SiteURL.adminUsers.path(language), notice: Notice(.organisationAdded, subject: organisation.id))
        } catch DomainError.invalid {
            return try await render(context, language: language, form: context.form, errors: invalid, status: .unprocessableContent)
        } catch DomainError.conflict {
            let errors = localiser.fieldErrors([FieldError(field: "organisationName", messageKey: "error.organisation.taken", message: "")],
                                               language, form: Self.organisationFields)
            return try await render(context, language: language, form: context.form, errors: errors, status: .conflict)
        }
    }

    func render(_ context: AppRequestContext, language: String, form: FormData = FormData(), errors: [FormErrorItem] = [],
                created: AdminUsersShow.CreatedLink? = nil, notice: String? = nil, shown: Notice? = nil,
                status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisations = try await dependencies.repositories.organisations.all()
        let names = Dictionary(uniqueKeysWithValues: organisations.map { ($0.id, $0.name) })
        let users = try await dependencies.repositories.users.all()
        let enrolled = try await dependencies.twoFactor.enrolledUserIDs()
        var chrome = renderer.chrome(context, title: localiser.text("admin.users.title", language), url: .adminUsers)
        // `shown`: a banner drawn on this very answer (a link shown once); otherwise the one a redirect brought.
        if let shown { chrome.notice = renderer.banner(shown, language: language) }
        if let notice = shown ?? context.notice, let subject = notice.subject {
            // The banner names whom the action was about.
            switch notice.kind {
            case .userInvited, .passwordLinkIssued, .userDisabled, .userEnabled, .secondFactorRemoved:
                chrome.notice?.items = users.filter { $0.id == subject }.map { "\($0.displayName) (\($0.email))" }
            case .organisationAdded:
                chrome.notice?.items = organisations.filter { $0.id == subject }.map(\.name)
            default: break
            }
        }
        let model = AdminUsersShow.Model(
            page: chrome,
            users: users.map { user in
                AdminUsersShow.UserRow(
                    id: user.id, email: user.email, displayName: user.displayName,
                    role: localiser.text("role.\(user.role.rawValue)", language),
                    organisation: user.organisationID.flatMap { names[$0] }, isDisabled: user.isDisabled,
                    hasPassword: user.passwordHash != nil, isSelf: user.id == context.user?.id,
                    disableAction: SiteURL.adminUserDisable(user.id).path(language),
                    enableAction: SiteURL.adminUserEnable(user.id).path(language),
                    linkAction: SiteURL.adminUserLink(user.id).path(language),
                    hasSecondFactor: enrolled.contains(user.id),
                    secondFactorAction: SiteURL.adminUserSecondFactor(user.id).path(language))
            },
            // Least privilege by default: an invitation is for a viewer unless the administrator says otherwise.
            roles: Role.allCases.map { .init(value: $0.rawValue, label: localiser.text("role.\($0.rawValue)", language),
                                             selected: (form["role"] ?? Role.viewer.rawValue) == $0.rawValue) },
            organisations: organisations.map { .init(value: String($0.id), label: $0.name,
                                                     selected: form.text("organisation") == String($0.id)) },
            organisationKinds: OrganisationKind.allCases.map {
                .init(value: $0.rawValue, label: localiser.text("organisation.kind.\($0.rawValue)", language),
                      selected: form.text("organisationKind") == $0.rawValue)
            },
            inviteAction: SiteURL.adminUsers.path(language),
            organisationAction: SiteURL.adminOrganisations.path(language),
            form: .init(email: form.text("email"), displayName: form.text("displayName"),
                        emailError: errorFor("email", in: errors), displayNameError: errorFor("displayName", in: errors),
                        organisationError: errorFor("organisation", in: errors),
                        organisationNameError: errorFor("organisationName", in: errors),
                        organisationName: form.text("organisationName"), roleError: errorFor("role", in: errors)),
            errors: errors, createdLink: created, notice: notice,
            handlerAccountsHref: SiteURL.handlerAccountRequests.path(language))
        return try renderer.render(AdminUsersShow.template, model, status: status).response()
    }
}

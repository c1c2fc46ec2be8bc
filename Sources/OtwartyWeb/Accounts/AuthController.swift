import Foundation
import Hummingbird
import OtwartyCore

/// Sign-in and sign-out, the first administrator's setup link, and invitation links.
struct AuthController {
    let dependencies: WebDependencies
    var accounts: AccountService { dependencies.accounts }
    var localiser: Localiser { dependencies.localiser }
    var renderer: PageRenderer { dependencies.renderer }

    func register(on routes: Routes) {
        routes.page(.get, .login, access: .everyone) { request, context in try loginForm(request, context) }
        routes.page(.post, .login, access: .everyone) { _, context in try await signIn(context) }
        routes.page(.post, .logout, access: .everyone) { request, context in try await signOut(request, context) }
        routes.page(.get, .setup(token: ""), access: .everyone) { _, context in try await setupForm(context) }
        routes.page(.post, .setup(token: ""), access: .everyone) { _, context in try await completeSetup(context) }
        routes.page(.get, .invitation(token: ""), access: .everyone) { _, context in try await invitationForm(context) }
        routes.page(.post, .invitation(token: ""), access: .everyone) { _, context in try await acceptInvitation(context) }
    }

    // MARK: Sign-in

    func loginForm(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let language = try context.requireLanguage(localiser)
        let next = request.uri.queryParameters.get("next") ?? ""
        return try renderLogin(context, language: language, email: "", next: Self.safeNext(next) ?? "", error: nil, status: .ok)
    }

    func signIn(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let email = context.form.text("email")
        let next = Self.safeNext(context.form["next"] ?? "")
        // An empty field is named (both at once) before anything is checked or counted against the address.
        var missing: [FieldError] = []
        if email.trimmingCharacters(in: .whitespaces).isEmpty {
            missing.append(FieldError(field: "email", messageKey: "error.login.email", message: "enter your e-mail address"))
        }
        if (context.form["password"] ?? "").isEmpty {
            missing.append(FieldError(field: "password", messageKey: "error.login.password", message: "enter your password"))
        }
        if !missing.isEmpty {
            let items = localiser.fieldErrors(missing, language, form: [FormField("email", "form.email"), FormField("password", "form.password")])
            return try renderLogin(context, language: language, email: email, next: next ?? "", error: nil, errors: items,
                                   status: .unprocessableContent)
        }
        let result = try await accounts.signIn(email: email, password: context.form["password"] ?? "",
                                               client: context.clientAddress)
        switch result {
        case let .signedIn(user, _), let .secondFactorRequired(user, _):
            // An incident handler first sees changes to handler accounts since they last looked.
            let target = try await HandlerAccountsController.signInTarget(for: user, next: next, language: language,
                                                                          dependencies: dependencies)
            return afterPassword(result, language: language, next: target)
        case .invalidCredentials:
            context.logger.notice("sign-in refused")
            return try renderLogin(context, language: language, email: email, next: next ?? "",
                                   error: localiser.text("login.error.invalid", language), status: .unauthorized)
        case let .throttled(retryAfter):
            context.logger.warning("sign-in throttled")
            var response = try renderLogin(context, language: language, email: email, next: next ?? "",
                                           error: localiser.text("login.error.throttled", language), status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
    }

    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        if let token = request.cookies[SessionMiddleware.sessionCookie]?.value {
            try await accounts.endSession(token: token)
        }
        // To the sign-in form, which renders per request, so the banner is shown (and cleared) there.
        var response = redirect(to: SiteURL.login.path(language), notice: Notice(.signedOut))
        response.setCookie(Cookie(name: SessionMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                                  secure: dependencies.servedOverHTTPS, httpOnly: true, sameSite: .lax))
        return response
    }

    func renderLogin(_ context: AppRequestContext, language: String, email: String, next: String, error: String?,
                     errors: [FormErrorItem] = [], status: HTTPResponse.Status) throws -> Response {
        let model = LoginShow.Model(page: renderer.chrome(context, title: localiser.text("login.title", language), url: .login),
                                    action: SiteURL.login.path(language), email: email, next: next, error: error,
                                    errors: errors.isEmpty ? error.map { [FormErrorItem(field: "email", message: $0)] } ?? [] : errors,
                                    emailError: errorFor("email", in: errors), passwordError: errorFor("password", in: errors))
        return try renderer.render(LoginShow.template, model, status: status).response()
    }

    /// Only same-site paths of a strict grammar (`RedirectTarget`), so no open redirect.
    static func safeNext(_ next: String) -> String? { RedirectTarget.sameSite(next) }

    func sessionCookie(_ token: String) -> Cookie {
        Cookie(name: SessionMiddleware.sessionCookie, value: token, path: "/", secure: dependencies.servedOverHTTPS,
               httpOnly: true, sameSite: .lax)
    }

    // MARK: First administrator

    func setupForm(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let token = try context.parameters.require("token")
        guard try await accounts.isUsableSetupToken(token) else { throw DomainError.notFound("This setup link") }
        return try renderSetPassword(context, language: language, url: .setup(token: token), asksIdentity: true,
                                     intro: localiser.text("setup.intro", language), email: "", name: "", errors: [])
    }

    func completeSetup(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let token = try context.parameters.require("token")
        let email = context.form.text("email"), name = context.form.text("displayName")
        do {
            try checkConfirmation(context.form) {
                accounts.setupProblems(email: email, displayName: name, password: context.form["password"] ?? "")
            }
            let user = try await accounts.completeSetup(token: token, email: email, displayName: name,
                                                        password: context.form["password"] ?? "")
            return try await signedIn(user, password: context.form["password"] ?? "", language: language,
                                      redirectTo: SiteURL.adminUsers.path(language), notice: Notice(.setupDone))
        } catch let DomainError.invalid(errors) {
            return try renderSetPassword(context, language: language, url: .setup(token: token), asksIdentity: true,
                                         intro: localiser.text("setup.intro", language), email: email, name: name,
                                         errors: localiser.fieldErrors(errors, language, form: Self.setPasswordFields))
        } catch DomainError.conflict {
            return try renderSetPassword(context, language: language, url: .setup(token: token), asksIdentity: true,
                                         intro: localiser.text("setup.intro", language), email: email, name: name,
                                         errors: localiser.fieldErrors([FieldError(field: "email", messageKey: "error.email.taken", message: "is taken")],
                                                                      language, form: Self.setPasswordFields))
        }
    }

    // MARK: Invitations

    func invitationForm(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let token = try context.parameters.require("token")
        guard let user = try await accounts.invitedUser(token: token) else { throw DomainError.notFound("This invitation link") }
        return try renderSetPassword(context, language: language, url: .invitation(token: token), asksIdentity: false,
                                     intro: localiser.text("invitation.intro", language), email: user.email,
                                     name: user.displayName, errors: [])
    }

    func acceptInvitation(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let token = try context.parameters.require("token")
        guard let invited = try await accounts.invitedUser(token: token) else { throw DomainError.notFound("This invitation link") }
        do {
            try checkConfirmation(context.form) {
                accounts.passwordProblems(email: invited.email, password: context.form["password"] ?? "")
            }
            let user = try await accounts.acceptInvitation(token: token, password: context.form["password"] ?? "")
            return try await signedIn(user, password: context.form["password"] ?? "", language: language,
                                      redirectTo: SiteURL.home.path(language), notice: Notice(.passwordSet))
        } catch let DomainError.invalid(errors) {
            return try renderSetPassword(context, language: language, url: .invitation(token: token), asksIdentity: false,
                                         intro: localiser.text("invitation.intro", language), email: invited.email,
                                         name: invited.displayName, errors: localiser.fieldErrors(errors, language, form: Self.setPasswordFields))
        }
    }

    // MARK: Shared

    static let setPasswordFields: [FormField] = [
        FormField("displayName", "form.name"), FormField("email", "form.email"),
        FormField("password", "form.new-password"), FormField("passwordConfirmation", "form.confirm-password"),
    ]

    /// Two passwords that differ are reported together with what the service would refuse in
    /// the other fields (`otherProblems`), so the form comes back once with everything.
    func checkConfirmation(_ form: FormData, otherProblems: () -> [FieldError]) throws {
        if (form["password"] ?? "") != (form["passwordConfirmation"] ?? "") {
            throw DomainError.invalid(otherProblems() + [FieldError(field: "passwordConfirmation", messageKey: "error.password.mismatch",
                                                                    message: "does not match the password")])
        }
    }

    /// After a password was set: the same as after a right password at sign-in (a new-password
    /// link does not skip the second factor). The password just set unlocks a handler's key as a
    /// sign-in would, so the session (or the second step) carries it: without it an invited or
    /// reset handler's session could open no case, not even one granted to them (issue 14 E's walk).
    func signedIn(_ user: User, password: String, language: String, redirectTo location: String,
                  notice: Notice) async throws -> Response {
        let key = try await accounts.keyCustody?.unlock(user: user, password: password)
        var response = afterPassword(try await accounts.passwordAccepted(user, incidentKey: key), language: language, next: location)
        // The banner travels with whichever page comes next (the account's pages or the second step).
        response.headers[NoticeMiddleware.header] = notice.cookieValue
        return response
    }

    func renderSetPassword(_ context: AppRequestContext, language: String, url: SiteURL, asksIdentity: Bool,
                           intro: String, email: String, name: String, errors: [FormErrorItem]) throws -> Response {
        let titleKey = asksIdentity ? "setup.title" : "invitation.title"
        let model = SetPasswordShow.Model(
            page: renderer.chrome(context, title: localiser.text(titleKey, language), url: url),
            action: url.path(language), asksIdentity: asksIdentity, intro: intro, email: email, displayName: name,
            errors: errors, emailError: errorFor("email", in: errors), displayNameError: errorFor("displayName", in: errors),
            passwordError: errorFor("password", in: errors), confirmationError: errorFor("passwordConfirmation", in: errors),
            minimumLength: PasswordPolicy.minimumLength)
        return try renderer.render(SetPasswordShow.template, model, status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }
}

import Foundation
import Hummingbird
import OtwartyCore
import OtwartyQR

/// Two-factor sign-in pages: the second step of sign-in, the account's enrolment page with its QR
/// code (an SVG drawn here by `OtwartyQR`), recovery codes shown once, turning it off, and an
/// administrator removing someone's factor. docs/security.md, "Two-factor sign-in (TOTP)".
struct TwoFactorController {
    let dependencies: WebDependencies
    var twoFactor: TwoFactorService { dependencies.twoFactor }
    var localiser: Localiser { dependencies.localiser }
    var renderer: PageRenderer { dependencies.renderer }
    static let pendingCookie = "otwarty_pending"

    func register(on routes: Routes) {
        routes.page(.get, .loginCode, access: .everyone) { request, context in try await codeForm(request, context) }
        routes.page(.post, .loginCode, access: .everyone) { request, context in try await checkCode(request, context) }
        routes.page(.get, .twoFactor, access: .roles(Role.signedIn)) { _, context in try await account(context) }
        routes.page(.get, .twoFactorQR, access: .roles(Role.signedIn)) { _, context in try await qrCode(context) }
        routes.page(.post, .twoFactorConfirm, access: .roles(Role.signedIn)) { request, context in
            try await confirm(request, context)
        }
        routes.page(.post, .twoFactorRemove, access: .roles(Role.signedIn)) { _, context in try await removeOwn(context) }
        routes.page(.post, .adminUserSecondFactor(0), access: .administrators) { _, context in try await removeByAdministrator(context) }
    }

    // MARK: The second step of sign-in

    func pendingToken(_ request: Request) -> String? {
        guard let value = request.cookies[Self.pendingCookie]?.value, SessionMiddleware.isToken(value) else { return nil }
        return value
    }

    func codeForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let next = RedirectTarget.sameSite(request.uri.queryParameters.get("next") ?? "") ?? ""
        guard let token = pendingToken(request), try await twoFactor.pendingUser(token: token) != nil else {
            return redirect(to: SiteURL.login.path(language))
        }
        return try renderCodeForm(context, language: language, next: next, error: nil, status: .ok)
    }

    func checkCode(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let next = RedirectTarget.sameSite(context.form["next"] ?? "")
        guard let token = pendingToken(request) else { return try expired(context, language: language) }
        switch try await twoFactor.completeSignIn(pendingToken: token, code: context.form.text("code")) {
        case let .signedIn(_, sessionToken, usedRecoveryCode):
            // After a recovery code the account page says how many are left.
            var response = redirect(to: usedRecoveryCode ? SiteURL.twoFactor.path(language) : next ?? SiteURL.home.path(language))
            response.setCookie(sessionCookie(sessionToken))
            response.setCookie(clearPendingCookie())
            return response
        case let .wrongCode(attemptsLeft) where attemptsLeft > 0:
            context.logger.notice("second factor refused")
            let message = localiser.text("twofactor.error.wrong", language).replacingOccurrences(of: "{count}", with: String(attemptsLeft))
            return try renderCodeForm(context, language: language, next: next ?? "", error: message, status: .unauthorized)
        case .wrongCode, .expired:
            context.logger.notice("second factor: pending sign-in ended")
            return try expired(context, language: language)
        case let .throttled(retryAfter):
            context.logger.warning("second factor throttled")
            var response = try renderCodeForm(context, language: language, next: next ?? "",
                                              error: localiser.text("twofactor.error.throttled", language), status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
    }

    /// The sign-in form again, saying why: the pending sign-in expired, was used, or saw too many wrong codes.
    func expired(_ context: AppRequestContext, language: String) throws -> Response {
        let model = LoginShow.Model(page: renderer.chrome(context, title: localiser.text("login.title", language), url: .login),
                                    action: SiteURL.login.path(language), email: "", next: "",
                                    error: localiser.text("twofactor.error.expired", language))
        var response = try renderer.render(LoginShow.template, model, status: .unauthorized).response()
        response.setCookie(clearPendingCookie())
        return response
    }

    func renderCodeForm(_ context: AppRequestContext, language: String, next: String, error: String?,
                        status: HTTPResponse.Status) throws -> Response {
        let model = LoginCodeShow.Model(
            page: renderer.chrome(context, title: localiser.text("twofactor.login-title", language), url: .loginCode),
            action: SiteURL.loginCode.path(language), next: next, error: error, loginHref: SiteURL.login.path(language))
        return try renderer.render(LoginCodeShow.template, model, status: status).response()
    }

    // MARK: The account's second factor

    func account(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        return try await renderAccount(context, user: user, language: language)
    }

    func qrCode(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        guard let enrolment = try await twoFactor.enrolment(for: user) else { throw HTTPError(.notFound) }
        let svg = try QRCode.encode(enrolment.uri).svg(title: qrAlt(enrolment, language))
        return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: svg)))
    }

    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        do {
            let codes = try await twoFactor.confirmEnrolment(for: user, code: context.form.text("code"))
            // A new session with the second factor satisfied replaces the enrolment-only one.
            if let old = request.cookies[SessionMiddleware.sessionCookie]?.value {
                try await dependencies.accounts.endSession(token: old)
            }
            // The handler's key moves from the enrolment-only session to the new one.
            let incidentKey = context.session.flatMap { session in
                context.sessionToken.flatMap { dependencies.incidents.keys.sessionKey(session, token: $0) }
            }
            let token = try await dependencies.accounts.startSession(for: user, incidentKey: incidentKey)
            guard let session = try await dependencies.repositories.sessions.session(tokenHash: SecretToken.digest(token)) else {
                throw HTTPError(.internalServerError)
            }
            var fresh = context
            fresh.session = session
            fresh.csrfToken = session.csrfToken
            // Not a redirect: the recovery codes are shown this once (only their hashes are kept).
            var response = try await renderAccount(fresh, user: user, language: language, recoveryCodes: codes,
                                                   shown: Notice(.twoFactorOn))
            response.setCookie(sessionCookie(token))
            return response
        } catch let DomainError.invalid(errors) {
            return try await renderAccount(context, user: user, language: language, errors: localiser.fieldErrors(errors, language, form: [FormField("code", "forms.name.code")]),
                                           status: .unprocessableContent)
        }
    }

    func removeOwn(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        do {
            // No confirmation: the code asked for is one already, and setting it up again undoes it.
            try await twoFactor.removeOwn(user: user, code: context.form.text("code"))
            return redirect(to: SiteURL.twoFactor.path(language), notice: Notice(.twoFactorOff))
        } catch let DomainError.invalid(errors) {
            return try await renderAccount(context, user: user, language: language, errors: localiser.fieldErrors(errors, language, form: [FormField("code", "forms.name.code")]),
                                           status: .unprocessableContent)
        }
    }

    func removeByAdministrator(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let id = try context.pathID("id", "User")
        let administrator = try context.requireUser()
        // The person's app entry and recovery codes are gone for good: the first post asks.
        guard context.form.isConfirmed else {
            guard let target = try await dependencies.repositories.users.user(id: id) else { throw DomainError.notFound("User \(id)") }
            let heading = localiser.text("confirm.second-factor.heading", language)
                .replacingOccurrences(of: "{name}", with: "\(target.displayName) (\(target.email))")
            let model = ConfirmationShow.Model(
                page: renderer.chrome(context, title: heading, url: .adminUsers), heading: heading,
                lead: localiser.text("confirm.second-factor.lead", language),
                consequences: ["confirm.second-factor.sessions", "confirm.second-factor.codes", "confirm.second-factor.until"]
                    .map { localiser.text($0, language) },
                action: SiteURL.adminUserSecondFactor(id).path(language), fields: ConfirmationShow.carried(context.form),
                confirmLabel: localiser.text("confirm.second-factor.button", language),
                cancelHref: SiteURL.adminUsers.path(language), isDanger: true)
            return try renderer.render(ConfirmationShow.template, model).response()
        }
        try await twoFactor.removeByAdministrator(userID: id, by: administrator)
        return redirect(to: SiteURL.adminUsers.path(language), notice: Notice(.secondFactorRemoved, subject: id))
    }

    func renderAccount(_ context: AppRequestContext, user: User, language: String, recoveryCodes: [String]? = nil,
                       errors: [FormErrorItem] = [], shown: Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let state = try await twoFactor.status(of: user)
        let enrolment = state.enrolled ? nil : try await twoFactor.enrolment(for: user)
        var chrome = renderer.chrome(context, title: localiser.text("twofactor.title", language), url: .twoFactor)
        if let shown { chrome.notice = renderer.banner(shown, language: language) }
        let model = TwoFactorShow.Model(
            page: chrome,
            enrolled: state.enrolled, required: state.required, canRemove: state.enrolled && !state.required,
            recoveryLeft: localiser.text("twofactor.recovery-left", language)
                .replacingOccurrences(of: "{count}", with: String(state.unusedRecoveryCodes)),
            enrolment: enrolment.map { enrolment in
                TwoFactorShow.Enrolment(groupedSecret: enrolment.groupedSecret, account: enrolment.account,
                                        issuer: TwoFactorService.issuer, qrHref: SiteURL.twoFactorQR.path(language),
                                        qrAlt: qrAlt(enrolment, language))
            },
            recoveryCodes: recoveryCodes ?? [], showRecoveryCodes: recoveryCodes != nil,
            confirmAction: SiteURL.twoFactorConfirm.path(language), removeAction: SiteURL.twoFactorRemove.path(language),
            continueHref: SiteURL.home.path(language), errors: errors, codeError: errorFor("code", in: errors))
        return try renderer.render(TwoFactorShow.template, model, status: status).response()
    }

    func qrAlt(_ enrolment: TwoFactorService.Enrolment, _ language: String) -> String {
        localiser.text("twofactor.qr-alt", language).replacingOccurrences(of: "{account}", with: enrolment.account)
    }

    func sessionCookie(_ token: String) -> Cookie {
        Cookie(name: SessionMiddleware.sessionCookie, value: token, path: "/", secure: dependencies.servedOverHTTPS,
               httpOnly: true, sameSite: .lax)
    }

    func clearPendingCookie() -> Cookie {
        Cookie(name: Self.pendingCookie, value: "", maxAge: 0, path: "/", secure: dependencies.servedOverHTTPS,
               httpOnly: true, sameSite: .lax)
    }
}

extension AuthController {
    /// The answer to a right password: a session, to `next` (or, for an enrolment-only session,
    /// to the enrolment page); or, for an enrolled user, the pending second step.
    func afterPassword(_ result: AccountService.SignInResult, language: String, next: String?) -> Response {
        switch result {
        case let .signedIn(user, token):
            let location = user.role.requiresSecondFactor ? SiteURL.twoFactor.path(language) : next ?? SiteURL.home.path(language)
            var response = redirect(to: location)
            response.setCookie(sessionCookie(token))
            return response
        case let .secondFactorRequired(_, pendingToken):
            let location = SiteURL.loginCode.path(language, query: next.map { [.next($0)] } ?? [])
            var response = redirect(to: location)
            response.setCookie(Cookie(name: TwoFactorController.pendingCookie, value: pendingToken,
                                      maxAge: Int(TwoFactorPolicy().pendingLifetime), path: "/",
                                      secure: dependencies.servedOverHTTPS, httpOnly: true, sameSite: .lax))
            return response
        case .invalidCredentials, .throttled:
            return redirect(to: SiteURL.login.path(language))
        }
    }
}

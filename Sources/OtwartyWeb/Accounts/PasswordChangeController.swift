import Foundation
import Hummingbird
import OtwartyCore

/// A signed-in user's own password change (`AccountService.changePassword`): the current password,
/// the new one and its repetition. Every role reaches it; an enrolment-only session does not
/// (`SessionMiddleware` sends it to the enrolment page). docs/security.md, "Changing your password".
struct PasswordChangeController {
    let dependencies: WebDependencies
    var accounts: AccountService { dependencies.accounts }
    var localiser: Localiser { dependencies.localiser }
    var renderer: PageRenderer { dependencies.renderer }

    func register(on routes: Routes) {
        routes.page(.get, .accountPassword, access: .roles(Role.signedIn)) { _, context in try form(context) }
        routes.page(.post, .accountPassword, access: .roles(Role.signedIn)) { _, context in try await change(context) }
    }

    /// The form's fields in the order it shows them, for the error summary.
    static let fields: [FormField] = [
        FormField("currentPassword", "password-change.current"), FormField("password", "form.new-password"),
        FormField("passwordConfirmation", "form.confirm-password"),
    ]

    func form(_ context: AppRequestContext) throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        return try render(context, user: user, language: language, errors: [], status: .ok)
    }

    func change(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        // Passwords are read as given (no trimming: spaces are characters of a password). The
        // policy bounds the new one at 72 bytes; the current one goes only to bcrypt, which reads 72.
        let current = context.form["currentPassword"] ?? "", new = context.form["password"] ?? ""
        let confirmation = context.form["passwordConfirmation"] ?? ""
        do {
            switch try await accounts.changePassword(user: user, currentPassword: current, newPassword: new,
                                                     confirmation: confirmation, client: context.clientAddress,
                                                     session: session) {
            case let .changed(_, sessionToken):
                // Every session ended with the change; this browser goes on in the new one.
                var response = redirect(to: SiteURL.accountPassword.path(language), notice: Notice(.passwordChanged))
                response.setCookie(Cookie(name: SessionMiddleware.sessionCookie, value: sessionToken, path: "/",
                                          secure: dependencies.servedOverHTTPS, httpOnly: true, sameSite: .lax))
                return response
            case let .throttled(retryAfter):
                context.logger.warning("password change throttled")
                let item = FormErrorItem(field: "currentPassword", message: localiser.text("password-change.throttled", language))
                var response = try render(context, user: user, language: language, errors: [item], status: .tooManyRequests)
                response.headers[.retryAfter] = String(retryAfter)
                return response
            }
        } catch let DomainError.invalid(errors) {
            if errors.contains(where: { $0.messageKey == "error.current-password.wrong" }) {
                context.logger.notice("password change refused: wrong current password")
            }
            return try render(context, user: user, language: language,
                              errors: localiser.fieldErrors(errors, language, form: Self.fields), status: .unprocessableContent)
        }
    }

    func render(_ context: AppRequestContext, user: User, language: String, errors: [FormErrorItem],
                status: HTTPResponse.Status) throws -> Response {
        let model = PasswordChangeShow.Model(
            page: renderer.chrome(context, title: localiser.text("password-change.title", language), url: .accountPassword),
            action: SiteURL.accountPassword.path(language), email: user.email,
            holdsIncidentKey: IncidentKeyService.roles.contains(user.role),
            errors: errors, currentError: errorFor("currentPassword", in: errors), passwordError: errorFor("password", in: errors),
            confirmationError: errorFor("passwordConfirmation", in: errors), minimumLength: PasswordPolicy.minimumLength)
        return try renderer.render(PasswordChangeShow.template, model, status: status).response()
    }
}

/// The account's password change page.
public enum PasswordChangeShow {
    public static let template = "password-change"
    public struct Model {
        public var page: PageChrome
        public var action: String
        /// The account's address, for password managers (a hidden username field).
        public var email: String
        /// A handler or the programme coordinator: the page says their key moves with the password.
        public var holdsIncidentKey: Bool
        public var errors: [FormErrorItem]
        public var currentError: String?
        public var passwordError: String?
        public var confirmationError: String?
        public var minimumLength: Int
    }
}

import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The two-factor pages from mock models, with the script payload in every text.
extension TemplateTests {
    @Test func loginCodePage() throws {
        try check(LoginCodeShow.template, LoginCodeShow.Model(page: chrome(signedIn: false), action: "/en/login/code",
                                                              next: Self.payload, error: Self.payload, loginHref: "/en/login"),
                  contains: ["autocomplete=\"one-time-code\"", "role=\"alert\"", "aria-describedby=\"code-hint code-error\"",
                             "aria-invalid=\"true\"", "<label for=\"code\">"])
    }

    @Test func twoFactorEnrolmentPage() throws {
        let enrolment = TwoFactorShow.Enrolment(groupedSecret: "ABCD EFGH", account: Self.payload, issuer: "Otwarty",
                                                qrHref: "/en/account/two-factor/qr.svg", qrAlt: Self.payload)
        let errors = [FormErrorItem(field: "code", message: Self.payload)]
        try check(TwoFactorShow.template, TwoFactorShow.Model(
            page: chrome(), enrolled: false, required: true, canRemove: false, recoveryLeft: "", enrolment: enrolment,
            recoveryCodes: [], showRecoveryCodes: false, confirmAction: "/en/account/two-factor/confirm",
            removeAction: "/en/account/two-factor/remove", continueHref: "/en/", errors: errors, codeError: Self.payload),
            contains: ["<img src=\"/en/account/two-factor/qr.svg\" alt=\"\(Self.escaped)\"", "ABCD EFGH", "inputmode=\"numeric\"",
                       "href=\"#code\"", "aria-invalid=\"true\"", "Your role requires two-factor sign-in."])
    }

    @Test func twoFactorRecoveryCodesAndStatusPages() throws {
        try check(TwoFactorShow.template, TwoFactorShow.Model(
            page: chrome(), enrolled: true, required: false, canRemove: false, recoveryLeft: Self.payload, enrolment: nil,
            recoveryCodes: ["abcd-efgh-jkmn-pqrs", Self.payload], showRecoveryCodes: true, confirmAction: "", removeAction: "",
            continueHref: "/en/", errors: [], codeError: nil),
            contains: ["abcd-efgh-jkmn-pqrs", "Your recovery codes"])
        try check(TwoFactorShow.template, TwoFactorShow.Model(
            page: chrome(), enrolled: true, required: false, canRemove: true, recoveryLeft: Self.payload, enrolment: nil,
            recoveryCodes: [], showRecoveryCodes: false, confirmAction: "", removeAction: "/en/account/two-factor/remove",
            continueHref: "/en/", errors: [], codeError: nil),
            contains: ["/en/account/two-factor/remove", "Two-factor sign-in is on"])
    }
}

/// The second step of sign-in: a 6-digit code or a recovery code.
public enum LoginCodeShow {
    public static let template = "login-code"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var next: String
        /// A wrong code (with the tries left) or throttling, already translated.
        public var error: String?
        public var loginHref: String
    }
}

/// The account's two-factor page: status, enrolment (QR code and key), recovery codes once, turning off.
public enum TwoFactorShow {
    public static let template = "two-factor"

    public struct Enrolment {
        public var groupedSecret: String
        public var account: String
        public var issuer: String
        public var qrHref: String
        /// The QR code's text alternative (also the SVG's title).
        public var qrAlt: String
    }

    public struct Model {
        public var page: PageChrome
        public var enrolled: Bool
        public var required: Bool
        public var canRemove: Bool
        public var recoveryLeft: String
        public var enrolment: Enrolment?
        public var recoveryCodes: [String]
        public var showRecoveryCodes: Bool
        public var confirmAction: String
        public var removeAction: String
        public var continueHref: String
        public var errors: [FormErrorItem]
        public var codeError: String?
    }
}

/// Sign-in, first-administrator setup and invitation pages.
public enum LoginShow {
    public static let template = "login"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var email: String
        public var next: String
        /// Wrong credentials or throttling, already translated.
        public var error: String?
        /// Empty fields, each named (and, with `error`, that message as the summary's one line,
        /// so the page title says something went wrong).
        public var errors: [FormErrorItem] = []
        public var emailError: String? = nil
        public var passwordError: String? = nil
    }
}

public enum SetPasswordShow {
    public static let template = "set-password"
    public struct Model {
        public var page: PageChrome
        public var action: String
        /// Setup asks for name and e-mail too; an invitation already knows them.
        public var asksIdentity: Bool
        public var intro: String
        public var email: String
        public var displayName: String
        public var errors: [FormErrorItem]
        public var emailError: String?
        public var displayNameError: String?
        public var passwordError: String?
        public var confirmationError: String?
        public var minimumLength: Int
    }
}

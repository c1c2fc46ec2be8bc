/// The administrators' page: users, invitations, disabling, organisations.
public enum AdminUsersShow {
    public static let template = "admin-users"
    public struct Model {
        public var page: PageChrome
        public var users: [UserRow]
        public var roles: [Option]
        public var organisations: [Option]
        public var organisationKinds: [Option]
        public var inviteAction: String
        public var organisationAction: String
        public var form: InviteForm
        public var errors: [FormErrorItem]
        /// A one-time link just created, shown once so the administrator can pass it on.
        public var createdLink: CreatedLink?
        public var notice: String?
        /// Where incident-handler account changes are proposed and approved (two people).
        public var handlerAccountsHref: String = ""
    }

    public struct UserRow {
        public var id: Int64
        public var email: String
        public var displayName: String
        public var role: String
        public var organisation: String?
        public var isDisabled: Bool
        public var hasPassword: Bool
        public var isSelf: Bool
        public var disableAction: String
        public var enableAction: String
        public var linkAction: String
        /// Two-factor sign-in is on; an administrator may remove it (`secondFactorAction`).
        public var hasSecondFactor: Bool = false
        public var secondFactorAction: String = ""
    }

    public struct Option {
        public var value: String
        public var label: String
        public var selected: Bool
    }

    public struct InviteForm {
        public var email: String
        public var displayName: String
        public var emailError: String?
        public var displayNameError: String?
        public var organisationError: String?
        public var organisationNameError: String?
        public var organisationName: String
        public var roleError: String? = nil
    }

    public struct CreatedLink {
        public var email: String
        public var url: String
    }
}

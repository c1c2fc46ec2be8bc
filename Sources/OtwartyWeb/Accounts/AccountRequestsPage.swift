/// Incident-handler account changes that need two people: proposals, approvals, the history.
public enum AccountRequestsShow {
    public static let template = "account-requests"
    public struct Model {
        public var page: PageChrome
        public var pending: [Row]
        public var hasPending: Bool
        public var decided: [Row]
        /// Enabled incident handlers and programme coordinators, for a new-password link.
        public var handlers: [AdminUsersShow.Option]
        public var hasHandlers: Bool
        /// The roles an invitation may be proposed for (incident handler, programme coordinator).
        public var inviteRoles: [AdminUsersShow.Option]
        /// Every account, for a move into or out of the role.
        public var users: [AdminUsersShow.Option]
        public var roles: [AdminUsersShow.Option]
        public var action: String
        public var form: Form
        public var errors: [FormErrorItem]
        /// The link an approval just made, shown once to the approver.
        public var createdLink: AdminUsersShow.CreatedLink?
        public var notice: String?
    }

    public struct Form {
        public var email: String
        public var displayName: String
        public var emailError: String?
        public var displayNameError: String?
        public var userError: String?
    }

    public struct Row {
        public var id: Int64
        public var kind: String
        public var account: String
        public var displayName: String
        public var change: String
        public var proposedBy: String
        public var proposedAt: String
        public var state: String
        public var decidedBy: String?
        public var decidedAt: String?
        /// The signed-in person may approve or reject it (the other role, another person).
        public var canDecide: Bool
        /// The signed-in person proposed it (they may withdraw it, not approve it).
        public var isOwn: Bool
        public var approveAction: String
        public var rejectAction: String
    }
}

/// What an incident handler is shown at sign-in: changes to incident-handler accounts since they
/// last acknowledged the list.
public enum HandlerNoticeShow {
    public static let template = "handler-notice"
    public struct Model {
        public var page: PageChrome
        public var changes: [AccountRequestsShow.Row]
        public var action: String
        public var next: String
    }
}

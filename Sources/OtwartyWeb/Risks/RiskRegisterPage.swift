/// The risk register page (`risks.mustache`): the programme's risks and added ones with their
/// current scores, the reassessments, and the coordinators' forms.
public enum RisksShow {
    public static let template = "risks"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var risks: [RiskRow]
        public var scale: [ScaleRow]
        /// Reassessments, newest first; empty for anonymous readers.
        public var history: [Assessment]
        public var showHistory: Bool
        /// Where coordinators post a reassessment; nil for everyone else.
        public var assessAction: String?
        public var riskOptions: [AdminUsersShow.Option]
        public var scores: [AdminUsersShow.Option]
        public var today: String
        public var errors: [FormErrorItem]
        public var dateError: String?
        public var scoreError: String?
        public var reasonError: String?
        public var reason: String
        /// The register: the programme's risks and added ones, with owner and review dates.
        public var register: [RegisterRow] = []
        /// Set when the page shows the register grouped by level (`?view=level`).
        public var levels: [LevelGroup] = []
        public var isByLevel: Bool = false
        public var byLevelHref: String = ""
        public var allHref: String = ""
        public var overdueReviews: Int = 0
        /// Where coordinators add a risk; nil for everyone else.
        public var addAction: String?
        public var goalOptions: [AdminUsersShow.Option] = []
        public var responseOptions: [AdminUsersShow.Option] = []
        public var riskError: String? = nil
        /// The "add a risk" form as it came back: what was sent and each field's error.
        public var newRisk = NewRiskFields()
    }

    public struct NewRiskFields {
        public var name = "", responseDetail = "", owner = "", linkedTasks = "", reviewEveryMonths = "6"
        public var nameError: String?, goalError: String?, scoreError: String?, responseDetailError: String?
        public var ownerError: String?, linkedTasksError: String?, reviewEveryMonthsError: String?
    }

    /// A risk's details form that came back: its errors (and it stays open).
    public struct DetailsErrors {
        public var ownerError: String?, linkedTasksError: String?, reviewEveryMonthsError: String?
    }

    public struct RegisterRow {
        public var number: Int
        public var goal: Int
        public var name: String
        public var score: Int
        public var level: String
        public var levelCode: String
        public var response: String
        public var responseDetail: String
        public var owner: String
        public var linkedTasks: String
        public var reviewEveryMonths: Int
        public var lastReviewed: String
        public var reviewDue: String
        public var isReviewOverdue: Bool
        public var isAdded: Bool
        /// Where coordinators change owner, tasks and interval; nil for everyone else.
        public var detailsAction: String?
        public var detailsErrors: DetailsErrors? = nil
    }

    public struct LevelGroup {
        public var level: String
        public var levelCode: String
        public var risks: [RegisterRow]
        public var hasRisks: Bool
    }

    public struct Assessment {
        public var risk: Int
        public var riskName: String
        public var date: String
        public var score: Int
        public var reason: String
        public var by: String
    }
}

/// „Krakowski Ambasador Wielokulturowości”: the public page with the nomination form, and the
/// back office (edition dates, the jury's scores, winners).
public enum AmbassadorShow {
    public static let template = "ambassador"
    public struct Model {
        public var page: PageChrome
        public var year: Int
        public var isOpen: Bool
        public var period: String?
        public var action: String
        public var submission: String
        public var categories: [AdminUsersShow.Option]
        public var errors: [FormErrorItem]
        public var nominee: String
        public var justification: String
        public var contact: String
        public var nomineeError: String?
        public var justificationError: String?
        public var contactError: String?
        public var received: Bool
        public var winners: [Winner]
        public var hasWinners: Bool
        public var categoryError: String? = nil
    }

    public struct Winner {
        public var year: Int
        public var nominee: String
        public var category: String
    }
}

public enum ManageAmbassadorShow {
    public static let template = "manage-ambassador"
    public struct Model {
        public var page: PageChrome
        public var year: Int
        public var years: [DashboardShow.YearLink]
        public var editionAction: String
        public var opensOn: String
        public var closesOn: String
        public var galaOn: String
        public var meetingOn: String
        public var canEdit: Bool
        public var nominations: [Row]
        public var hasNominations: Bool
        public var errors: [FormErrorItem]
        public var publicHref: String
        public var opensOnError: String? = nil
        public var closesOnError: String? = nil
        public var galaOnError: String? = nil
        public var meetingOnError: String? = nil
    }

    public struct Row {
        public var id: Int64
        public var nominee: String
        public var category: String
        public var justification: String
        /// The nominator's contact: nil for jurors (only the office running the competition sees it).
        public var contact: String?
        public var submittedOn: String
        public var average: String
        public var jurors: Int
        public var myScore: String
        public var scoreAction: String?
        public var winnerAction: String?
        public var isWinner: Bool
        public var scores: [AdminUsersShow.Option]
    }
}

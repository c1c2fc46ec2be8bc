/// Published documents, service points with feedback, patronage: public pages and back office.
public enum DocumentsShow {
    public static let template = "documents"
    public struct Model {
        public var page: PageChrome
        public var groups: [Group]
    }

    public struct Group {
        public var kind: String
        public var title: String
        public var documents: [Row]
        public var hasDocuments: Bool
    }

    public struct Row {
        public var title: String
        public var language: String
        public var languageName: String
        public var version: Int
        public var publishedOn: String
        public var href: String
        public var format: String
        public var size: String
        public var isLatest: Bool
    }
}

public enum ManageDocumentsShow {
    public static let template = "manage-documents"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var kinds: [AdminUsersShow.Option]
        public var errors: [FormErrorItem]
        public var title: String
        public var language: String
        public var titleError: String?
        public var languageError: String?
        public var fileError: String?
        /// The upload field's hint: the types accepted and the size limit (issue 12, item 11).
        public var fileHint: String = ""
        public var notice: String?
        public var publicHref: String
        public var manageServicePointsHref: String
        public var managePatronageHref: String
        public var manageAmbassadorHref: String
    }
}

public enum ServicePointsShow {
    public static let template = "service-points"
    public struct Model {
        public var page: PageChrome
        public var points: [Point]
        public var hasPoints: Bool
        public var feedbackAction: String
        public var submission: String
        public var notice: String?
        public var manageHref: String?
        /// The errors of a rating that came back (one point's form at a time).
        public var errors: [FormErrorItem] = []
    }

    public struct Point {
        public var id: Int64
        public var name: String
        public var address: String
        public var openingHours: String
        public var languages: String
        public var contact: String
        public var ratingError: String? = nil
        public var commentError: String? = nil
        public var comment: String = ""
        public var isPositive = false
        public var isNegative = false
    }
}

public enum ManageServicePointsShow {
    public static let template = "manage-service-points"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var points: [Point]
        public var year: Int
        public var errors: [FormErrorItem]
        /// What the "add a service point" form sent back, with its errors.
        public var newPoint = PointFields()
    }

    public struct Point {
        public var id: Int64
        public var name: String
        public var address: String
        public var openingHours: String
        public var languages: String
        public var contact: String
        public var positive: Int
        public var negative: Int
        public var comments: [Comment]
        public var hasComments: Bool
        public var fieldErrors = PointFields()
    }

    /// A point form's field errors (and, for the add form, the values sent).
    public struct PointFields {
        public var name = "", address = "", openingHours = "", languages = "", contact = ""
        public var nameError: String?, addressError: String?, openingHoursError: String?, languagesError: String?, contactError: String?

        init() {}
        init(errors items: [FormErrorItem], form: FormData?) {
            nameError = errorFor("name", in: items); addressError = errorFor("address", in: items)
            openingHoursError = errorFor("openingHours", in: items); languagesError = errorFor("languages", in: items)
            contactError = errorFor("contact", in: items)
            if let form {
                name = form.text("name"); address = form.text("address"); openingHours = form.text("openingHours")
                languages = form.text("languages"); contact = form.text("contact")
            }
        }
    }

    public struct Comment {
        public var date: String
        public var rating: String
        public var language: String
        public var text: String
    }
}

public enum PatronageFormShow {
    public static let template = "patronage"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var submission: String
        public var errors: [FormErrorItem]
        public var applicant: String
        public var project: String
        public var startsOn: String
        public var endsOn: String
        public var description: String
        public var contact: String
        public var applicantError: String?
        public var projectError: String?
        public var startsOnError: String?
        public var endsOnError: String?
        public var descriptionError: String?
        public var contactError: String?
        /// Set after a successful submission.
        public var received: String?
    }
}

public enum ManagePatronageShow {
    public static let template = "manage-patronage"
    public struct Model {
        public var page: PageChrome
        public var requests: [Request]
        public var hasRequests: Bool
        public var errors: [FormErrorItem]
    }

    public struct Request {
        public var id: Int64
        public var applicant: String
        public var project: String
        public var dates: String
        public var description: String
        public var contact: String
        public var submittedOn: String
        public var status: String
        public var statusCode: String
        public var reason: String
        public var decideAction: String?
        /// A decision that came back with errors: its messages and what was sent.
        public var decisionError: String? = nil
        public var reasonError: String? = nil
        public var reasonSent = ""
        public var grantChosen = false
        public var refuseChosen = false
    }
}

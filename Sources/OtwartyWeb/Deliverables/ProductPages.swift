import OtwartyCore

/// `/reports/products`: every task's products with status, date and evidence.
public enum ProductsShow {
    public static let template = "products"
    public struct Model {
        public var page: PageChrome
        public var goals: [Goal]
        public var canEdit: Bool
        /// Delivered products with no evidence (the review queue flags them too).
        public var withoutEvidence: Int
        public var withoutEvidenceText: String?
    }

    public struct Goal {
        public var number: Int
        public var heading: String
        public var tasks: [Task]
    }

    public struct Task {
        public var code: String
        public var title: String
        public var href: String
        /// "31 grudnia 2024" or "działanie ciągłe".
        public var deadline: String
        public var status: String
        public var statusCode: String
        public var products: [Row]
    }

    public struct Row {
        public var name: String
        /// `pl` when the page is in another language: the product is the resolution's Polish text.
        public var nameLang: String?
        public var status: String
        public var statusCode: String
        public var date: String
        public var evidence: ProductEvidenceLink?
        public var note: String
        public var editHref: String?
        public var editLabel: String
    }
}

/// The evidence of a product as a link: a published document or an address.
public struct ProductEvidenceLink {
    public var href: String
    public var label: String
    /// A link the public pages do not show.
    public var staffOnly: Bool
}

/// `/reports/products/{code}/{number}`: the coordinator's form for one product.
public enum ProductEditShow {
    public static let template = "product-form"
    public struct Model {
        public var page: PageChrome
        public var listHref: String
        public var taskCode: String
        public var taskTitle: String
        public var taskHref: String
        public var deadline: String
        public var name: String
        public var nameLang: String?
        public var action: String
        public var statuses: [Option]
        public var deliveredOn: String
        public var plannedOn: String
        public var documents: [Option]
        public var hasDocuments: Bool
        public var documentsHref: String
        public var link: String
        public var linkIsPublic: Bool
        public var note: String
        public var maxNote: Int
        public var maxURL: Int
        public var failed: [String: String]
        public var statusError: String? { failed["status"] }
        public var deliveredOnError: String? { failed["deliveredOn"] }
        public var plannedOnError: String? { failed["plannedOn"] }
        public var documentError: String? { failed["documentID"] ?? failed["evidence"] }
        public var linkError: String? { failed["link"] }
        public var noteError: String? { failed["note"] }
        public var errors: [FormErrorItem]
    }

    public struct Option {
        public var value: String
        public var label: String
        public var selected: Bool
    }
}

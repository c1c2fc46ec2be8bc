/// The organisation directory with the cooperation coordinators' contact base (staff only), and
/// the reference statistics (denominators) with their revisions.
public enum OrganisationsShow {
    public static let template = "organisations"
    public struct Model {
        public var page: PageChrome
        public var organisations: [Item]
        public var showsContacts: Bool
    }

    public struct Item {
        public var name: String
        public var kind: String
        public var href: String
        public var coordinators: [Contact]
    }

    public struct Contact {
        public var name: String
        public var function: String
        public var email: String
        public var phone: String
        public var period: String
    }
}

public enum OrganisationShow {
    public static let template = "organisation"
    public struct Model {
        public var page: PageChrome
        public var name: String
        public var kind: String
        public var showsContacts: Bool
        public var coordinators: [OrganisationsShow.Contact]
        public var recordsHref: String
        public var addAction: String?
        public var errors: [FormErrorItem]
        public var nameError: String?
        public var emailError: String?
        public var datesError: String?
        public var validFromError: String? = nil
        /// What a form that came back had sent.
        public var form = CoordinatorFields()
    }

    public struct CoordinatorFields {
        public var name = "", function = "", email = "", phone = "", validFrom = "", validUntil = ""
    }
}

public enum ReferenceStatisticsShow {
    public static let template = "reference-statistics"
    public struct Model {
        public var page: PageChrome
        public var values: [Row]
        public var action: String?
        public var errors: [FormErrorItem]
        public var keyError: String?
        public var yearError: String?
        public var valueError: String?
        public var sourceError: String?
        public var form: Form
        public var asOfError: String? = nil
        public var lowValueError: String? = nil
        public var lowSourceError: String? = nil
        public var highValueError: String? = nil
        public var highSourceError: String? = nil
    }

    public struct Row {
        public var key: String
        public var year: Int
        public var value: String
        public var source: String
        public var asOf: String
        public var revisions: Int
        /// "15 000 (source)"; nil without an estimate on that side.
        public var low: String? = nil
        public var high: String? = nil
    }

    public struct Form {
        public var key: String
        public var year: String
        public var value: String
        public var source: String
        public var asOf: String
        public var lowValue: String = ""
        public var lowSource: String = ""
        public var highValue: String = ""
        public var highSource: String = ""
    }
}

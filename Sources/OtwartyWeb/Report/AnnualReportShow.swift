import OtwartyCore

/// The annual report as one standalone HTML document (the council's copy, the preview and the
/// source of the PDF): every value already formatted for the report's language.
public enum AnnualReportShow {
    public static let template = "annual-report"

    public struct Model {
        public var lang: String
        public var t: [String: Any & Sendable]
        /// The report's own stylesheet, embedded so the file stands alone (see ReportStylesheet).
        public var css: String
        public var documentTitle: String
        public var programme: ProgrammeHeader
        public var year: Int
        public var generatedOn: String
        public var dueOn: String?
        public var isDraft: Bool
        public var edition: String
        public var summary: Summary
        public var introduction: [String]
        public var hasIntroduction: Bool
        public var results: [DashboardShow.ResultLine]
        public var achievementChart: BarChart
        public var historyYears: [Int]
        public var goals: [Goal]
        public var risks: [Risk]
        public var financing: Financing
        public var annex: [AnnexGroup]
        public var annexCount: Int
        /// "How each number is counted": one entry per result and measure with a methodology.
        public var methods: [Method] = []
        public var hasMethods = false
    }

    public struct Summary {
        public var index: String?
        public var partialIndex: String
        public var computableWeight: String
        public var records: String
        public var tasksWithRecords: String
        /// Results that reached their target, and dated tasks delivered on time, as sentences.
        public var achievements: [String]
        public var hasAchievements: Bool
    }

    public struct Goal {
        public var number: Int
        public var title: String
        public var comment: [String]
        public var hasComment: Bool
        public var tasks: [Task]
    }

    public struct Task {
        public var code: String
        public var title: String
        public var deadline: String
        public var status: String
        public var statusCode: String
        public var products: [Product]
        public var hasProducts: Bool
        public var implementers: String
        public var partners: String
        public var hasPartners: Bool
        public var records: String
        public var planned: String?
        public var spent: String?
        public var measures: [Measure]
    }

    /// A product of a task (Table 1) with where it stands at the year's end.
    public struct Product {
        public var name: String
        public var status: String?
        public var statusCode: String?
        /// The delivery date, when delivered.
        public var date: String?
        public var evidenceHref: String?
        public var evidenceLabel: String?

        public init(name: String, status: String? = nil, statusCode: String? = nil, date: String? = nil,
                    evidenceHref: String? = nil, evidenceLabel: String? = nil) {
            self.name = name
            self.status = status
            self.statusCode = statusCode
            self.date = date
            self.evidenceHref = evidenceHref
            self.evidenceLabel = evidenceLabel
        }

        /// One line for the ODT: "name — delivered, 31 December 2024 — evidence: https://…".
        func line(evidenceWord: String) -> String {
            var text = name
            if let status { text += " — \(status)" }
            if let date { text += ", \(date)" }
            if let evidenceHref {
                let label = evidenceLabel.map { $0 == ProductEvidenceLinker.shortLabel(evidenceHref) ? "" : "\($0): " } ?? ""
                text += " — \(evidenceWord): \(label)\(evidenceHref)"
            }
            return text
        }
    }

    public struct Measure {
        public var code: String
        public var name: String
        public var values: [String]
        public var note: String?
        /// The short note beside the value: unit and source, linking to its entry in "How each
        /// number is counted" (`methodHref`); nil without a methodology.
        public var methodNote: String? = nil
        public var methodHref: String? = nil
    }

    /// One number's methodology in the report's language; texts without a translation stay in
    /// the programme's language (`definitionLanguage`, `limitsLanguage`).
    public struct Method {
        /// The element's id in the document, e.g. `method-1.1.a`, `method-result-1`.
        public var anchor: String
        /// "1.1.a" or "Goal 1".
        public var label: String
        public var name: String
        public var definition: String
        public var definitionLanguage: String
        public var unit: String
        public var sources: String
        public var limits: String
        public var limitsLanguage: String
    }

    public struct Risk {
        public var number: Int
        public var goal: Int
        public var name: String
        public var scoreAtStart: Int
        public var score: Int
        public var level: String
        public var levelCode: String
        public var response: String
        public var responseDetail: String
        public var changes: [Change]
        public var hasChanges: Bool
    }

    public struct Change {
        public var date: String
        public var score: Int
        public var reason: String
    }

    public struct Financing {
        public var sources: [Source]
        public var planned: String
        public var spent: String
        public var execution: String
        public var hasEntries: Bool
    }

    public struct Source {
        public var number: Int
        public var name: String
        public var planned: String
        public var spent: String
        public var execution: String
    }

    public struct AnnexGroup {
        public var code: String
        public var title: String
        public var count: String
        public var records: [AnnexRow]
    }

    public struct AnnexRow {
        public var date: String
        public var title: String
        public var organisation: String
        public var district: String
        public var participants: String
        public var amount: String
    }
}

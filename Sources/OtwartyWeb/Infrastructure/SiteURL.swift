import OtwartyCore

/// Every page's address, in one table: `route` says, for each case, its path as literal segments
/// and named parameters, and both the router pattern (`pattern`) and the link (`path(_:query:fragment:)`)
/// are derived from it, so a case cannot exist without both and a link cannot point at a route
/// that does not exist. Routes are registered only from these addresses (`Routes.page`).
/// Pages live under a language prefix (`/pl/…`, `/en/…`, `/uk/…`); see docs/architecture.md.
/// Addresses that are the same in every language (the API, open data, downloads) are `SharedURL`.
public enum SiteURL: Sendable, Hashable {
    case home
    case programme(slug: String)
    case goal(slug: String, number: Int)
    case task(slug: String, code: String)
    case results(slug: String)
    case risks(slug: String)
    case login
    case loginCode
    case twoFactor
    case twoFactorQR
    case twoFactorConfirm
    case twoFactorRemove
    /// A signed-in user's own password change (issue 14 F).
    case accountPassword
    case adminUserSecondFactor(UserID)
    case logout
    case setup(token: String)
    case invitation(token: String)
    case adminUsers
    case adminUserDisable(UserID)
    case adminUserEnable(UserID)
    case adminUserLink(UserID)
    case handlerAccountRequests
    case handlerAccountApprove(Int64)
    case handlerAccountReject(Int64)
    case handlerNotice
    case adminOrganisations
    case dashboard
    case activities
    case activityNew
    case activity(ActivityID)
    case activityEdit(ActivityID)
    case activitySubmit(ActivityID)
    case activityApprove(ActivityID)
    case activityReturn(ActivityID)
    case review
    case organisations
    case referenceStatistics
    case exportActivities
    case activityImport
    /// An uploaded file's preview (GET) and its confirmation (POST); the template and the codes.
    case activityImportPreview(PendingImportID)
    case activityImportCodes
    case activityImportTemplate
    case exportIndicators
    case organisation(OrganisationID)
    case organisationCoordinators(OrganisationID)
    case riskAssessments(slug: String)
    case reports
    /// Each task's products (Table 1) and where they stand (issue 13 C).
    case products
    /// The form for product `number` (1-based) of task `code`.
    case product(code: String, number: Int)
    case report(year: Int)
    case reportDraft(year: Int, format: ReportFormat)
    case reportNarrative(year: Int)
    case reportFreeze(year: Int)
    case reportVersion(year: Int, number: Int, format: ReportFormat)
    case budget
    case budgetDelete
    case budgetImport
    case budgetExport
    case reportIncident
    case incidentStatus
    case incidentAddInformation
    /// The reporter's confirmation page after sending (post/redirect/get), and its POST-only
    /// download of the code and passphrase as a text file.
    case incidentReceived
    case incidentReceipt
    /// The help contacts reporters see, kept by the programme coordinator.
    case manageHelpContacts
    case helpContact(Int64)
    case helpContactDelete(Int64)
    /// The registers measures count (issue 13 D): dialogue bodies (3.4.a) and the contact base of
    /// intercultural and Roma assistants (5.5.a); each entry's edit page, "end" and "delete".
    case manageDialogueBodies
    case dialogueBody(Int64)
    case dialogueBodyEnd(Int64)
    case dialogueBodyDelete(Int64)
    case manageAssistants
    case assistant(Int64)
    case assistantEnd(Int64)
    case assistantDelete(Int64)
    case incidentStatistics
    case incidentStatisticsCSV
    case incidentStatisticsODIHR
    case incidents
    case incidentCase(IncidentID)
    case incidentTriage(IncidentID)
    case incidentRefer(IncidentID)
    case incidentAction(IncidentID)
    case incidentClose(IncidentID)
    /// Who may read a case (issue 14): a reader seals the case's key to another handler, or takes it back.
    case incidentAccessGrant(IncidentID)
    case incidentAccessRevoke(IncidentID)
    case conflictRisk
    case conflictRiskCSV
    case policeStatisticsImport
    case documents
    case manageDocuments
    case servicePoints
    case serviceFeedback
    case manageServicePoints
    case patronage
    case managePatronage
    case patronageDecision(Int64)
    case ambassador
    case manageAmbassador
    case nominationScore(Int64)
    case nominationWinner(Int64)
    case progress
    case events
    case accessibility
    case openData
    case riskNew(slug: String)
    case riskDetails(slug: String, number: Int)

    /// The table: the path after the language prefix, segment by segment. Parameter names are the
    /// ones the controllers read (`context.parameters.get("slug")`).
    var route: [PathSegment] {
        switch self {
        case .home: return []
        case let .programme(slug): return ["programmes", .value("slug", slug)]
        case let .goal(slug, number): return ["programmes", .value("slug", slug), "goals", .value("number", number)]
        case let .task(slug, code): return ["programmes", .value("slug", slug), "tasks", .value("code", code)]
        case let .results(slug): return ["programmes", .value("slug", slug), "results"]
        case let .risks(slug): return ["programmes", .value("slug", slug), "risks"]
        case let .riskNew(slug): return ["programmes", .value("slug", slug), "risks", "new"]
        case let .riskDetails(slug, number): return ["programmes", .value("slug", slug), "risks", .value("number", number), "details"]
        case let .riskAssessments(slug): return ["programmes", .value("slug", slug), "risks", "assessments"]
        case .login: return ["login"]
        case .loginCode: return ["login", "code"]
        case .twoFactor: return ["account", "two-factor"]
        case .twoFactorQR: return ["account", "two-factor", "qr.svg"]
        case .twoFactorConfirm: return ["account", "two-factor", "confirm"]
        case .twoFactorRemove: return ["account", "two-factor", "remove"]
        case .accountPassword: return ["account", "password"]
        case let .adminUserSecondFactor(id): return ["admin", "users", .value("id", id), "second-factor", "remove"]
        case .logout: return ["logout"]
        case let .setup(token): return ["setup", .value("token", token)]
        case let .invitation(token): return ["invitation", .value("token", token)]
        case .adminUsers: return ["admin", "users"]
        case let .adminUserDisable(id): return ["admin", "users", .value("id", id), "disable"]
        case let .adminUserEnable(id): return ["admin", "users", .value("id", id), "enable"]
        case let .adminUserLink(id): return ["admin", "users", .value("id", id), "link"]
        case .handlerAccountRequests: return ["admin", "handler-accounts"]
        case let .handlerAccountApprove(id): return ["admin", "handler-accounts", .value("id", id), "approve"]
        case let .handlerAccountReject(id): return ["admin", "handler-accounts", .value("id", id), "reject"]
        case .handlerNotice: return ["account", "handler-changes"]
        case .adminOrganisations: return ["admin", "organisations"]
        case .dashboard: return ["dashboard"]
        case .activities: return ["activities"]
        case .activityNew: return ["activities", "new"]
        case let .activity(id): return ["activities", .value("id", id)]
        case let .activityEdit(id): return ["activities", .value("id", id), "edit"]
        case let .activitySubmit(id): return ["activities", .value("id", id), "submit"]
        case let .activityApprove(id): return ["activities", .value("id", id), "approve"]
        case let .activityReturn(id): return ["activities", .value("id", id), "return"]
        case .review: return ["review"]
        case .organisations: return ["organisations"]
        case let .organisation(id): return ["organisations", .value("id", id)]
        case let .organisationCoordinators(id): return ["organisations", .value("id", id), "coordinators"]
        case .referenceStatistics: return ["reference-statistics"]
        case .exportActivities: return ["exports", "activities.csv"]
        case .exportIndicators: return ["exports", "indicators.csv"]
        case .activityImport: return ["import"]
        case let .activityImportPreview(id): return ["import", "pending", .value("id", id)]
        case .activityImportCodes: return ["import", "codes"]
        case .activityImportTemplate: return ["import", "template.csv"]
        case .reports: return ["reports"]
        case .products: return ["reports", "products"]
        case let .product(code, number): return ["reports", "products", .value("code", code), .value("number", number)]
        case let .report(year): return ["reports", .value("year", year)]
        case let .reportDraft(year, format): return ["reports", .value("year", year), "draft", .value("format", format.rawValue)]
        case let .reportNarrative(year): return ["reports", .value("year", year), "narrative"]
        case let .reportFreeze(year): return ["reports", .value("year", year), "freeze"]
        case let .reportVersion(year, number, format):
            return ["reports", .value("year", year), "versions", .value("number", number), .value("format", format.rawValue)]
        case .budget: return ["budget"]
        case .budgetDelete: return ["budget", "delete"]
        case .budgetImport: return ["budget", "import"]
        case .budgetExport: return ["budget", "budget.csv"]
        case .reportIncident: return ["report-incident"]
        case .incidentStatus: return ["report-incident", "status"]
        case .incidentAddInformation: return ["report-incident", "status", "add"]
        case .incidentReceived: return ["report-incident", "received"]
        case .incidentReceipt: return ["report-incident", "received", "receipt.txt"]
        case .manageHelpContacts: return ["manage", "help-contacts"]
        case let .helpContact(id): return ["manage", "help-contacts", .value("id", id)]
        case let .helpContactDelete(id): return ["manage", "help-contacts", .value("id", id), "delete"]
        case .manageDialogueBodies: return ["manage", "dialogue-bodies"]
        case let .dialogueBody(id): return ["manage", "dialogue-bodies", .value("id", id)]
        case let .dialogueBodyEnd(id): return ["manage", "dialogue-bodies", .value("id", id), "end"]
        case let .dialogueBodyDelete(id): return ["manage", "dialogue-bodies", .value("id", id), "delete"]
        case .manageAssistants: return ["manage", "assistants"]
        case let .assistant(id): return ["manage", "assistants", .value("id", id)]
        case let .assistantEnd(id): return ["manage", "assistants", .value("id", id), "end"]
        case let .assistantDelete(id): return ["manage", "assistants", .value("id", id), "delete"]
        case .incidentStatistics: return ["incident-statistics"]
        case .incidentStatisticsCSV: return ["incident-statistics", "statistics.csv"]
        case .incidentStatisticsODIHR: return ["incident-statistics", "odihr.csv"]
        case .incidents: return ["incidents"]
        case let .incidentCase(id): return ["incidents", .value("id", id)]
        case let .incidentTriage(id): return ["incidents", .value("id", id), "triage"]
        case let .incidentRefer(id): return ["incidents", .value("id", id), "refer"]
        case let .incidentAction(id): return ["incidents", .value("id", id), "action"]
        case let .incidentClose(id): return ["incidents", .value("id", id), "close"]
        case let .incidentAccessGrant(id): return ["incidents", .value("id", id), "access", "grant"]
        case let .incidentAccessRevoke(id): return ["incidents", .value("id", id), "access", "revoke"]
        case .conflictRisk: return ["conflict-risk"]
        case .conflictRiskCSV: return ["conflict-risk", "analysis.csv"]
        case .policeStatisticsImport: return ["conflict-risk", "police"]
        case .documents: return ["documents"]
        case .manageDocuments: return ["manage", "documents"]
        case .servicePoints: return ["service-points"]
        case .serviceFeedback: return ["service-points", "feedback"]
        case .manageServicePoints: return ["manage", "service-points"]
        case .patronage: return ["patronage"]
        case .managePatronage: return ["manage", "patronage"]
        case let .patronageDecision(id): return ["manage", "patronage", .value("id", id), "decision"]
        case .ambassador: return ["ambassador"]
        case .manageAmbassador: return ["manage", "ambassador"]
        case let .nominationScore(id): return ["manage", "ambassador", "nominations", .value("id", id), "score"]
        case let .nominationWinner(id): return ["manage", "ambassador", "nominations", .value("id", id), "winner"]
        case .progress: return ["progress"]
        case .events: return ["events"]
        case .accessibility: return ["accessibility"]
        case .openData: return ["open-data"]
        }
    }

    /// The link in `language`: path parameters percent-encoded as path segments, then the query
    /// parameters in the order given, then the fragment (an element id the page itself writes).
    /// The home page's link ends in `/` (`/pl/`), its pattern does not (`/:lang`).
    public func path(_ language: String, query: [QueryParameter] = [], fragment: String? = nil) -> String {
        "/" + PathSegment.encode(language) + "/" + route.map(\.encoded).joined(separator: "/")
            + QueryParameter.queryString(query) + (fragment.map { "#" + $0 } ?? "")
    }

    /// The router pattern for the case's shape (its associated values are ignored).
    public var pattern: String {
        "/:lang" + route.map { "/" + $0.pattern }.joined()
    }

    /// One example of each case, for tests: `SiteURLTests` checks that every registered page route
    /// has one here and that each example's link reaches its own pattern.
    public static let examples: [SiteURL] = [
        .products, .product(code: "2.2", number: 1),
        .home, .programme(slug: "s"), .goal(slug: "s", number: 1), .task(slug: "s", code: "1.1"),
        .results(slug: "s"), .risks(slug: "s"), .login, .loginCode, .twoFactor, .twoFactorQR, .twoFactorConfirm,
        .twoFactorRemove, .accountPassword, .adminUserSecondFactor(1), .logout, .setup(token: "t"), .invitation(token: "t"),
        .adminUsers, .adminUserDisable(1), .adminUserEnable(1), .adminUserLink(1), .adminOrganisations,
        .handlerAccountRequests, .handlerAccountApprove(1), .handlerAccountReject(1), .handlerNotice,
        .dashboard, .activities, .activityNew, .activity(1), .activityEdit(1), .activitySubmit(1), .activityApprove(1),
        .activityReturn(1), .review, .organisations, .referenceStatistics, .exportActivities, .exportIndicators, .activityImport,
        .activityImportPreview(1), .activityImportCodes, .activityImportTemplate,
        .organisation(1), .organisationCoordinators(1), .riskAssessments(slug: "s"), .reports, .report(year: 2025),
        .reportDraft(year: 2025, format: .odt), .reportNarrative(year: 2025), .reportFreeze(year: 2025),
        .reportVersion(year: 2025, number: 1, format: .pdf), .budget, .budgetDelete, .budgetImport, .budgetExport,
        .reportIncident, .incidentStatus, .incidentAddInformation, .incidentReceived, .incidentReceipt, .manageHelpContacts,
        .helpContact(1), .helpContactDelete(1), .incidentStatistics, .incidentStatisticsCSV,
        .manageDialogueBodies, .dialogueBody(1), .dialogueBodyEnd(1), .dialogueBodyDelete(1),
        .manageAssistants, .assistant(1), .assistantEnd(1), .assistantDelete(1),
        .incidentStatisticsODIHR, .incidents, .incidentCase(1), .incidentTriage(1), .incidentRefer(1), .incidentAction(1),
        .incidentClose(1), .incidentAccessGrant(1), .incidentAccessRevoke(1), .conflictRisk, .conflictRiskCSV, .policeStatisticsImport, .progress, .events, .accessibility,
        .openData, .documents, .manageDocuments, .servicePoints, .serviceFeedback, .manageServicePoints, .patronage,
        .managePatronage, .patronageDecision(1), .ambassador, .manageAmbassador, .nominationScore(1), .nominationWinner(1),
        .riskNew(slug: "s"), .riskDetails(slug: "s", number: 1),
    ]
}

/// Addresses that are the same in every language, in the same form of table as `SiteURL`: the bare
/// `/`, the stylesheet, the health check, the JSON API, the open-data files and document downloads.
/// Routes are registered only from these addresses (`Routes.api`, and `Routes.page` for `/`).
public enum SharedURL: Sendable, Hashable {
    /// The bare `/`, which sends visitors to their language.
    case root
    case stylesheet
    case health
    /// Readiness for a load balancer: 503 while the database does not answer (issue 15).
    case ready
    /// Prometheus metrics for the operator, behind `OTWARTY_METRICS_TOKEN` (404 otherwise; issue 15).
    case metrics
    case openAPI
    case apiProgrammes
    case apiProgramme
    case apiActivities
    case apiActivity(ActivityID)
    case apiIndicators
    case apiIncidents
    case apiIncidentStatus
    case apiIncidentStatistics
    case apiOpenData
    case openDataTasksCSV
    case openDataIATI
    case openDataIndicatorsCSV(year: Int)
    case openDataIndicatorsJSON(year: Int)
    case openDataEventsCSV(year: Int)
    case openDataEventsJSON(year: Int)
    /// A dataset's metadata (SIMS-like), by the catalogue's identifier, e.g. `indicators-2025`.
    case openDataMetadata(dataset: String)
    case document(Int64)

    /// The table: the whole path, segment by segment.
    var route: [PathSegment] {
        switch self {
        case .root: return []
        case .stylesheet: return ["static", "otwarty.css"]
        case .health: return ["healthz"]
        case .ready: return ["readyz"]
        case .metrics: return ["metrics"]
        case .openAPI: return ["api", "v1", "openapi.json"]
        case .apiProgrammes: return ["api", "v1", "programmes"]
        case .apiProgramme: return ["api", "v1", "programme"]
        case .apiActivities: return ["api", "v1", "activities"]
        case let .apiActivity(id): return ["api", "v1", "activities", .value("id", id)]
        case .apiIndicators: return ["api", "v1", "indicators"]
        case .apiIncidents: return ["api", "v1", "incidents"]
        case .apiIncidentStatus: return ["api", "v1", "incidents", "status"]
        case .apiIncidentStatistics: return ["api", "v1", "statistics", "incidents"]
        case .apiOpenData: return ["api", "v1", "open-data"]
        case .openDataTasksCSV: return ["open-data", "programme-tasks.csv"]
        case .openDataIATI: return ["open-data", "iati-results.xml"]
        case let .openDataIndicatorsCSV(year): return ["open-data", .value("year", year), "indicators.csv"]
        case let .openDataIndicatorsJSON(year): return ["open-data", .value("year", year), "indicators.json"]
        case let .openDataEventsCSV(year): return ["open-data", .value("year", year), "events.csv"]
        case let .openDataEventsJSON(year): return ["open-data", .value("year", year), "events.json"]
        case let .openDataMetadata(dataset): return ["open-data", "metadata", .value("dataset", dataset)]
        case let .document(id): return ["documents", .value("id", id)]
        }
    }

    /// The link: path parameters percent-encoded as path segments, then the query parameters in
    /// the order given.
    public func path(query: [QueryParameter] = []) -> String {
        "/" + route.map(\.encoded).joined(separator: "/") + QueryParameter.queryString(query)
    }

    /// The router pattern for the case's shape (its associated values are ignored).
    public var pattern: String {
        "/" + route.map(\.pattern).joined(separator: "/")
    }

    /// One example of each case, for tests (as `SiteURL.examples`).
    public static let examples: [SharedURL] = [
        .root, .stylesheet, .health, .ready, .metrics, .openAPI, .apiProgrammes, .apiProgramme, .apiActivities, .apiActivity(1),
        .apiIndicators, .apiIncidents, .apiIncidentStatus, .apiIncidentStatistics, .apiOpenData, .openDataTasksCSV,
        .openDataIATI, .openDataIndicatorsCSV(year: 2025), .openDataIndicatorsJSON(year: 2025),
        .openDataEventsCSV(year: 2025), .openDataEventsJSON(year: 2025), .openDataMetadata(dataset: "indicators-2025"),
        .document(1),
    ]
}

/// One segment of an address's path: fixed text, or a value the route reads by name.
public enum PathSegment: Sendable, Hashable, ExpressibleByStringLiteral {
    case literal(String)
    case parameter(name: String, value: String)

    public init(stringLiteral text: String) { self = .literal(text) }

    static func value(_ name: String, _ value: some CustomStringConvertible) -> PathSegment {
        .parameter(name: name, value: value.description)
    }

    /// In the router pattern: the text, or `:name`.
    var pattern: String {
        switch self {
        case let .literal(text): return text
        case let .parameter(name, _): return ":" + name
        }
    }

    /// In a link: the text, or the value percent-encoded so it stays one segment whatever it holds.
    var encoded: String {
        switch self {
        case let .literal(text): return text
        case let .parameter(_, value): return Self.encode(value)
        }
    }

    /// Every byte but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded:
    /// slugs, numbers, task codes and tokens come out unchanged, and a `/`, `?` or `#` in a value
    /// can never start another segment, the query or the fragment.
    static func encode(_ value: String) -> String {
        PercentEncoding.encode(value, keeping: PercentEncoding.unreserved)
    }
}

/// A query parameter of a link. The name is one of those the pages read; the value is
/// percent-encoded when the link is written (`SiteURL.path(_:query:fragment:)`) and decoded by the
/// router's `queryParameters`, so any text goes through unchanged.
public struct QueryParameter: Sendable, Hashable {
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case year, page, status, measure, result, task, kind, view, slug, next
        /// The review queue's filters: an organisation's id and the words searched for.
        case organisation, search
        /// The review queue's "only flagged records" (`flagged=1`, issue 13 G).
        case flagged
    }

    public var name: Name
    public var value: String

    public init(_ name: Name, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func year(_ year: Int) -> QueryParameter { .init(.year, String(year)) }
    public static func page(_ page: Int) -> QueryParameter { .init(.page, String(page)) }
    /// A results-declaration goal (the activities list's drill-down).
    public static func result(_ goal: Int) -> QueryParameter { .init(.result, String(goal)) }
    public static func status(_ status: String) -> QueryParameter { .init(.status, status) }
    public static func measure(_ code: String) -> QueryParameter { .init(.measure, code) }
    public static func task(_ code: String) -> QueryParameter { .init(.task, code) }
    public static func kind(_ kind: String) -> QueryParameter { .init(.kind, kind) }
    public static func organisation(_ id: Int64) -> QueryParameter { .init(.organisation, String(id)) }
    public static func search(_ words: String) -> QueryParameter { .init(.search, words) }
    /// The review queue shows only records with a data-quality flag.
    public static let onlyFlagged = QueryParameter(.flagged, "1")
    public static func view(_ view: String) -> QueryParameter { .init(.view, view) }
    public static func slug(_ slug: String) -> QueryParameter { .init(.slug, slug) }
    /// Where to go after signing in: a path already checked by `RedirectTarget`.
    public static func next(_ path: String) -> QueryParameter { .init(.next, path) }

    /// `name=value`. A value keeps only RFC 3986's unreserved characters, so `&`, `=`, `#`, `+`
    /// (read as a space by form decoders), `/`, spaces and non-ASCII text are all escaped. A `next`
    /// keeps letters and digits only, the form sign-in links have always had (`next=%2Fpl%2Freview`);
    /// either form decodes to the same text.
    var encoded: String {
        let keep = name == .next ? PercentEncoding.lettersAndDigits : PercentEncoding.unreserved
        return name.rawValue + "=" + PercentEncoding.encode(value, keeping: keep)
    }

    /// `?a=1&b=2`, or nothing for no parameters.
    static func queryString(_ parameters: [QueryParameter]) -> String {
        parameters.isEmpty ? "" : "?" + parameters.map(\.encoded).joined(separator: "&")
    }
}

/// Percent-encoding of UTF-8 bytes (RFC 3986 §2.1), with upper-case hex digits.
enum PercentEncoding {
    static let lettersAndDigits: Set<UInt8> = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    static let unreserved: Set<UInt8> = lettersAndDigits.union("-._~".utf8)

    static func encode(_ text: String, keeping kept: Set<UInt8>) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if kept.contains(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Foundation
import Hummingbird
import OtwartyCore
import OtwartySuppression

/// The public incident API (openapi.yaml): report, check a case, and the suppressed statistics.
/// No sign-in; throttled in memory like the forms; nothing about the caller is stored or logged.
struct IncidentsAPIController {
    let dependencies: WebDependencies

    struct ReportBody: Decodable {
        var narrative: String
        var occurredOn: String?
        var district: Int?
        var place: String?
        var category: IncidentCategory
        var motivations: [BiasMotivation]
        var reporterRole: ReporterRole
        var policeInformed: PoliceInformed?
        var contact: String?
        var consentToContact: Bool?
        var language: String?
    }

    struct CredentialsBody: Codable {
        var caseCode: String
        var passphrase: String
    }

    struct StatusAnswer: Encodable {
        struct Update: Encodable {
            var date: String
            var kind: String
            /// null when the update has no text, or when its copy for the reporter is not made yet
            /// (`textPending`); written as an explicit null.
            @Nullable var text: String?
            /// The update has a text that the reporter can read once a handler next opens the case.
            var textPending: Bool
        }
        var caseCode: String
        var status: String
        var receivedOn: String
        var updates: [Update]
    }

    struct StatisticsAnswer: Encodable {
        struct Figure: Encodable {
            var key: String
            /// nil when suppressed; written as an explicit null.
            @Nullable var count: Int?
            var suppressed: Bool
        }
        struct Table: Encodable {
            var rows: [Figure]
            var total: Figure
        }
        struct Matrix: Encodable {
            var motivations: [String]
            var categories: [String]
            var cells: [[Figure]]
            var motivationTotals: [Figure]
            var categoryTotals: [Figure]
            var total: Figure
        }
        var year: Int
        /// What is counted: cases a handler confirmed as bias-motivated, never untriaged reports.
        var counts = "cases-confirmed-by-handler"
        var threshold: Int
        var byMonth: Table
        var byDistrict: Table
        var byCategory: Table
        var byMotivation: Table
        var odihr: Matrix
    }

    func register(on routes: Routes) {
        routes.api(.post, .apiIncidents, access: .everyone) { request, context in try await report(request, context) }
        routes.api(.post, .apiIncidentStatus, access: .everyone) { request, context in try await status(request, context) }
        routes.api(.get, .apiIncidentStatistics, access: .everyone) { request, _ in try await statistics(request) }
    }

    func throttle(_ action: AnonymousThrottle.Action, _ context: AppRequestContext) async throws {
        try await dependencies.incidentThrottle.check(action, client: context.clientAddress, now: dependencies.clock.now())
    }

    func report(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await throttle(.report, context)
        let body = try await request.decodeJSONBody(ReportBody.self, maxBytes: 64 * 1024)
        var errors: [FieldError] = []
        var occurredOn: CalendarDate?
        if let text = body.occurredOn {
            occurredOn = CalendarDate(iso: text)
            if occurredOn == nil { errors.append(FieldError(field: "occurredOn", messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)")) }
        }
        var district: District?
        if let number = body.district {
            district = District(number: number)
            if district == nil { errors.append(FieldError(field: "district", messageKey: "error.activity.district", message: "must be 1–18")) }
        }
        let language = body.language ?? "pl"
        if !dependencies.localiser.supports(language) {
            errors.append(FieldError(field: "language", messageKey: "error.invalid", message: "must be pl, en, uk or ru"))
        }
        guard errors.isEmpty else { throw DomainError.invalid(errors) }
        let credentials = try await dependencies.incidents.submit(IncidentReport(
            narrative: body.narrative, occurredOn: occurredOn, district: district, place: body.place ?? "", category: body.category,
            motivations: Set(body.motivations), reporterRole: body.reporterRole, policeInformed: body.policeInformed ?? .unknown,
            contact: body.contact ?? "", consentToContact: body.consentToContact ?? false, language: language))
        return try APIJSON.response(CredentialsBody(caseCode: credentials.caseCode, passphrase: credentials.passphrase), status: .created)
    }

    func status(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await throttle(.lookup, context)
        let body = try await request.decodeJSONBody(CredentialsBody.self, maxBytes: 4 * 1024)
        let result = try await dependencies.incidents.status(caseCode: body.caseCode, passphrase: body.passphrase)
        return try APIJSON.response(StatusAnswer(
            caseCode: result.caseCode, status: result.status.rawValue, receivedOn: result.receivedOn.description,
            updates: result.updates.map { .init(date: $0.on.description, kind: $0.kind.rawValue, text: $0.text, textPending: $0.textPending) }))
    }

    func statistics(_ request: Request) async throws -> Response {
        let now = dependencies.clock.year
        guard let text = request.uri.queryParameters.get("year"), let year = NumberRange.year.int(text), (2000...now).contains(year) else {
            throw DomainError.invalid([FieldError(field: "year", messageKey: "error.invalid", message: "give ?year=YYYY, up to \(now)")])
        }
        let s = IncidentStatistics.build(year: year, facts: try await dependencies.repositories.incidents.facts(year: year))
        func figure(_ key: String, _ count: PublishedCount) -> StatisticsAnswer.Figure {
            .init(key: key, count: count.exactValue, suppressed: count.isSuppressed)
        }
        func table(_ list: IncidentStatistics.List) -> StatisticsAnswer.Table {
            .init(rows: zip(list.keys, list.cells).map(figure), total: figure("total", list.total))
        }
        let m = s.odihr
        var response = try APIJSON.response(StatisticsAnswer(
            year: year, threshold: s.threshold, byMonth: table(s.byMonth), byDistrict: table(s.byDistrict),
            byCategory: table(s.byCategory), byMotivation: table(s.byMotivation),
            odihr: .init(motivations: m.rowLabels, categories: m.columnLabels,
                         cells: m.cells.enumerated().map { r, row in row.enumerated().map { figure("\(m.rowLabels[r])/\(m.columnLabels[$0])", $1) } },
                         motivationTotals: zip(m.rowLabels, m.rowTotals).map(figure),
                         categoryTotals: zip(m.columnLabels, m.columnTotals).map(figure), total: figure("total", m.grandTotal))))
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }
}

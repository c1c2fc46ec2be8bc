import Foundation
import Hummingbird
import OtwartyCore
import OtwartySuppression

/// Task 6.2: police statistics (CSV import) beside incident reports, per district and category,
/// with trends, for the risk-monitoring team. Incident figures are suppressed here as well: the
/// analysis is exported and passed around.
struct ConflictRiskController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    static let readers = Access.roles(IncidentService.handlers.union([.administrator, .viewer, .unitCoordinator]))
    static let editors = Access.roles(IncidentService.handlers)

    func register(on routes: Routes) {
        routes.page(.get, .conflictRisk, access: Self.readers) { request, context in
            try await show(context, year: try year(request))
        }
        routes.page(.get, .conflictRiskCSV, access: Self.readers) { request, context in try await export(request, context) }
        routes.page(.post, .policeStatisticsImport, access: Self.editors, body: .upload) { _, context in try await importFile(context) }
    }

    func year(_ request: Request) throws -> Int {
        let now = dependencies.clock.year
        guard let year = try request.number("year", in: .year) else { return now - 1 }
        guard (2000...now).contains(year) else { throw DomainError.notFound("Year \(year)") }
        return year
    }

    func analysis(_ year: Int) async throws -> ConflictRiskAnalysis {
        let repositories = dependencies.repositories
        var population: [Int: Double] = [:]
        for n in 1...18 {
            if let value = try await repositories.references.current(key: "population-district-\(n)", year: year) {
                population[n] = value.value
            }
        }
        return ConflictRiskAnalysis.build(year: year, incidents: try await repositories.incidents.facts(year: year),
                                          police: try await repositories.policeStatistics.rows(years: (year - 2)...year),
                                          population: population)
    }

    func show(_ context: AppRequestContext, year: Int, problems: [String] = [], notice: String? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let a = try await analysis(year)
        let format = Formatting(language: language)
        let suppressed = localiser.text("statistics.suppressed", language)
        func label(_ d: District?) -> String { d?.label ?? localiser.text("statistics.district-unknown", language) }
        func rate(_ r: Double?) -> String { r.map { format.number($0, maxFractionDigits: 1) } ?? "—" }
        let canImport = context.user.map { IncidentService.handlers.contains($0.role) } ?? false
        let now = dependencies.clock.year
        var chrome = dependencies.renderer.chrome(context, title: "\(localiser.text("conflict.title", language)) \(year)", url: .conflictRisk)
        if let notice = context.notice, notice.kind == .policeImported, let rows = notice.subject {
            chrome.notice?.items = [localiser.plural("conflict.imported", count: Int(rows), language)]
        }
        let model = ConflictRiskShow.Model(
            page: chrome,
            year: year, years: (max(2020, now - 6)...now).map { .init(year: $0, href: SiteURL.conflictRisk.path(language, query: [.year($0)]), isCurrent: $0 == year) },
            earlierYears: a.earlierYears.map(String.init),
            districts: a.districts.map { row in
                .init(label: label(row.district), incidents: row.incidents.exactValue.map(String.init) ?? suppressed,
                      police: String(row.police), policeEarlier: row.policeEarlier.map(String.init), rate: rate(row.rate),
                      rateEarlier: rate(row.rateEarlier),
                      change: row.change.map { ($0 > 0 ? "+" : "") + format.number($0, maxFractionDigits: 1) } ?? "—")
            },
            categories: a.policeCategories.map { .init(label: $0.category, count: String($0.count), earlier: $0.earlier.map(String.init)) },
            hasCategories: !a.policeCategories.isEmpty,
            risers: a.risers.map { label($0.district) }, hasRisers: !a.risers.isEmpty,
            csvHref: SiteURL.conflictRiskCSV.path(language, query: [.year(year)]),
            importAction: canImport ? SiteURL.policeStatisticsImport.path(language) : nil,
            meetingHref: SiteURL.activityNew.path(language, query: [.task("6.2"), .kind(ActivityKind.meeting.rawValue)]),
            columns: PoliceStatisticsCSV.columns.joined(separator: ","), problems: problems, notice: notice,
            suppressedLabel: suppressed)
        return try dependencies.renderer.render(ConflictRiskShow.template, model, status: status).response()
    }

    func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let year = try year(request)
        let a = try await analysis(year)
        // Every column but the district's holds numbers; a negative change stays a number.
        var writer = CSVWriter(byteOrderMark: true, numericColumns: Set(0..<64).subtracting([1]))
        writer.writeRow(["year", "district", "incident_reports", "police_offences"] + a.earlierYears.map { "police_offences_\($0)" }
                        + ["police_rate_per_10000", "police_rate_per_10000_\(a.earlierYears.last ?? year - 1)", "change"])
        let suppressed = localiser.text("statistics.suppressed", context.language)
        func decimal(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "" }
        for row in a.districts {
            var cells: [String] = [String(year), row.district.map { String($0.number) } ?? "unknown"]
            cells.append(row.incidents.exactValue.map(String.init) ?? suppressed)
            cells.append(String(row.police))
            cells += row.policeEarlier.map(String.init)
            cells += [decimal(row.rate), decimal(row.rateEarlier), decimal(row.change)]
            writer.writeRow(cells)
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"conflict-risk-\(year).csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: writer.text)))
    }

    func importFile(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let now = dependencies.clock.year
        let year = context.form.number("year", in: .year).flatMap { (2000...now).contains($0) ? $0 : nil } ?? now - 1
        guard let file = context.uploads["file"], !file.bytes.isEmpty else {
            return try await show(context, year: year, problems: [localiser.text("import.no-file", language)], status: .unprocessableContent)
        }
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return try await show(context, year: year, problems: [localiser.text("import.not-utf8", language)], status: .unprocessableContent)
        }
        switch try await dependencies.policeStatistics.importCSV(text, by: context.user?.id) {
        case let .refused(problems):
            return try await show(context, year: year, problems: Array(problems.prefix(50)), status: .unprocessableContent)
        case let .imported(rows, _):
            // Post/redirect/get (issue 12, helper H): the banner's subject is the number of rows stored.
            return redirect(to: SiteURL.conflictRisk.path(language, query: [.year(year)]), notice: Notice(.policeImported, subject: Int64(rows)))
        }
    }
}

public enum ConflictRiskShow {
    public static let template = "conflict-risk"
    public struct Model {
        public var page: PageChrome
        public var year: Int
        public var years: [DashboardShow.YearLink]
        public var earlierYears: [String]
        public var districts: [DistrictRow]
        public var categories: [CategoryRow]
        public var hasCategories: Bool
        public var risers: [String]
        public var hasRisers: Bool
        public var csvHref: String
        public var importAction: String?
        public var meetingHref: String
        public var columns: String
        public var problems: [String]
        public var notice: String?
        public var suppressedLabel: String
    }

    public struct DistrictRow {
        public var label: String
        public var incidents: String
        public var police: String
        public var policeEarlier: [String]
        public var rate: String
        public var rateEarlier: String
        public var change: String
    }

    public struct CategoryRow {
        public var label: String
        public var count: String
        public var earlier: [String]
    }
}

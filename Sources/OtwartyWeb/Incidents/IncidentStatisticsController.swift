import Foundation
import Hummingbird
import OtwartyCore

/// Public incident statistics (page and CSV, including the ODIHR table). Every number comes from
/// `IncidentStatistics`, which suppresses small counts; nothing here counts cases itself.
struct IncidentStatisticsController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }

    func register(on routes: Routes) {
        routes.page(.get, .incidentStatistics, access: .everyone) { request, context in try await show(request, context) }
        routes.page(.get, .incidentStatisticsCSV, access: .everyone) { request, context in
            try await download(request, context, odihr: false)
        }
        routes.page(.get, .incidentStatisticsODIHR, access: .everyone) { request, context in
            try await download(request, context, odihr: true)
        }
    }

    func years() -> ClosedRange<Int> {
        let now = dependencies.clock.year
        return 2024...max(2024, now)
    }

    func year(_ request: Request) throws -> Int {
        guard let year = try request.number("year", in: .year) else { return years().upperBound }
        guard years().contains(year) else { throw DomainError.notFound("Year \(year)") }
        return year
    }

    func statistics(_ year: Int) async throws -> IncidentStatistics {
        IncidentStatistics.build(year: year, facts: try await dependencies.repositories.incidents.facts(year: year))
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let year = try year(request)
        let presenter = IncidentStatisticsPresenter(statistics: try await statistics(year), language: language, localiser: localiser)
        let model = IncidentStatisticsShow.Model(
            page: dependencies.renderer.chrome(context, title: "\(localiser.text("statistics.title", language)) \(year)",
                                               url: .incidentStatistics),
            year: year, years: years().map { .init(year: $0, href: SiteURL.incidentStatistics.path(language, query: [.year($0)]), isCurrent: $0 == year) },
            lists: presenter.tables(), odihr: presenter.matrix(), threshold: presenter.statistics.threshold,
            suppressedLabel: presenter.suppressed,
            csvHref: SiteURL.incidentStatisticsCSV.path(language, query: [.year(year)]),
            odihrHref: SiteURL.incidentStatisticsODIHR.path(language, query: [.year(year)]),
            apiHref: SharedURL.apiIncidentStatistics.path(query: [.year(year)]), reportHref: SiteURL.reportIncident.path(language))
        var response = try dependencies.renderer.render(IncidentStatisticsShow.template, model).response()
        response.headers[.cacheControl] = context.user == nil ? "public, max-age=300" : "no-store"
        return response
    }

    func download(_ request: Request, _ context: AppRequestContext, odihr: Bool) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let year = try year(request)
        let presenter = IncidentStatisticsPresenter(statistics: try await statistics(year), language: language, localiser: localiser)
        let name = odihr ? "odihr-hate-incidents-\(year).csv" : "incident-statistics-\(year).csv"
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: .init(byteBuffer: ByteBuffer(string: odihr ? presenter.odihrCSV() : presenter.csv())))
    }
}

import Foundation
import Hummingbird
import OtwartyCore

/// CSV downloads for spreadsheets: the records a user may see, and a year's indicator values.
/// Every text cell is passed through `CSVWriter`, which neutralises formula injection.
struct ExportController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }

    func register(on routes: Routes) {
        routes.page(.get, .exportActivities, access: .roles(Role.signedIn)) { request, context in try await activities(request, context) }
        routes.page(.get, .exportIndicators, access: .roles(Role.signedIn)) { request, context in try await indicators(request, context) }
    }

    func programme() async throws -> Programme { try await dependencies.defaultProgramme() }

    func activities(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let programme = try await programme()
        var filter = ActivityFilter(programmeSlug: programme.slug)
        filter.year = try request.number("year", in: .year)
        if let status = request.uri.queryParameters.get("status").flatMap(ActivityStatus.init(rawValue:)) { filter.statuses = [status] }
        // Only what the user may see (ActivityService: least privilege per record).
        let records = try await dependencies.activities.list(filter, limit: 1_000_000, offset: 0, as: user)
        let names = Dictionary(try await dependencies.repositories.organisations.all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        // A byte-order mark so spreadsheet programs read the Polish letters as UTF-8.
        let csv = ActivityCSV.export(records: records, organisationName: { names[$0] ?? "" }, includeStatus: true, byteOrderMark: true)
        return download(csv, name: "otwarty-activities\(filter.year.map { "-\($0)" } ?? "").csv")
    }

    func indicators(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.requireLanguage(localiser)
        let programme = try await programme()
        guard let year = try request.number("year", in: .year) else {
            throw DomainError.invalid([FieldError(field: "year", messageKey: "error.invalid.message", message: "is required")])
        }
        // The same file as the open-data download (docs/open-data.md): one definition of its columns.
        let report = try await dependencies.indicators.report(for: programme, year: year)
        let text = OpenDataFiles.indicatorsCSV(OpenDataFiles.indicatorRows(report, year: year))
        return download(text, name: "otwarty-indicators-\(year).csv")
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.6g", value)
    }

    func download(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                        .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

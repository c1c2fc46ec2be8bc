import OtwartyCore

/// A dated task with its products, as the dashboard and the public progress page show them.
public struct ProductTaskLine {
    public var code: String
    public var title: String
    public var href: String
    public var deadline: String
    public var status: String
    public var statusCode: String
    /// "1 / 2"
    public var delivered: String
    public var products: [AnnualReportShow.Product]
}

/// Builds the products block for the year shown: each dated task's status at the end of the year
/// (or today, for the year under way) and its products with public evidence only — the progress
/// page is public and the dashboard is seen by partners too.
struct ProductBlockBuilder {
    let programme: Programme
    let language: String
    let localiser: Localiser
    let repositories: Repositories

    func lines(year: Int, today: CalendarDate) async throws -> [ProductTaskLine] {
        guard let endOfYear = CalendarDate(year: year, month: 12, day: 31) else { return [] }
        let day = min(endOfYear, today)
        let dated = programme.tasks.filter { $0.deadline != nil && !$0.products.isEmpty }
        guard !dated.isEmpty else { return [] }
        let products = try await repositories.products.products(programmeSlug: programme.slug)
        let titles = Dictionary(try await repositories.documents.documents(kind: nil).map { ($0.id, $0.title) },
                                uniquingKeysWith: { first, _ in first })
        let format = Formatting(language: language)
        return dated.map { task in
            let status = TaskDelivery.status(of: task, endOf: day, products: products)
            let shown = AnnualReportBuilder.productLines(of: task, endOf: day, products: products, documentTitles: titles)
            return ProductTaskLine(
                code: task.code, title: task.title, href: SiteURL.task(slug: programme.slug, code: task.code).path(language),
                deadline: task.deadline.map(format.date) ?? "",
                status: localiser.text("report.status.\(status.rawValue)", language), statusCode: status.rawValue,
                delivered: "\(shown.filter { $0.record.status == .delivered }.count) / \(shown.count)",
                products: shown.map { AnnualReportPresenter.product($0, language: language, localiser: localiser) })
        }
    }
}

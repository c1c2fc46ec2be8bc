import Foundation
import Hummingbird
import OtwartyCore

/// The public side beyond the programme pages: progress per year (cached until the data
/// changes), events and initiatives, the accessibility statement and open data.
struct PublicController {
    let dependencies: WebDependencies
    let cache: PublicPageCache
    var localiser: Localiser { dependencies.localiser }
    var repositories: Repositories { dependencies.repositories }

    func register(on routes: Routes) {
        routes.page(.get, .progress, access: .everyone) { request, context in try await progress(request, context) }
        routes.page(.get, .events, access: .everyone) { request, context in try await events(request, context) }
        routes.page(.get, .accessibility, access: .everyone) { _, context in try await accessibility(context) }
        routes.page(.get, .openData, access: .everyone) { _, context in try await openData(context) }
        routes.api(.get, .apiOpenData, access: .everyone) { _, _ in
            try APIJSON.response(try await catalogue().catalogue())
        }
        routes.api(.get, .openDataTasksCSV, access: .everyone) { _, _ in
            csv(OpenDataFiles.tasksCSV(try await programme()), name: "programme-tasks.csv")
        }
        routes.api(.get, .openDataIATI, access: .everyone) { _, _ in try await iati() }
        routes.api(.get, .openDataIndicatorsCSV(year: 0), access: .everyone) { _, context in
            let year = try year(context)
            return csv(OpenDataFiles.indicatorsCSV(try await indicatorRows(year)), name: "indicators-\(year).csv")
        }
        routes.api(.get, .openDataIndicatorsJSON(year: 0), access: .everyone) { _, context in
            try APIJSON.response(try await indicatorRows(try year(context)))
        }
        routes.api(.get, .openDataEventsCSV(year: 0), access: .everyone) { _, context in
            let year = try year(context)
            return csv(OpenDataFiles.eventsCSV(try await eventRows(year: year)), name: "events-\(year).csv")
        }
        routes.api(.get, .openDataEventsJSON(year: 0), access: .everyone) { _, context in
            try APIJSON.response(try await eventRows(year: try year(context)))
        }
        routes.api(.get, .openDataMetadata(dataset: ""), access: .everyone) { _, context in
            try APIJSON.response(try await metadata(context))
        }
    }

    // MARK: Data

    func programme() async throws -> Programme { try await dependencies.defaultProgramme() }

    var today: CalendarDate { dependencies.clock.today }

    func year(_ context: AppRequestContext) throws -> Int {
        try context.pathNumber("year", in: .year, "Year")
    }

    func catalogue() async throws -> OpenDataCatalogue {
        OpenDataCatalogue(programme: try await programme(), baseURL: dependencies.publicBaseURL, today: today, localiser: localiser)
    }

    /// A dataset's SIMS-like metadata; an identifier the catalogue does not list is a 404.
    func metadata(_ context: AppRequestContext) async throws -> OpenDataMetadata {
        // Bounded before use: identifiers are short ASCII names such as `incident-statistics-2025`.
        guard let dataset = context.parameters.get("dataset"), dataset.count <= 40,
              dataset.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw DomainError.notFound("Dataset")
        }
        let catalogue = try await catalogue()
        let updated = try await repositories.programmes.summaries().first { $0.slug == catalogue.programme.slug }?.updatedAt
        guard let metadata = catalogue.metadata(of: dataset, updated: updated.map { OfficeClock().day(of: $0) } ?? today) else {
            throw DomainError.notFound("Dataset \(dataset)")
        }
        return metadata
    }

    func indicatorRows(_ year: Int) async throws -> [OpenDataFiles.IndicatorRow] {
        let programme = try await programme()
        guard programme.period.years.contains(year) else { throw DomainError.notFound("Year \(year)") }
        return OpenDataFiles.indicatorRows(try await dependencies.indicators.report(for: programme, year: year), year: year)
    }

    /// Approved records of the kinds the public can attend, newest first.
    func publicRecords(year: Int, district: District? = nil) async throws -> [ActivityRecord] {
        let programme = try await programme()
        var filter = ActivityFilter(programmeSlug: programme.slug, statuses: [.approved], year: year)
        filter.kinds = ActivityKind.publicKinds // in the database: the other kinds are not read at all
        if let district { filter.district = .some(district) }
        return try await repositories.activities.list(filter, limit: 100_000, offset: 0)
    }

    func eventRows(year: Int) async throws -> [OpenDataFiles.EventRow] {
        let names = Dictionary(try await repositories.organisations.all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return OpenDataFiles.eventRows(try await publicRecords(year: year), names: names)
    }

    func csv(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"",
                                        .cacheControl: "public, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func iati() async throws -> Response {
        let programme = try await programme()
        var reports: [Int: IndicatorReport] = [:]
        for year in programme.period.years where year <= today.year {
            reports[year] = try await dependencies.indicators.report(for: programme, year: year)
        }
        let xml = OpenDataFiles.iati(programme, reports: reports, generated: dependencies.clock.now())
        return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "public, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    // MARK: Pages

    /// The results for a year, as the dashboard shows them, without links into the back office.
    /// Anonymous views are served from the cache; signed-in ones render (their header differs).
    func progress(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        // Parsed before the cache is asked, so only real years make cache keys.
        let requestedYear = try request.number("year", in: .year)
        let shared = context.user == nil
        let render: () async throws -> [UInt8] = {
            let programme = try await programme()
            var year = min(max(today.year, programme.period.from), programme.period.to)
            if let y = requestedYear {
                guard programme.period.years.contains(y) else { throw DomainError.notFound("Year \(y)") }
                year = y
            }
            let title = "\(localiser.text("progress.title", language)) \(year)"
            // A page shared by every anonymous visitor carries no one's CSRF token.
            let chrome = shared
                ? dependencies.renderer.chrome(language: language, user: nil, csrfToken: nil, title: title, url: .progress)
                : dependencies.renderer.chrome(context, title: title, url: .progress)
            var model = try await DashboardBuilder(programme: programme, year: year, language: language, localiser: localiser,
                                                   engine: dependencies.indicators, user: nil, today: today)
                .build(chrome: chrome, awaitingReview: 0)
            model.years = programme.period.years.map { .init(year: $0, href: SiteURL.progress.path(language, query: [.year($0)]), isCurrent: $0 == year) }
            model.exportHref = SiteURL.openData.path(language)
            Self.addGlosses(to: &model, programme: programme, language: language, localiser: localiser)
            model.deliverables = try await ProductBlockBuilder(programme: programme, language: language, localiser: localiser,
                                                               repositories: repositories)
                .lines(year: year, today: today)
            return Array(try dependencies.renderer.render(PublicProgressShow.template, model).body.utf8)
        }
        let bytes: ByteBuffer
        if shared {
            // Looked up before anything else is read: a hit costs one version read. The key holds
            // today's date: the page without ?year= shows the current year, and the current year's page says
            // which day its figures run to.
            let key = "progress/\(language)/\(requestedYear.map(String.init) ?? "-")/\(today)"
            bytes = try await cache.page(key, version: try await repositories.dataVersion.current(), render: render)
        } else {
            bytes = ByteBuffer(bytes: try await render())
        }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8",
                                               .cacheControl: shared ? "public, max-age=60" : "no-store"],
                        body: .init(byteBuffer: bytes))
    }

    /// The public progress page shows each indicator, goal and measure with its gloss in the
    /// reader's language beside the programme's title (the staff dashboard does not).
    static func addGlosses(to model: inout DashboardShow.Model, programme: Programme, language: String, localiser: Localiser) {
        let pages = ProgrammePageBuilder(programme: programme, language: language, localiser: localiser)
        for index in model.results.indices {
            // Rows follow the declaration's order; matched by goal and text in case a row is left out.
            let row = model.results[index]
            if let position = programme.results.firstIndex(where: { $0.goal == row.goal && $0.indicator == row.indicator }) {
                model.results[index].gloss = pages.gloss(.result(position + 1))
            }
        }
        for g in model.goals.indices {
            model.goals[g].gloss = pages.gloss(.goal(model.goals[g].number))
            for m in model.goals[g].measures.indices {
                model.goals[g].measures[m].gloss = pages.gloss(.measure(model.goals[g].measures[m].code))
            }
        }
    }

    func events(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        let query = request.uri.queryParameters
        let district = try request.number("district", in: .district).flatMap(District.init(number:))
        let lang = query.get("language").map { $0.lowercased() } ?? ""
        let from = try request.day("from")
        let to = try request.day("to")
        let firstYear = max(programme.period.from, from?.year ?? min(today.year, programme.period.to))
        let lastYear = min(programme.period.to, to?.year ?? firstYear)
        // Counted and paged by the database: the page read every public record of the year and
        // kept 200 (at a million records a third of a million rows per view; RowCountGuardTests).
        var filter = ActivityFilter(programmeSlug: programme.slug, statuses: [.approved])
        filter.kinds = ActivityKind.publicKinds
        if let district { filter.district = .some(district) }
        if !lang.isEmpty { filter.language = lang }
        // The years shown as days (a record's year is its start date's), within the dates asked for.
        if let first = CalendarDate(year: firstYear, month: 1, day: 1), let last = CalendarDate(year: lastYear, month: 12, day: 31) {
            filter.startsFrom = max(from ?? first, first)
            filter.startsThrough = min(to ?? last, last)
        }
        if firstYear == lastYear { filter.year = firstYear }
        let total = firstYear <= lastYear ? try await repositories.activities.count(filter) : 0
        // Newest first (start date, then id), as the list orders.
        let shown = firstYear <= lastYear ? try await repositories.activities.list(filter, limit: 200, offset: 0) : []
        let names = Dictionary(try await repositories.organisations.all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let format = Formatting(language: language)
        let languages = ["pl", "uk", "en", "ru", "be", "de", "fr", "es", "it", "vi", "ar", "zh"]
        var model = EventsShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("events.title", language), url: .events),
            programme: ProgrammePageBuilder(programme: programme, language: language, localiser: localiser).header(),
            action: SiteURL.events.path(language),
            rows: shown.map { r in
                var date = format.date(r.startDate)
                if let end = r.endDate, end != r.startDate { date += " – " + format.date(end) }
                return .init(date: date, title: r.title, kind: localiser.text("activity.kind.\(r.kind.rawValue)", language),
                             district: r.district?.label ?? localiser.text("dashboard.city-wide", language),
                             languages: r.languages.joined(separator: ", "), organisation: names[r.organisationID] ?? "")
            },
            hasRows: !shown.isEmpty,
            shown: localiser.plural("events.count", count: total, language),
            districts: [.init(value: "", label: localiser.text("events.any-district", language), selected: district == nil)]
                + (1...18).compactMap(District.init(number:)).map { .init(value: String($0.number), label: $0.label, selected: $0 == district) },
            languages: [.init(value: "", label: localiser.text("events.any-language", language), selected: lang.isEmpty)]
                + languages.map { .init(value: $0, label: $0, selected: $0 == lang) },
            from: from?.description ?? "", to: to?.description ?? "", openDataHref: SiteURL.openData.path(language))
        model.isFiltered = district != nil || !lang.isEmpty || from != nil || to != nil
        return try dependencies.renderer.render(EventsShow.template, model).response()
    }

    func accessibility(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let format = Formatting(language: language)
        let model = AccessibilityShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("a11y.title", language), url: .accessibility),
            publishedOn: format.date(CalendarDate(year: 2026, month: 11, day: 25)!),
            updatedOn: format.date(CalendarDate(year: 2026, month: 11, day: 25)!),
            contactEmail: "otwarty@um.krakow.pl")
        return try dependencies.renderer.render(AccessibilityShow.template, model).response()
    }

    func openData(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let catalogue = try await catalogue()
        let model = OpenDataShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("opendata.title", language), url: .openData),
            catalogueHref: SharedURL.apiOpenData.path(),
            datasets: catalogue.datasets().map { d in
                .init(identifier: d.identifier, title: d.title[language] ?? d.identifier, description: d.description[language] ?? "",
                      licence: OpenDataCatalogue.licence, modified: d.modified, temporal: d.temporal,
                      files: d.distributions.map { .init(format: $0.format, href: $0.downloadURL) }
                          + [.init(format: localiser.text("opendata.metadata", language), href: d.metadata)])
            })
        return try dependencies.renderer.render(OpenDataShow.template, model).response()
    }
}

/// The public progress page (the dashboard's model, a public template).
public enum PublicProgressShow {
    public static let template = "progress"
}

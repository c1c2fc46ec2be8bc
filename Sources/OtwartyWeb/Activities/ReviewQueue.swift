import Foundation
import Hummingbird
import OtwartyCore

/// The review queue's filters as the address gives them (`/pl/review?organisation=3&search=…&page=2`),
/// or as an approve form from the queue carries them back, so approving keeps the coordinator
/// where they were. One reader for both, so the two cannot disagree.
struct QueueFilters: Equatable {
    var organisationID: OrganisationID?
    var taskCode: String?
    var year: Int?
    var kind: ActivityKind?
    var search: String?
    /// Only records with a data-quality flag (`flagged=1`; issue 13). Any other value is no tick.
    var onlyFlagged = false
    var page = 1

    /// The longest search kept: a title is at most 300 characters, so a longer search finds nothing anyway.
    static let searchLimit = 200

    /// Reads the filters; a number that is no number (or out of range) is a 400 naming the
    /// parameter, as on every list. A task or kind the programme does not know selects nothing
    /// in particular (the form offers only known ones; an old bookmark still opens the queue).
    init(_ value: (String) -> String?, programme: Programme) throws(BadNumberParameter) {
        func number(_ name: QueryParameter.Name, _ range: NumberRange) throws(BadNumberParameter) -> Int64? {
            guard let text = value(name.rawValue) else { return nil }
            switch range.parse(text) {
            case let .success(number): return number
            case .failure(.empty): return nil
            case .failure: throw BadNumberParameter(name: name.rawValue, range: range)
            }
        }
        organisationID = try number(.organisation, .id)
        year = try number(.year, .year).map { Int($0) }
        page = try number(.page, .page).map { Int($0) } ?? 1
        taskCode = value(QueryParameter.Name.task.rawValue).flatMap { code in programme.tasks.contains { $0.code == code } ? code : nil }
        kind = value(QueryParameter.Name.kind.rawValue).flatMap(ActivityKind.init(rawValue:))
        // A browser sends a GET form's spaces as "+", which the address's decoding leaves as it is
        // (so a "+" typed, sent as %2B, reads the same: a search for a plus sign is not a need).
        let words = value(QueryParameter.Name.search.rawValue)?.replacingOccurrences(of: "+", with: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        search = words.isEmpty ? nil : String(words.prefix(Self.searchLimit))
        onlyFlagged = value(QueryParameter.Name.flagged.rawValue) == QueryParameter.onlyFlagged.value
    }

    init() {}

    var isFiltered: Bool { organisationID != nil || taskCode != nil || year != nil || kind != nil || search != nil || onlyFlagged }

    /// The filters as query parameters, without the page.
    var query: [QueryParameter] {
        var query: [QueryParameter] = []
        if let organisationID { query.append(.organisation(organisationID)) }
        if let taskCode { query.append(.task(taskCode)) }
        if let year { query.append(.year(year)) }
        if let kind { query.append(.kind(kind.rawValue)) }
        if let search { query.append(.search(search)) }
        if onlyFlagged { query.append(.onlyFlagged) }
        return query
    }

    /// The filters and the page (page 1 is left out: it is the queue's plain address).
    var queryWithPage: [QueryParameter] { query + (page > 1 ? [.page(page)] : []) }

    func apply(to filter: ActivityFilter) -> ActivityFilter {
        var filter = filter
        filter.organisationID = organisationID
        filter.taskCode = taskCode
        filter.year = year
        filter.kind = kind
        filter.search = search
        return filter
    }
}

/// Page numbers for a list: the first and last page, the current one with two on either side,
/// and a gap ("…") where pages are left out; previous and next.
struct PageNumbers {
    var links: [ActivitiesShow.PageLink]
    var previousHref: String?
    var nextHref: String?

    init(current: Int, total: Int, pageSize: Int, href: (Int) -> String) {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        var shown: [Int] = []
        for p in 1...pages where p == 1 || p == pages || abs(p - current) <= 2 { shown.append(p) }
        var links: [ActivitiesShow.PageLink] = []
        var last = 0
        for p in shown {
            if p > last + 1 { links.append(.init(number: nil, href: nil, isCurrent: false)) }
            links.append(.init(number: p, href: href(p), isCurrent: p == current))
            last = p
        }
        self.links = pages > 1 ? links : []
        previousHref = current > 1 ? href(min(current - 1, pages)) : nil
        nextHref = current < pages ? href(current + 1) : nil
    }
}

extension ActivitiesController {
    /// The review queue: submitted records, who waited longest first, with filters, search and
    /// page numbers (docs/design.md, "Review queue").
    func reviewQueue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let programme = try await defaultProgramme()
        let q = request.uri.queryParameters
        let filters = try QueueFilters({ q.get($0) }, programme: programme)
        let filter = filters.apply(to: ActivityFilter(programmeSlug: programme.slug, statuses: [.submitted]))
        let waitingTotal = try await service.count(filter, as: user)
        var total = waitingTotal
        var records: [ActivityRecord]
        var flags: [ActivityID: [QualityFlag]]
        let page: Int
        if filters.onlyFlagged {
            // The flags are decided in Swift (QualityCheck), so this view checks the records waiting
            // longest, up to a bound, and pages through those flagged: four queries, whatever the page.
            let checked = try await service.queue(filter, limit: Self.flaggedViewLimit, offset: 0, as: user)
            flags = try await qualityFlags(for: checked, programme: programme)
            let flagged = checked.filter { flags[$0.id] != nil }
            total = flagged.count
            page = min(filters.page, max(1, (total + Self.pageSize - 1) / Self.pageSize))
            records = Array(flagged.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
        } else {
            let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
            // A page beyond the last (the queue shrank since the link was made, by an approval say)
            // shows the last page rather than an empty one.
            page = min(filters.page, pages)
            records = try await service.queue(filter, limit: Self.pageSize, offset: (page - 1) * Self.pageSize, as: user)
            flags = try await qualityFlags(for: records, programme: programme)
        }
        let organisations = try await dependencies.repositories.organisations.all()
        let names = Dictionary(organisations.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func t(_ key: String) -> String { localiser.text(key, language) }
        var current = filters
        current.page = page
        let pager = PageNumbers(current: page, total: total, pageSize: Self.pageSize) { p in
            var at = filters
            at.page = p
            return SiteURL.review.path(language, query: at.queryWithPage)
        }
        func option(_ value: String, _ label: String, _ selected: Bool) -> AdminUsersShow.Option {
            .init(value: value, label: label, selected: selected)
        }
        var chrome = dependencies.renderer.chrome(context, title: t("review.title"), url: .review)
        try await addApprovalDetails(to: &chrome, context: context, programme: programme, language: language, queue: filters)
        let model = ActivitiesShow.Model(
            page: chrome, heading: t("review.title"), filterLabel: nil, filterSubject: nil,
            rows: records.map { record in
                var row = row(record, names: names, language: language, reviewActions: true)
                row.flags = flagRows(flags[record.id] ?? [], record: record, names: names, language: language)
                return row
            },
            total: total,
            showing: filters.isFiltered ? localiser.plural("review.count-filtered", count: total, language)
                : localiser.plural("activities.count", count: total, language),
            newHref: nil, previousHref: pager.previousHref, nextHref: pager.nextHref, statusLinks: [], isReviewQueue: true,
            exportHref: SiteURL.exportActivities.path(language, query: filters.year.map { [.year($0)] } ?? []),
            importHref: nil, pageLinks: pager.links,
            queue: .init(
                action: SiteURL.review.path(language),
                search: filters.search ?? "",
                organisations: [option("", t("review.filter.any-organisation"), filters.organisationID == nil)]
                    + organisations.sorted { $0.name < $1.name }.map { option(String($0.id), $0.name, $0.id == filters.organisationID) },
                tasks: [option("", t("review.filter.any-task"), filters.taskCode == nil)]
                    + programme.tasks.map { option($0.code, "\($0.code) \($0.title)", $0.code == filters.taskCode) },
                years: [option("", t("review.filter.any-year"), filters.year == nil)]
                    + programme.period.years.map { option(String($0), String($0), $0 == filters.year) },
                kinds: [option("", t("review.filter.any-kind"), filters.kind == nil)]
                    + ActivityKind.allCases.map { option($0.rawValue, t("activity.kind.\($0.rawValue)"), $0 == filters.kind) },
                clearHref: filters.isFiltered ? SiteURL.review.path(language) : nil,
                hasFilters: filters.organisationID != nil || filters.taskCode != nil || filters.year != nil || filters.kind != nil,
                carried: current.queryWithPage.map { ConfirmationShow.Field(name: $0.name.rawValue, value: $0.value) },
                emptyText: t(filters.isFiltered ? "review.empty-filtered" : "review.empty"),
                onlyFlagged: filters.onlyFlagged,
                flaggedLimitNote: filters.onlyFlagged && waitingTotal > Self.flaggedViewLimit
                    ? t("review.flagged-limit").replacingOccurrences(of: "{limit}", with: Formatting(language: language).number(Double(Self.flaggedViewLimit)))
                    : nil,
                products: try await productFlagItems(programme: programme, language: language),
                programmeLanguage: programme.language))
        return try dependencies.renderer.render(ActivitiesShow.template, model).response()
    }

    /// "Waiting since 3 Dec 2026 · 5 days" for a submitted record; nil for others.
    func waiting(_ record: ActivityRecord, language: String) -> String? {
        guard record.status == .submitted else { return nil }
        let since = record.submittedAt ?? record.updatedAt
        let clock = dependencies.clock
        let days = max(0, Int((clock.start(of: clock.today).timeIntervalSince(clock.startOfDay(containing: since)) / 86_400).rounded()))
        let date = Formatting(language: language).date(clock.day(of: since))
        let age = days == 0 ? localiser.text("review.waiting-today", language) : localiser.plural("review.waiting-days", count: days, language)
        return "\(date) · \(age)"
    }

    /// The approval banner's details, on whichever page follows an approval (the queue or the
    /// record): the measures and results the record now counts toward, and the next record
    /// waiting in the queue (with the queue's filters, when approved from a filtered queue).
    func addApprovalDetails(to chrome: inout PageChrome, context: AppRequestContext, programme: Programme,
                            language: String, queue filters: QueueFilters) async throws {
        guard let notice = context.notice, notice.kind == .approved, let id = notice.subject, let user = context.user,
              ActivityService.reviewers.contains(user.role) else { return }
        func t(_ key: String) -> String { localiser.text(key, language) }
        if let record = try? await service.record(id: id, as: user), record.status == .approved {
            let contribution = programme.contribution(of: record)
            chrome.notice?.text = contribution.isEmpty ? t("notice.approved.counts-nothing") : t("notice.approved.counts")
            chrome.notice?.items = contribution.measures.map { "\($0.code) \($0.name)" }
                + contribution.results.map { "\(t("notice.approved.result")) \($0.goal): \($0.indicator)" }
            chrome.notice?.links = [.init(label: t("notice.approved.record") + " " + record.title,
                                          href: SiteURL.activity(record.id).path(language))]
        }
        // The next record of the same view; when the view is done, the next of the whole queue.
        let waiting = ActivityFilter(programmeSlug: programme.slug, statuses: [.submitted])
        var next = try await service.queue(filters.apply(to: waiting), limit: 1, offset: 0, as: user).first.map { ($0, filters) }
        if next == nil, filters.isFiltered {
            chrome.notice?.items.append(t("notice.approved.view-done"))
            next = try await service.queue(waiting, limit: 1, offset: 0, as: user).first.map { ($0, QueueFilters()) }
        }
        if let (record, view) = next {
            chrome.notice?.links.append(.init(label: t("notice.approved.next-item") + " " + record.title,
                                              href: SiteURL.activity(record.id).path(language, query: view.query)))
        } else {
            chrome.notice?.items.append(t("notice.approved.queue-empty"))
        }
    }
}

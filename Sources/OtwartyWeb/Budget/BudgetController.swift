import Foundation
import Hummingbird
import OtwartyCore

/// Budget entries per year, task and funding source: a page to add, change and delete them, a
/// CSV import (all or nothing) and a CSV download. Staff read; the programme coordinator edits.
struct BudgetController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var repositories: Repositories { dependencies.repositories }
    static let editors = ActivityService.reviewers

    func register(on routes: Routes) {
        routes.page(.get, .budget, access: .roles(Visibility.budgetReaders)) { request, context in
            try await show(context, year: try year(request, context))
        }
        routes.page(.post, .budget, access: .roles(Self.editors)) { _, context in try await save(context) }
        routes.page(.post, .budgetDelete, access: .roles(Self.editors)) { _, context in try await delete(context) }
        routes.page(.post, .budgetImport, access: .roles(Self.editors), body: .upload) { _, context in try await importFile(context) }
        routes.page(.get, .budgetExport, access: .roles(Visibility.budgetReaders)) { _, _ in try await export() }
    }

    func programme() async throws -> Programme { try await dependencies.defaultProgramme() }

    func year(_ request: Request, _ context: AppRequestContext) async throws -> Int {
        let programme = try await programme()
        if let year = try request.number("year", in: .year) {
            guard programme.period.years.contains(year) else { throw DomainError.notFound("Year \(year)") }
            return year
        }
        let today = dependencies.clock.year
        return min(max(today, programme.period.from), programme.period.to)
    }

    func show(_ context: AppRequestContext, year: Int, errors: [FieldError] = [], problems: [String] = [],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        let format = Formatting(language: language)
        let amount = { (grosze: Int64) in format.amount(Money(grosze: grosze)) }
        let entries = try await repositories.budget.entries(programme: programme.slug, year: year)
        let canEdit = context.user.map { Self.editors.contains($0.role) } ?? false
        // The year is the page's (a hidden field): its error links to the form's first field.
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("year", "forms.name.year", anchor: "task"), FormField("task", "report.task"),
            FormField("source", "report.financing.source"), FormField("planned", "report.financing.planned"),
            FormField("spent", "report.financing.spent"), FormField("note", "budget.note"),
        ])
        let form = context.form
        let sourceName = { (n: Int) in programme.financingSources.indices.contains(n - 1) ? programme.financingSources[n - 1] : "#\(n)" }
        var chrome = dependencies.renderer.chrome(context, title: "\(localiser.text("budget.title", language)) \(year)", url: .budget)
        if context.notice?.kind == .budgetImported, let count = context.notice?.subject {
            chrome.notice?.items = [localiser.plural("budget.imported", count: Int(count), language)]
        }
        if context.notice.map({ [.budgetSaved, .budgetDeleted, .budgetImported].contains($0.kind) }) == true {
            chrome.notice?.links = [.init(label: localiser.text("budget.notice.report-link", language).replacingOccurrences(of: "{year}", with: String(year)),
                                          href: SiteURL.report(year: year).path(language))]
        }
        let model = BudgetShow.Model(
            page: chrome,
            programme: ProgrammePageBuilder(programme: programme, language: language, localiser: localiser).header(),
            year: year,
            years: programme.period.years.map { .init(year: $0, href: SiteURL.budget.path(language, query: [.year($0)]), isCurrent: $0 == year) },
            entries: entries.map { e in
                BudgetShow.Entry(task: e.taskCode, taskTitle: programme.task(code: e.taskCode)?.title ?? "", source: e.source,
                                 sourceName: sourceName(e.source), planned: amount(e.plannedGrosze),
                                 spent: e.spentGrosze.map(amount) ?? "—", note: e.note)
            },
            hasEntries: !entries.isEmpty,
            totalPlanned: Money.sum(grosze: entries.map(\.plannedGrosze)).map(amount) ?? "—",
            totalSpent: Money.sum(grosze: entries.compactMap(\.spentGrosze)).map(amount) ?? "—",
            canEdit: canEdit, action: SiteURL.budget.path(language), deleteAction: SiteURL.budgetDelete.path(language),
            importAction: SiteURL.budgetImport.path(language), exportHref: SiteURL.budgetExport.path(language),
            tasks: programme.tasks.map { .init(value: $0.code, label: "\($0.code) \($0.title)", selected: form.text("task") == $0.code) },
            sources: programme.financingSources.enumerated().map {
                .init(value: String($0.offset + 1), label: "\($0.offset + 1). \($0.element)", selected: form.text("source") == String($0.offset + 1))
            },
            errors: items, taskError: errorFor("task", in: items), sourceError: errorFor("source", in: items),
            plannedError: errorFor("planned", in: items), spentError: errorFor("spent", in: items),
            noteError: errorFor("note", in: items),
            form: .init(planned: form.text("planned"), spent: form.text("spent"), note: form.text("note")),
            problems: problems, columns: BudgetCSV.columns.joined(separator: ","))
        return try dependencies.renderer.render(BudgetShow.template, model, status: status).response()
    }

    func save(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        let form = context.form
        var errors: [FieldError] = []
        // Not a year at all reads as 0, which the entry's own check names as outside the period.
        let year = form.number("year", in: .year) ?? 0
        let planned = Money.required(form.text("planned"), field: "planned", messageKey: "error.budget.amount", errors: &errors)
        let spent = Money.optional(form.text("spent"), field: "spent", messageKey: "error.budget.amount", errors: &errors)
        let entry = BudgetEntry(programmeSlug: programme.slug, year: year, taskCode: form.text("task"),
                                source: form.number("source", in: .ordinal) ?? 0, plannedGrosze: planned?.grosze ?? 0,
                                spentGrosze: spent?.grosze,
                                note: form.text("note"))
        errors += entry.problems(in: programme)
        guard errors.isEmpty else {
            let shownYear = programme.period.years.contains(year) ? year : programme.period.from
            return try await show(context, year: shownYear, errors: errors, status: .unprocessableContent)
        }
        try await dependencies.budget.save(entry, in: programme, by: context.user?.id)
        return redirect(to: SiteURL.budget.path(language, query: [.year(year)]), notice: Notice(.budgetSaved))
    }

    func delete(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        let form = context.form
        guard let year = form.number("year", in: .year), let source = form.number("source", in: .ordinal) else {
            throw DomainError.notFound("Budget entry")
        }
        // Deleting asks first, naming the entry: an entry that is not there is a 404 at once.
        guard form.isConfirmed else {
            guard let entry = try await repositories.budget.entries(programme: programme.slug, year: year)
                .first(where: { $0.taskCode == form.text("task") && $0.source == source }) else {
                throw DomainError.notFound("Budget entry")
            }
            return try confirmDelete(context, programme: programme, entry: entry)
        }
        try await dependencies.budget.delete(programme: programme, year: year, taskCode: form.text("task"), source: source,
                                             by: context.user?.id)
        return redirect(to: SiteURL.budget.path(language, query: [.year(year)]), notice: Notice(.budgetDeleted))
    }

    /// The confirmation step before deleting an entry: which one, with its amounts.
    func confirmDelete(_ context: AppRequestContext, programme: Programme, entry: BudgetEntry) throws -> Response {
        let language = try context.requireLanguage(localiser)
        let format = Formatting(language: language)
        let source = programme.financingSources.indices.contains(entry.source - 1) ? programme.financingSources[entry.source - 1] : "#\(entry.source)"
        func fill(_ key: String) -> String {
            localiser.text(key, language).replacingOccurrences(of: "{task}", with: entry.taskCode)
                .replacingOccurrences(of: "{year}", with: String(entry.year))
        }
        var planned = "\(localiser.text("report.financing.planned", language)): \(format.amount(Money(grosze: entry.plannedGrosze)))"
        if let spent = entry.spentGrosze {
            planned += "; \(localiser.text("report.financing.spent", language)): \(format.amount(Money(grosze: spent)))"
        }
        let model = ConfirmationShow.Model(
            page: dependencies.renderer.chrome(context, title: fill("budget.delete-confirm.heading"), url: .budget),
            heading: fill("budget.delete-confirm.heading"), lead: fill("budget.delete-confirm.lead"),
            consequences: ["\(localiser.text("report.task", language)) \(entry.taskCode) · \(entry.source). \(source) · \(planned)",
                           fill("budget.delete-confirm.report"), fill("budget.delete-confirm.undo")],
            action: SiteURL.budgetDelete.path(language), fields: ConfirmationShow.carried(context.form),
            confirmLabel: localiser.text("budget.delete-confirm.button", language),
            cancelHref: SiteURL.budget.path(language, query: [.year(entry.year)]), isDanger: true)
        return try dependencies.renderer.render(ConfirmationShow.template, model).response()
    }

    func importFile(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        let year = context.form.number("year", in: .year).flatMap { programme.period.years.contains($0) ? $0 : nil } ?? programme.period.from
        guard let file = context.uploads["file"], !file.bytes.isEmpty else {
            return try await show(context, year: year, problems: [localiser.text("import.no-file", language)], status: .unprocessableContent)
        }
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return try await show(context, year: year, problems: [localiser.text("import.not-utf8", language)], status: .unprocessableContent)
        }
        switch try await dependencies.budget.importCSV(text, fileName: file.filename, programme: programme, by: context.user?.id) {
        case let .rejected(problems):
            return try await show(context, year: year, problems: problems.prefix(50).map(\.description), status: .unprocessableContent)
        case let .imported(count):
            return redirect(to: SiteURL.budget.path(language, query: [.year(year)]), notice: Notice(.budgetImported, subject: Int64(count)))
        }
    }

    func export() async throws -> Response {
        let programme = try await programme()
        let text = BudgetCSV.write(try await repositories.budget.entries(programme: programme.slug, year: nil))
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(programme.slug)-budget.csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Budget entries of a year with the forms to change them.
public enum BudgetShow {
    public static let template = "budget"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var year: Int
        public var years: [DashboardShow.YearLink]
        public var entries: [Entry]
        public var hasEntries: Bool
        public var totalPlanned: String
        public var totalSpent: String
        public var canEdit: Bool
        public var action: String
        public var deleteAction: String
        public var importAction: String
        public var exportHref: String
        public var tasks: [AdminUsersShow.Option]
        public var sources: [AdminUsersShow.Option]
        public var errors: [FormErrorItem]
        public var taskError: String?
        public var sourceError: String?
        public var plannedError: String?
        public var spentError: String?
        public var noteError: String?
        public var form: Form
        public var problems: [String]
        public var columns: String
    }

    public struct Entry {
        public var task: String
        public var taskTitle: String
        public var source: Int
        public var sourceName: String
        public var planned: String
        public var spent: String
        public var note: String
    }

    public struct Form {
        public var planned: String
        public var spent: String
        public var note: String
    }
}

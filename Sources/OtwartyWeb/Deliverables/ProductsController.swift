import Foundation
import Hummingbird
import OtwartyCore

extension WebDependencies {
    /// The products' writes (status, date, evidence), each with its audit entry.
    public var products: ProductService {
        ProductService(products: repositories.products, documents: repositories.documents, audit: repositories.audit,
                       clock: clock)
    }
}

/// Shows a product's evidence as a link: a published document by its download address and title,
/// an address as it was typed. Shared by the products page, the dashboard, the progress page and
/// the report, so each shows the same thing.
struct ProductEvidenceLinker {
    let titles: [Int64: String]
    let localiser: Localiser
    let language: String

    /// `publicOnly`: leave out staff-only links (the public pages and the report).
    func link(_ evidence: ProductEvidence?, publicOnly: Bool) -> ProductEvidenceLink? {
        switch evidence {
        case let .document(id)?:
            return ProductEvidenceLink(href: SharedURL.document(id).path(),
                                       label: titles[id] ?? "\(localiser.text("product.evidence.document", language)) \(id)",
                                       staffOnly: false)
        case let .link(url, isPublic)?:
            if publicOnly && !isPublic { return nil }
            return ProductEvidenceLink(href: url, label: Self.shortLabel(url), staffOnly: !isPublic)
        case nil:
            return nil
        }
    }

    /// The address without its scheme, cut to 60 characters, so a long BIP address does not push
    /// a phone-width table wider than the screen.
    static func shortLabel(_ url: String) -> String {
        var text = url
        for prefix in ["https://", "http://"] where text.lowercased().hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)) }
        return text.count > 60 ? String(text.prefix(59)) + "…" : text
    }
}

/// `/reports/products`: each task's products (Table 1) — status, date, evidence — for the people
/// who read the reports, and `/reports/products/{code}/{number}`: the programme coordinator's form
/// for one product. Writes go through `ProductService`; the form answers post/redirect/get with
/// a banner, or the form again with an error summary (422).
struct ProductsController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var service: ProductService { dependencies.products }

    func register(on routes: Routes) {
        routes.page(.get, .products, access: .roles(ProductService.readers)) { _, context in try await list(context) }
        routes.page(.get, .product(code: "", number: 0), access: .roles(ProductService.editors)) { _, context in
            let (task, index) = try await target(context)
            return try await edit(context, task: task, index: index)
        }
        routes.page(.post, .product(code: "", number: 0), access: .roles(ProductService.editors)) { _, context in
            let (task, index) = try await target(context)
            return try await save(context, task: task, index: index)
        }
    }

    func user(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    /// The task and 0-based product index the address names; 404 for any other.
    func target(_ context: AppRequestContext) async throws -> (ProgrammeTask, Int) {
        let programme = try await dependencies.defaultProgramme()
        guard let code = context.parameters.get("code"), code.count <= 10, let task = programme.task(code: code)
        else { throw DomainError.notFound("Task") }
        let number = try context.pathNumber("number", in: .ordinal, "Product")
        guard task.products.indices.contains(number - 1) else { throw DomainError.notFound("Product \(number) of task \(code)") }
        return (task, number - 1)
    }

    func documentTitles() async throws -> [Int64: String] {
        Dictionary(try await dependencies.repositories.documents.documents(kind: nil).map { ($0.id, $0.title) },
                   uniquingKeysWith: { first, _ in first })
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try user(context)
        let programme = try await dependencies.defaultProgramme()
        let records = try await service.all(programme: programme, by: user)
        let today = dependencies.clock.today
        let format = Formatting(language: language)
        let linker = ProductEvidenceLinker(titles: try await documentTitles(), localiser: localiser, language: language)
        let canEdit = ProductService.canEdit(user)
        func t(_ key: String) -> String { localiser.text(key, language) }
        let nameLang = language == programme.language ? nil : programme.language
        let goals = programme.goals.map { goal in
            ProductsShow.Goal(number: goal.number, heading: "\(t("goal.heading")) \(goal.number)", tasks: goal.tasks.map { task in
                let status = TaskDelivery.status(of: task, endOf: today, products: records)
                return ProductsShow.Task(
                    code: task.code, title: task.title, href: SiteURL.task(slug: programme.slug, code: task.code).path(language),
                    deadline: task.deadline.map(format.date) ?? t("report.status.continuous"),
                    // A continuous task's deadline already says "continuous": no status beside it.
                    status: status == .continuous ? "" : t("report.status.\(status.rawValue)"),
                    statusCode: status == .continuous ? "" : status.rawValue,
                    products: TaskDelivery.records(of: task, in: records).map { record in
                        let name = task.products[record.index]
                        return ProductsShow.Row(
                            name: name, nameLang: nameLang,
                            status: t("product.status.\(record.status.rawValue)"), statusCode: record.status.rawValue,
                            date: record.deliveredOn.map(format.date)
                                ?? record.plannedOn.map { "\(t("product.planned-on")) \(format.date($0))" } ?? "—",
                            evidence: linker.link(record.evidence, publicOnly: false), note: record.note,
                            editHref: canEdit ? SiteURL.product(code: task.code, number: record.index + 1).path(language) : nil,
                            editLabel: "\(t("product.edit")): \(task.code) — \(name)")
                    })
            })
        }
        let missing = records.filter { $0.status == .delivered && $0.evidence == nil }.count
        let model = ProductsShow.Model(
            page: dependencies.renderer.chrome(context, title: t("product.list.title"), url: .products),
            goals: goals, canEdit: canEdit, withoutEvidence: missing,
            withoutEvidenceText: missing == 0 ? nil : localiser.plural("product.without-evidence", count: missing, language))
        return try dependencies.renderer.render(ProductsShow.template, model).response()
    }

    static let formFields: [FormField] = [
        FormField("status", "product.field.status"), FormField("deliveredOn", "product.field.delivered-on"),
        FormField("plannedOn", "product.field.planned-on"), FormField("documentID", "product.field.document"),
        FormField("evidence", "product.field.evidence", anchor: "documentID"), FormField("link", "product.field.link"),
        FormField("note", "product.field.note"),
    ]

    /// What the form shows: as stored, or as sent when it comes back with errors.
    struct Draft {
        var status: String
        var deliveredOn: String
        var plannedOn: String
        var documentID: String
        var link: String
        var linkIsPublic: Bool
        var note: String

        init(_ r: ProductRecord) {
            status = r.status.rawValue
            deliveredOn = r.deliveredOn?.description ?? ""
            plannedOn = r.plannedOn?.description ?? ""
            switch r.evidence {
            case let .document(id)?: documentID = String(id); link = ""; linkIsPublic = false
            case let .link(url, isPublic)?: documentID = ""; link = url; linkIsPublic = isPublic
            case nil: documentID = ""; link = ""; linkIsPublic = false
            }
            note = r.note
        }

        init(_ form: FormData) {
            status = form.text("status")
            deliveredOn = form.text("deliveredOn").trimmingCharacters(in: .whitespaces)
            plannedOn = form.text("plannedOn").trimmingCharacters(in: .whitespaces)
            documentID = form.text("documentID").trimmingCharacters(in: .whitespaces)
            link = form.text("link").trimmingCharacters(in: .whitespaces)
            linkIsPublic = form.text("linkIsPublic") == "1"
            note = form.text("note")
        }

        /// The draft as input, each field that cannot be read named in `errors`; the service then
        /// checks the rest, so one round reports every problem.
        func input(errors: inout [FieldError]) -> ProductInput {
            func date(_ text: String, _ field: String) -> CalendarDate? {
                guard !text.isEmpty else { return nil }
                guard text.count <= 10, let day = CalendarDate(iso: text) else {
                    errors.append(FieldError(field: field, messageKey: "error.product.date-format", message: "a date as YYYY-MM-DD"))
                    return nil
                }
                return day
            }
            let parsedStatus = ProductStatus(rawValue: status)
            if parsedStatus == nil {
                errors.append(FieldError(field: "status", messageKey: "error.product.status", message: "choose a status"))
            }
            var document: Int64?
            if !documentID.isEmpty {
                if let id = NumberRange.id.value(documentID) { document = id } else {
                    errors.append(FieldError(field: "documentID", messageKey: "error.product.document",
                                             message: "choose one of the published documents"))
                }
            }
            return ProductInput(status: parsedStatus ?? .planned, deliveredOn: date(deliveredOn, "deliveredOn"),
                                plannedOn: date(plannedOn, "plannedOn"), documentID: document,
                                link: link.isEmpty ? nil : link, linkIsPublic: linkIsPublic, note: note)
        }
    }

    func edit(_ context: AppRequestContext, task: ProgrammeTask, index: Int, draft: Draft? = nil,
              errors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await dependencies.defaultProgramme()
        func t(_ key: String) -> String { localiser.text(key, language) }
        let stored = try await dependencies.repositories.products.product(programmeSlug: programme.slug, taskCode: task.code, index: index)
            ?? .unrecorded(programmeSlug: programme.slug, taskCode: task.code, index: index)
        let shown = draft ?? Draft(stored)
        let format = Formatting(language: language)
        let documents = try await dependencies.repositories.documents.documents(kind: nil)
        let failed = Dictionary(errors.map { ($0.field, localiser.text($0.messageKey, language)) }, uniquingKeysWith: { a, _ in a })
        let name = task.products[index]
        let model = ProductEditShow.Model(
            page: dependencies.renderer.chrome(context, title: "\(t("product.edit")): \(task.code) — \(name)",
                                               url: .product(code: task.code, number: index + 1)),
            listHref: SiteURL.products.path(language, fragment: "task-\(task.code)"),
            taskCode: task.code, taskTitle: task.title, taskHref: SiteURL.task(slug: programme.slug, code: task.code).path(language),
            deadline: task.deadline.map(format.date) ?? t("report.status.continuous"),
            name: name, nameLang: language == programme.language ? nil : programme.language,
            action: SiteURL.product(code: task.code, number: index + 1).path(language),
            statuses: ProductStatus.allCases.map {
                .init(value: $0.rawValue, label: t("product.status.\($0.rawValue)"), selected: $0.rawValue == shown.status)
            },
            deliveredOn: shown.deliveredOn, plannedOn: shown.plannedOn,
            documents: [.init(value: "", label: t("product.field.document-none"), selected: shown.documentID.isEmpty)]
                + documents.map { d in
                    .init(value: String(d.id),
                          label: "\(d.title) (\(d.language), \(t("report.edition.version")) \(d.version), \(format.date(d.publishedOn)))",
                          selected: String(d.id) == shown.documentID)
                },
            hasDocuments: !documents.isEmpty, documentsHref: SiteURL.manageDocuments.path(language),
            link: shown.link, linkIsPublic: shown.linkIsPublic, note: shown.note,
            maxNote: ProductRecord.maxNoteLength, maxURL: ProductRecord.maxURLLength,
            failed: failed, errors: localiser.fieldErrors(errors, language, form: Self.formFields))
        return try dependencies.renderer.render(ProductEditShow.template, model,
                                                status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    func save(_ context: AppRequestContext, task: ProgrammeTask, index: Int) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await dependencies.defaultProgramme()
        let draft = Draft(context.form)
        var unreadable: [FieldError] = []
        let input = draft.input(errors: &unreadable)
        do {
            // Unreadable fields first; the service's rules on the fields that could be read add to them.
            let checks = input.problems(today: dependencies.clock.today, period: programme.period)
                .filter { problem in !unreadable.contains { $0.field == problem.field } }
            if !unreadable.isEmpty { throw DomainError.invalid(unreadable + checks) }
            try await service.save(input, programme: programme, taskCode: task.code, index: index, by: try user(context))
        } catch let DomainError.invalid(problems) {
            return try await edit(context, task: task, index: index, draft: draft, errors: problems)
        }
        return redirect(to: SiteURL.products.path(language, fragment: "task-\(task.code)"), notice: Notice(.productSaved))
    }
}

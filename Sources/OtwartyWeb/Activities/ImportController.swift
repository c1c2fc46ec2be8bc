import Foundation
import Hummingbird
import OtwartyCore

/// Importing activity records from CSV in three steps (docs/design.md, "Import: preview and
/// confirm"): upload → every row is checked; a bad file is listed problem by problem in the
/// page's language and nothing is kept; a good one is kept as a `PendingImport` and the browser
/// goes to its preview (what will be stored, per task, with warnings) → the uploader confirms
/// (records that skip review need an explicit tick) → the file is checked again and stored all
/// or nothing, and the import page says so in a banner. Beside them: a CSV template and the
/// list of codes and labels each coded column accepts.
struct ImportController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }

    /// Problems listed on the page; the rest are counted ("and 37 more"). The command line lists
    /// up to `ActivityCSVErrors.storedLimit`.
    static let shownProblems = 100
    /// Who may read the template and the codes: everyone who reports or reviews, since partners
    /// prepare files for the programme office too.
    static let formatReaders = ActivityService.reviewers.union(ActivityService.reporters)

    func register(on routes: Routes) {
        let reviewers = Access.roles(ActivityService.reviewers)
        routes.page(.get, .activityImport, access: reviewers) { _, context in try await render(context) }
        routes.page(.post, .activityImport, access: reviewers, body: .upload) { _, context in try await upload(context) }
        routes.page(.get, .activityImportPreview(0), access: reviewers) { _, context in try await preview(context) }
        routes.page(.post, .activityImportPreview(0), access: reviewers) { _, context in try await confirm(context) }
        routes.page(.get, .activityImportCodes, access: .roles(Self.formatReaders)) { _, context in try await codes(context) }
        routes.page(.get, .activityImportTemplate, access: .roles(Self.formatReaders)) { _, context in try await template(context) }
    }

    var importer: ActivityImporter {
        ActivityImporter(activities: dependencies.repositories.activities, organisations: dependencies.repositories.organisations,
                         audit: dependencies.repositories.audit, clock: dependencies.clock, labels: localiser.importLabels())
    }

    // MARK: Upload

    func render(_ context: AppRequestContext, problems: ActivityCSVErrors? = nil, errors: [FieldError] = [],
                status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let chosen = context.form["status"] ?? ActivityStatus.draft.rawValue
        var chrome = dependencies.renderer.chrome(context, title: localiser.text("import.title", language), url: .activityImport)
        if let notice = context.notice, notice.kind == .imported, let id = notice.subject, let user = context.user,
           let pending = try await importer.pendingImport(id: id, for: user.id), let records = pending.importedRecords {
            // The banner says how many records were stored and in which state, and links to them.
            let state = localiser.text("activity.status.\(pending.status.rawValue)", language)
            chrome.notice?.items = [localiser.plural("import.stored", count: records, language).replacingOccurrences(of: "{status}", with: state)]
            chrome.notice?.links = [.init(label: localiser.text("import.stored-link", language),
                                          href: SiteURL.activities.path(language, query: [.status(pending.status.rawValue)]))]
        }
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("file", "import.file"), FormField("status", "import.status"),
        ])
        let shown = problems.map { Array($0.errors.prefix(Self.shownProblems)) } ?? []
        let more = (problems?.totalCount ?? 0) - shown.count
        let model = ImportShow.Model(
            page: chrome,
            action: SiteURL.activityImport.path(language),
            statuses: [ActivityStatus.draft, .submitted, .approved].map {
                .init(value: $0.rawValue, label: localiser.text("import.state.\($0.rawValue)", language), selected: chosen == $0.rawValue)
            },
            createOrganisations: context.form["createOrganisations"] != nil,
            errors: items, fileError: items.first { $0.field == "file" }?.message,
            statusError: items.first { $0.field == "status" }?.message,
            problems: shown.map { localiser.importProblem($0, language) },
            problemCount: problems.map { localiser.plural("import.problem-count", count: $0.totalCount, language) },
            moreProblems: more > 0 ? localiser.plural("import.more-problems", count: more, language) : nil,
            templateHref: SiteURL.activityImportTemplate.path(language),
            codesHref: SiteURL.activityImportCodes.path(language))
        return try dependencies.renderer.render(ImportShow.template, model, status: status).response()
    }

    func upload(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        var errors: [FieldError] = []
        let file = context.uploads["file"]
        let status = ActivityStatus(rawValue: context.form.text("status")).flatMap { $0 == .returned ? nil : $0 }
        if status == nil {
            errors.append(FieldError(field: "status", messageKey: "import.bad-status", message: "choose a status from the list"))
        }
        var text: String?
        if let file, !file.bytes.isEmpty {
            text = String(validating: file.bytes, as: UTF8.self)
            if text == nil {
                errors.append(FieldError(field: "file", messageKey: "import.not-utf8", message: "the file is not UTF-8"))
            }
        } else {
            errors.append(FieldError(field: "file", messageKey: "import.no-file", message: "choose a CSV file"))
        }
        guard errors.isEmpty, let text, let status, let file else {
            return try await render(context, errors: errors, status: .unprocessableContent)
        }
        let programme = try await dependencies.defaultProgramme()
        do {
            let id = try await importer.stage(text, fileName: file.filename, programme: programme,
                                              options: .init(status: status, createOrganisations: context.form["createOrganisations"] != nil),
                                              by: user.id)
            return redirect(to: SiteURL.activityImportPreview(id).path(language))
        } catch let problems as ActivityCSVErrors {
            return try await render(context, problems: problems, status: .unprocessableContent)
        }
    }

    // MARK: Preview and confirmation

    /// The uploader's open pending import from the path, or 404 (someone else's, or none).
    func pending(_ context: AppRequestContext) async throws -> PendingImport {
        let user = try context.requireUser()
        let id = try context.pathID("id", "Import")
        guard let pending = try await importer.pendingImport(id: id, for: user.id) else {
            throw DomainError.notFound("Import")
        }
        return pending
    }

    func preview(_ context: AppRequestContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let pending = try await pending(context)
        guard pending.isOpen(at: dependencies.clock.now()) else { return try await closed(context, pending) }
        let programme = try await dependencies.defaultProgramme()
        let options = ActivityImporter.Options(status: pending.status, createOrganisations: pending.createOrganisations)
        let preview: ImportPreview
        do {
            preview = try await importer.preview(pending.text, programme: programme, options: options)
        } catch let problems as ActivityCSVErrors {
            // The data changed since the upload (an organisation renamed, say): the file as it is now.
            return try await render(context, problems: problems, status: .unprocessableContent)
        }
        let format = Formatting(language: language)
        func label(_ group: String, _ code: String) -> String { localiser.text("activity.\(group).\(code)", language) }
        // Always with two decimals and the currency, as every page shows money (issue 12, item 11).
        func złoty(_ amount: Money) -> String { format.money(amount) + "\u{00A0}zł" }
        let titles = Dictionary(programme.tasks.map { ($0.code, $0.title) }, uniquingKeysWith: { a, _ in a })
        let rows = preview.sample.map { row in
            let input = row.input
            return ImportPreviewShow.Row(
                row: String(row.row),
                date: input.endDate.map { "\(format.date(input.startDate)) – \(format.date($0))" } ?? format.date(input.startDate),
                task: input.taskCode, kind: label("kind", input.kind.rawValue), title: input.title,
                organisation: row.organisationName + (row.isNewOrganisation ? " (\(localiser.text("import.preview.new", language)))" : ""),
                district: input.district?.label ?? localiser.text("import.preview.city-wide", language),
                participants: input.participants.map { format.number(Double($0)) } ?? "—",
                // With a breakdown (issue 13), each audience with its part: "Policja 20, Straż Miejska 8".
                audiences: input.participantsByAudience.map { $0.ordered.map { "\(label("audience", $0.audience.rawValue)) \(format.number(Double($0.count)))" } }?
                    .joined(separator: ", ")
                    ?? Audience.allCases.filter(input.audiences.contains).map { label("audience", $0.rawValue) }.joined(separator: ", "),
                amount: input.amountGrosze.map { złoty(Money(grosze: $0)) } ?? "—",
                languages: input.languages.joined(separator: ", "))
        }
        let totals = preview.perTask.map {
            ImportPreviewShow.TaskTotal(task: $0.taskCode, title: titles[$0.taskCode] ?? "", records: format.number(Double($0.records)),
                                        participants: format.number(Double($0.participants)), amount: złoty($0.amount))
        }
        var warnings: [String] = []
        if pending.status == .approved { warnings.append(localiser.text("import.preview.approved-warning", language)) }
        if !preview.newOrganisations.isEmpty {
            warnings.append(localiser.plural("import.preview.new-organisations", count: preview.newOrganisations.count, language)
                + " " + preview.newOrganisations.joined(separator: ", "))
        }
        let state = localiser.text("activity.status.\(pending.status.rawValue)", language)
        var summary = [
            localiser.plural("import.preview.records", count: preview.records, language).replacingOccurrences(of: "{status}", with: state),
            localiser.plural("import.preview.organisations", count: preview.organisations, language),
        ]
        if let years = preview.years {
            summary.append(localiser.text("import.preview.years", language)
                .replacingOccurrences(of: "{years}", with: years.count == 1 ? String(years.lowerBound) : "\(years.lowerBound)–\(years.upperBound)"))
        }
        if preview.recordsWithBreakdown > 0 || preview.recordsWithNew > 0 {
            summary.append(localiser.text("import.preview.breakdown", language)
                .replacingOccurrences(of: "{breakdown}", with: format.number(Double(preview.recordsWithBreakdown)))
                .replacingOccurrences(of: "{new}", with: format.number(Double(preview.recordsWithNew))))
        }
        let items = localiser.fieldErrors(errors, language, form: [FormField("confirmApproved", "import.preview.confirm-approved-name")])
        let model = ImportPreviewShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("import.preview.title", language), url: nil),
            action: SiteURL.activityImportPreview(pending.id).path(language),
            cancelHref: SiteURL.activityImport.path(language),
            fileName: pending.fileName, summary: summary, warnings: warnings, rows: rows,
            moreRows: preview.records > rows.count
                ? localiser.plural("import.preview.more-rows", count: preview.records - rows.count, language) : nil,
            totals: totals, isApproved: pending.status == .approved,
            errors: items, confirmError: items.first?.message,
            expires: localiser.text("import.preview.expires", language)
                .replacingOccurrences(of: "{time}", with: format.timestamp(pending.expiresAt, in: dependencies.clock)))
        return try dependencies.renderer.render(ImportPreviewShow.template, model, status: status).response()
    }

    /// A preview already imported (a second click, a second tab, the back button) goes to the
    /// banner of its import; an expired one to the upload form, saying why.
    func closed(_ context: AppRequestContext, _ pending: PendingImport) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        if pending.importedRecords != nil {
            return redirect(to: SiteURL.activityImport.path(language), notice: Notice(.imported, subject: pending.id))
        }
        let key = pending.importedAt != nil ? "import.preview.in-progress" : "import.preview.expired"
        return try await render(context, errors: [FieldError(field: "file", messageKey: key, message: "upload the file again")],
                                status: .conflict)
    }

    func confirm(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let pending = try await pending(context)
        guard pending.isOpen(at: dependencies.clock.now()) else { return try await closed(context, pending) }
        let programme = try await dependencies.defaultProgramme()
        do {
            _ = try await importer.confirm(id: pending.id, programme: programme, by: user.id,
                                           approvalConfirmed: context.form.text("confirmApproved") == "yes")
            return redirect(to: SiteURL.activityImport.path(language), notice: Notice(.imported, subject: pending.id))
        } catch let DomainError.invalid(problems) {
            return try await preview(context, errors: problems, status: .unprocessableContent)
        } catch let problems as ActivityCSVErrors {
            // Checked again at confirmation: what changed since the preview is listed, nothing stored.
            return try await render(context, problems: problems, status: .unprocessableContent)
        }
    }

    // MARK: Template and codes

    /// A CSV file with the header and one example row in the page's language (labels, not codes,
    /// where the format accepts them), which imports as it is.
    func template(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let programme = try await dependencies.defaultProgramme()
        let organisations = dependencies.repositories.organisations
        var organisation: String?
        if let own = user.organisationID { organisation = try await organisations.organisation(id: own)?.name }
        if organisation == nil { organisation = try await organisations.all().map(\.name).sorted().first }
        let today = dependencies.clock.today
        let year = min(max(today.year, programme.period.from), programme.period.to)
        let day = year == today.year ? today : CalendarDate(year: year, month: 6, day: 1)!
        var writer = CSVWriter(byteOrderMark: true, numericColumns: [6, 7, 9, 14])
        writer.writeRow(ActivityCSV.columns)
        func audience(_ audience: Audience) -> String { localiser.text("activity.audience.\(audience.rawValue)", language) }
        writer.writeRow([
            day.description, programme.tasks.first?.code ?? "1.1", localiser.text("activity.kind.event", language),
            localiser.text("import.template.title", language),
            organisation ?? localiser.text("import.template.organisation", language),
            District(number: 18)?.label ?? "", "120", "", 
            [Audience.residents, .migrants].map(audience).joined(separator: ";"),
            "1500.00", "", "pl;uk", localiser.text("import.template.notes", language),
            // 70 + 50 = the 120 participants; 30 of them new this year.
            "\(audience(.residents)):70;\(audience(.migrants)):50", "30",
        ])
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"otwarty-import-\(language).csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: writer.text)))
    }

    func codes(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await dependencies.defaultProgramme()
        let others = localiser.languages.map(\.code).filter { $0 != language }
        func entry(_ group: String, _ code: String) -> ImportCodesShow.Code {
            let key = "activity.\(group).\(code)"
            let elsewhere = others.compactMap { localiser.catalogues[$0]?.string(key) }
            var seen = Set([localiser.text(key, language)])
            return .init(code: code, label: localiser.text(key, language),
                         alsoAccepted: elsewhere.filter { seen.insert($0).inserted }.joined(separator: ", "))
        }
        func column(_ name: String, required: Bool) -> ImportCodesShow.Column {
            .init(name: name, required: localiser.text(required ? "import.codes.required" : "import.codes.optional", language),
                  format: localiser.text("import.column.\(name)", language))
        }
        let required: Set<String> = ["date", "task", "kind", "title", "organisation"]
        let model = ImportCodesShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("import.codes.title", language), url: .activityImportCodes),
            columns: ActivityCSV.columns.map { column($0, required: required.contains($0)) },
            tasks: programme.tasks.map { .init(code: $0.code, label: $0.title, alsoAccepted: "") },
            kinds: ActivityKind.allCases.map { entry("kind", $0.rawValue) },
            audiences: Audience.allCases.map { entry("audience", $0.rawValue) },
            districts: District.all.map { .init(number: String($0.number), numeral: $0.numeral, name: $0.name) },
            templateHref: SiteURL.activityImportTemplate.path(language),
            importHref: context.user.map { ActivityService.reviewers.contains($0.role) } == true ? SiteURL.activityImport.path(language) : nil)
        return try dependencies.renderer.render(ImportCodesShow.template, model).response()
    }
}

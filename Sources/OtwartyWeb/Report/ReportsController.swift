import Foundation
import Hummingbird
import OtwartyCore

/// The annual report: the list of years with drafts and frozen versions, the preview, downloads
/// in three formats, the narrative and freezing. Those who may read the budget read reports (every
/// edition has the financing section); the programme coordinator writes the narrative and freezes.
struct ReportsController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var repositories: Repositories { dependencies.repositories }
    var writer: AnnualReportWriter { AnnualReportWriter(renderer: dependencies.renderer) }
    static let editors = ActivityService.reviewers
    /// Every edition carries the financing per source, so the report is read by those who read the
    /// budget (`Visibility.reportReaders`): not partners, not incident handlers (least privilege).
    static let readers = Access.roles(Visibility.reportReaders)

    func register(on routes: Routes) {
        routes.page(.get, .reports, access: Self.readers) { _, context in try await index(context) }
        routes.page(.get, .report(year: 0), access: Self.readers) { _, context in
            try await draft(context, year: try year(context), format: .html, download: false)
        }
        routes.page(.get, .reportDraft(year: 0, format: .html), access: Self.readers) { _, context in
            try await draft(context, year: try year(context), format: try format(context), download: true)
        }
        routes.page(.get, .reportNarrative(year: 0), access: .roles(Self.editors)) { _, context in
            try await narrative(context, year: try year(context))
        }
        routes.page(.post, .reportNarrative(year: 0), access: .roles(Self.editors), body: .longText) { _, context in
            try await saveNarrative(context, year: try year(context))
        }
        routes.page(.post, .reportFreeze(year: 0), access: .roles(Self.editors)) { _, context in
            try await freeze(context, year: try year(context))
        }
        routes.page(.get, .reportVersion(year: 0, number: 0, format: .html), access: Self.readers) { _, context in
            let number = try context.pathNumber("number", in: .id, "Version")
            return try await version(context, year: try year(context), number: number, format: try format(context))
        }
    }

    // MARK: Loading

    func programme() async throws -> Programme { try await dependencies.defaultProgramme() }

    func year(_ context: AppRequestContext) throws -> Int {
        try context.pathNumber("year", in: .year, "Year")
    }

    func format(_ context: AppRequestContext) throws -> ReportFormat {
        guard let format = context.parameters.get("format").flatMap(ReportFormat.init(rawValue:)) else {
            throw DomainError.notFound("Format")
        }
        return format
    }

    func organisationNames() async throws -> [OrganisationID: String] {
        Dictionary(try await repositories.organisations.all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The documents to build for `formats`: a PDF needs only the one its renderer reads
    /// (Chromium the HTML, LibreOffice the ODT), and nothing when no renderer is installed.
    static func documentsToBuild(for formats: Set<ReportFormat>, pdfSource: ReportFormat?) -> Set<ReportFormat> {
        var needed = formats.subtracting([.pdf])
        if formats.contains(.pdf), let pdfSource { needed.insert(pdfSource) }
        return needed
    }

    /// The report's files in `language`, each built only when asked for (or needed for the PDF).
    /// The PDF needs an external program and takes seconds: callers run it through `pdfQueue`.
    func files(programme: Programme, year: Int, language: String, edition: AnnualReport.Edition,
               generatedOn: CalendarDate, formats: Set<ReportFormat>) async throws -> [ReportFile] {
        let renderer = dependencies.pdfRenderer
        if formats.contains(.pdf), renderer.source == nil { throw NoPDFRenderer.missing }
        let build = Self.documentsToBuild(for: formats, pdfSource: renderer.source)
        let report = try await AnnualReportSource(repositories: repositories)
            .report(programme: programme, year: year, generatedOn: generatedOn, edition: edition)
        let inputs = AnnualReportWriter.Inputs(report: report, language: language, programmeLanguage: programme.language,
                                               organisations: try await organisationNames(),
                                               publicBaseURL: dependencies.publicBaseURL)
        var files: [ReportFile] = []
        if build.contains(.html) { files.append(ReportFile(format: .html, bytes: try writer.html(inputs))) }
        if build.contains(.odt) { files.append(ReportFile(format: .odt, bytes: try writer.odt(inputs))) }
        if formats.contains(.pdf), let source = files.first(where: { $0.format == renderer.source }) {
            files.append(ReportFile(format: .pdf, bytes: try await renderer.pdf(from: source.bytes)))
        }
        return files.filter { formats.contains($0.format) }
    }

    /// Who waits for a PDF place: one PDF per user at a time.
    static func pdfOwner(_ context: AppRequestContext) -> String {
        context.user.map { "user:\($0.id)" } ?? "anonymous"
    }

    // MARK: Pages

    func index(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        let format = Formatting(language: language)
        let today = dependencies.clock.today
        let canEdit = context.user.map { Self.editors.contains($0.role) } ?? false
        // Without a renderer a PDF link would end in a 503: drafts offer HTML and ODT only, and a
        // frozen version its PDF only when one was stored.
        let pdfAvailable = dependencies.pdfRenderer.source != nil
        let draftFormats = ReportFormat.allCases.filter { $0 != .pdf || pdfAvailable }
        let users = Dictionary(try await repositories.users.all().map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let allVersions = try await repositories.reportVersions.versions(programme: programme.slug)
        var years: [ReportsShow.Year] = []
        for year in programme.period.years.reversed() where year <= today.year {
            let versions = allVersions.filter { $0.year == year }
            let narrative = try await repositories.narratives.narrative(programme: programme.slug, year: year)
            years.append(ReportsShow.Year(
                year: year, anchor: "year-\(year)",
                dueOn: programme.reportDeadline(forYear: year).map(format.date) ?? "—",
                previewHref: SiteURL.report(year: year).path(language),
                drafts: draftFormats.map {
                    .init(label: $0.rawValue.uppercased(), href: SiteURL.reportDraft(year: year, format: $0).path(language), sha256: nil)
                },
                narrativeHref: canEdit ? SiteURL.reportNarrative(year: year).path(language) : nil,
                narrativeSaved: narrative.updatedAt.map { format.timestamp($0, in: dependencies.clock) },
                freezeAction: canEdit ? SiteURL.reportFreeze(year: year).path(language) : nil,
                nextVersion: (versions.first?.number ?? 0) + 1,
                versions: versions.map { v in
                    ReportsShow.Version(
                        number: v.number, frozenAt: format.timestamp(v.frozenAt, in: dependencies.clock),
                        frozenBy: v.frozenBy.flatMap { users[$0] } ?? "—",
                        files: ReportFormat.allCases.filter { $0 != .pdf || pdfAvailable || v.digests[$0] != nil }.map { f in
                            .init(label: f.rawValue.uppercased(),
                                  href: SiteURL.reportVersion(year: year, number: v.number, format: f).path(language),
                                  sha256: v.digests[f])
                        })
                },
                hasVersions: !versions.isEmpty))
        }
        let calendar = try await ReportCalendarBuilder(programme: programme, language: language, localiser: localiser,
                                                       repositories: repositories).build(clock: dependencies.clock)
        var chrome = dependencies.renderer.chrome(context, title: localiser.text("report.list-title", language), url: .reports)
        if context.notice?.kind == .frozen, let year = context.notice?.subject.map(Int.init),
           let frozen = allVersions.first(where: { $0.year == year }) {
            // Which version the banner is about, and where its files are.
            chrome.notice?.items = ["\(localiser.text("report.year", language)) \(year): \(localiser.text("report.edition.version", language)) \(frozen.number)"
                + (frozen.digests[.pdf] == nil ? " — \(localiser.text("report.frozen-without-pdf", language))" : "")]
            chrome.notice?.links = [.init(label: "\(localiser.text("report.versions", language)) \(year)",
                                          href: SiteURL.reports.path(language, fragment: "versions-\(year)"))]
        }
        // The technical detail (which program, which package is missing) is for administrators;
        // everyone else is told whether PDF works and whom to ask.
        let isAdministrator = context.user?.role == .administrator
        let model = ReportsShow.Model(
            page: chrome,
            programme: ProgrammePageBuilder(programme: programme, language: language, localiser: localiser).header(),
            calendar: calendar, years: years, pdfAvailable: pdfAvailable,
            pdfRenderer: isAdministrator ? dependencies.pdfRenderer.describe() : nil, showsPDFDetail: isAdministrator,
            canEdit: canEdit, budgetHref: SiteURL.budget.path(language))
        return try dependencies.renderer.render(ReportsShow.template, model).response()
    }

    /// The live report in the reader's language, marked as a draft.
    func draft(_ context: AppRequestContext, year: Int, format: ReportFormat, download: Bool) async throws -> Response {
        try Visibility.requireReportAccess(context.user)
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        guard programme.period.years.contains(year) else { throw DomainError.notFound("Year \(year)") }
        let today = dependencies.clock.today
        let build: @Sendable () async throws -> ReportFile = {
            try await files(programme: programme, year: year, language: language, edition: .draft,
                            generatedOn: today, formats: [format]).first!
        }
        // Building the report and printing it both run inside the PDF's place in the queue.
        let file = format == .pdf ? try await dependencies.pdfQueue.run(owner: Self.pdfOwner(context), build) : try await build()
        let name = AnnualReportWriter.fileName(programme: programme.slug, year: year, edition: .draft, format: format)
        return Self.response(file, name: name, download: download, cache: "no-store")
    }

    func version(_ context: AppRequestContext, year: Int, number: Int, format: ReportFormat) async throws -> Response {
        try Visibility.requireReportAccess(context.user)
        let programme = try await programme()
        var file = try await repositories.reportVersions.file(programme: programme.slug, year: year, number: number, format: format)
        if file == nil, format == .pdf {
            // Frozen while no PDF renderer was installed: made now from the frozen file the
            // renderer reads, then kept.
            guard let source = dependencies.pdfRenderer.source else { throw NoPDFRenderer.missing }
            if let frozen = try await repositories.reportVersions.file(programme: programme.slug, year: year, number: number, format: source) {
                let renderer = dependencies.pdfRenderer
                let bytes = try await dependencies.pdfQueue.run(owner: Self.pdfOwner(context)) { try await renderer.pdf(from: frozen.bytes) }
                file = try await dependencies.reports.addPDF(ReportFile(format: .pdf, bytes: bytes),
                                                             programme: programme.slug, year: year, number: number)
            }
        }
        guard let file else { throw DomainError.notFound("Version \(number) of the \(year) report") }
        let name = AnnualReportWriter.fileName(programme: programme.slug, year: year, edition: .version(number), format: format)
        // A frozen file never changes: caches may keep it (privately: it is behind sign-in).
        return Self.response(file, name: name, download: format != .html, cache: "private, max-age=31536000, immutable")
    }

    static func response(_ file: ReportFile, name: String, download: Bool, cache: String) -> Response {
        var headers: HTTPFields = [.contentType: file.format.mediaType, .cacheControl: cache,
                                   .eTag: "\"\(file.sha256)\""]
        headers[.contentDisposition] = "\(download ? "attachment" : "inline"); filename=\"\(name)\""
        if file.format == .html { headers[.contentSecurityPolicy] = ReportStylesheet.contentSecurityPolicy }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    // MARK: Narrative

    func narrative(_ context: AppRequestContext, year: Int, draft: ReportNarrative? = nil, errors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        guard programme.period.years.contains(year) else { throw DomainError.notFound("Year \(year)") }
        let stored = try await repositories.narratives.narrative(programme: programme.slug, year: year)
        let shown = draft ?? stored
        let items = localiser.fieldErrors(errors, language, form: [FormField("introduction", "report.narrative.introduction")]
            + programme.goals.map { FormField("goal-\($0.number)", named: "\(localiser.text("report.narrative.goal-comment", language)) \($0.number)") })
        var chrome = dependencies.renderer.chrome(context, title: "\(localiser.text("report.narrative.title", language)) \(year)",
                                                  url: .reportNarrative(year: year))
        if context.notice?.kind == .narrativeSaved {
            chrome.notice?.links = [.init(label: "\(localiser.text("report.preview", language)) \(year)", href: SiteURL.report(year: year).path(language)),
                                    .init(label: localiser.text("report.list-title", language), href: SiteURL.reports.path(language, fragment: "year-\(year)"))]
        }
        let model = NarrativeShow.Model(
            page: chrome,
            programme: ProgrammePageBuilder(programme: programme, language: language, localiser: localiser).header(),
            year: year, action: SiteURL.reportNarrative(year: year).path(language),
            previewHref: SiteURL.report(year: year).path(language), reportsHref: SiteURL.reports.path(language),
            introduction: shown.introduction, introductionError: errorFor("introduction", in: items),
            goals: programme.goals.map { goal in
                .init(number: goal.number, title: goal.title, field: "goal-\(goal.number)", text: shown.comment(goal: goal.number),
                      error: errorFor("goal-\(goal.number)", in: items))
            },
            errors: items,
            savedAt: stored.updatedAt.map { Formatting(language: language).timestamp($0, in: dependencies.clock) })
        return try dependencies.renderer.render(NarrativeShow.template, model,
                                                status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    func saveNarrative(_ context: AppRequestContext, year: Int) async throws -> Response {
        let programme = try await programme()
        let form = context.form
        var comments: [Int: String] = [:]
        for goal in programme.goals { comments[goal.number] = form.text("goal-\(goal.number)") }
        let narrative = ReportNarrative(introduction: form.text("introduction"), goalComments: comments)
        do {
            try await dependencies.reports.saveNarrative(narrative, programme: programme, year: year, by: context.user?.id)
        } catch let DomainError.invalid(problems) {
            return try await self.narrative(context, year: year, draft: narrative, errors: problems)
        }
        let language = try context.requireLanguage(localiser)
        return redirect(to: SiteURL.reportNarrative(year: year).path(language), notice: Notice(.narrativeSaved, subject: Int64(year)))
    }

    // MARK: Freezing

    func freeze(_ context: AppRequestContext, year: Int) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await programme()
        guard programme.period.years.contains(year) else { throw DomainError.notFound("Year \(year)") }
        // Freezing is for good: the first post only asks (what it keeps, what it cannot undo).
        guard context.form.isConfirmed else { return try await confirmFreeze(context, programme: programme, year: year) }
        try await dependencies.reports.freeze(programme: programme, year: year, by: context.user?.id) { number, now in
            // The council's copy is in the programme's own language, whatever the coordinator reads in.
            var files = try await files(programme: programme, year: year, language: programme.language,
                                        edition: .version(number), generatedOn: dependencies.clock.day(of: now),
                                        formats: [.html, .odt])
            var pdfPostponed = false
            if dependencies.pdfRenderer.describe() != nil, let html = files.first(where: { $0.format == .html }),
               let odt = files.first(where: { $0.format == .odt }) {
                do {
                    let renderer = dependencies.pdfRenderer
                    let pdf = try await dependencies.pdfQueue.run(owner: Self.pdfOwner(context)) {
                        try await renderer.pdf(html: html.bytes, odt: odt.bytes)
                    }
                    files.append(ReportFile(format: .pdf, bytes: pdf))
                } catch {
                    // The HTML and ODT are what is frozen; the PDF can be made from them later.
                    context.logger.warning("PDF not made while freezing", metadata: ["error": "\(error)"])
                    pdfPostponed = true
                }
            }
            return ReportService.FrozenFiles(files: files, pdfPostponed: pdfPostponed)
        }
        return redirect(to: SiteURL.reports.path(language, fragment: "year-\(year)"), notice: Notice(.frozen, subject: Int64(year)))
    }

    /// The confirmation step before freezing: which version, and that it cannot be undone.
    func confirmFreeze(_ context: AppRequestContext, programme: Programme, year: Int) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        func t(_ key: String) -> String {
            localiser.text(key, language).replacingOccurrences(of: "{year}", with: String(year))
        }
        let next = (try await repositories.reportVersions.versions(programme: programme.slug, year: year).first?.number ?? 0) + 1
        let programmeLanguageName = localiser.languages.first { $0.code == programme.language }?.name ?? programme.language
        var consequences = [t("report.freeze-confirm.files"), t("report.freeze-confirm.later"),
                            t("report.freeze-confirm.language").replacingOccurrences(of: "{language}", with: programmeLanguageName)]
        if dependencies.pdfRenderer.source == nil { consequences.append(t("report.freeze-confirm.no-pdf")) }
        let heading = t("report.freeze-confirm.heading").replacingOccurrences(of: "{version}", with: String(next))
        let model = ConfirmationShow.Model(
            page: dependencies.renderer.chrome(context, title: heading, url: .reports),
            heading: heading, lead: t("report.freeze-confirm.lead"), consequences: consequences,
            action: SiteURL.reportFreeze(year: year).path(language), fields: ConfirmationShow.carried(context.form),
            confirmLabel: t("report.freeze-confirm.button").replacingOccurrences(of: "{version}", with: String(next)),
            cancelHref: SiteURL.reports.path(language, fragment: "year-\(year)"))
        return try dependencies.renderer.render(ConfirmationShow.template, model).response()
    }
}

/// The coordinator's narrative for a year's report: introduction and a comment per goal.
public enum NarrativeShow {
    public static let template = "report-narrative"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var year: Int
        public var action: String
        public var previewHref: String
        public var reportsHref: String
        public var introduction: String
        public var introductionError: String?
        public var goals: [GoalComment]
        public var errors: [FormErrorItem]
        public var savedAt: String?
    }

    public struct GoalComment {
        public var number: Int
        public var title: String
        public var field: String
        public var text: String
        public var error: String?
    }
}

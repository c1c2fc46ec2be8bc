import Foundation
import Hummingbird
import OtwartyCore

/// Documents, service points with feedback, and patronage requests: the public pages and the
/// programme coordinator's side of each.
struct PublicServicesController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var repositories: Repositories { dependencies.repositories }
    var services: PublicServices { PublicServices(repositories: repositories, clock: dependencies.clock) }
    static let editors = Access.roles(PublicServices.editors)

    func register(on routes: Routes) {
        routes.page(.get, .documents, access: .everyone) { _, context in try await documents(context) }
        routes.api(.get, .document(0), access: .everyone) { _, context in try await download(context) }
        routes.page(.get, .manageDocuments, access: Self.editors) { _, context in try await manageDocuments(context) }
        routes.page(.post, .manageDocuments, access: Self.editors, body: .upload) { _, context in try await publish(context) }
        routes.page(.get, .servicePoints, access: .everyone) { _, context in try await servicePoints(context) }
        routes.page(.post, .serviceFeedback, access: .everyone) { _, context in try await feedback(context) }
        routes.page(.get, .manageServicePoints, access: Self.editors) { _, context in try await managePoints(context) }
        routes.page(.post, .manageServicePoints, access: Self.editors) { _, context in try await savePoint(context) }
        routes.page(.get, .patronage, access: .everyone) { _, context in try await patronageForm(context) }
        routes.page(.post, .patronage, access: .everyone) { _, context in try await submitPatronage(context) }
        routes.page(.get, .managePatronage, access: Self.editors) { _, context in try await managePatronage(context) }
        routes.page(.post, .patronageDecision(0), access: Self.editors) { _, context in try await decide(context) }
    }

    static func submissionToken() -> String { UUID().uuidString.lowercased() }

    /// The public forms that feed official figures are throttled like incident reports: per
    /// client (a keyed digest of its address, never the address) and for all clients together,
    /// counted in the database across instances; over the limit the answer is 429 with Retry-After.
    func throttled(_ action: AnonymousThrottle.Action, _ context: AppRequestContext) async throws {
        try await dependencies.incidentThrottle.check(action, client: context.clientAddress, now: dependencies.clock.now())
    }
    var today: CalendarDate { dependencies.clock.today }

    // MARK: Documents

    func documents(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let all = try await repositories.documents.documents(kind: nil)
        let format = Formatting(language: language)
        var latest: Set<String> = []
        let groups = PublicDocumentKind.allCases.map { kind -> DocumentsShow.Group in
            let rows = all.filter { $0.kind == kind }.map { d -> DocumentsShow.Row in
                let isLatest = latest.insert("\(d.kind.rawValue)|\(d.language)|\(d.title)").inserted
                return .init(title: d.title, language: d.language,
                             languageName: localiser.supports(d.language) ? localiser.text("language.name", d.language) : d.language,
                             version: d.version, publishedOn: format.date(d.publishedOn), href: SharedURL.document(d.id).path(),
                             format: (d.fileName as NSString).pathExtension.uppercased(),
                             size: format.number(max(1, Double(d.size) / 1024), maxFractionDigits: 0) + " kB"  /* never "0 kB" */, isLatest: isLatest)
            }
            return .init(kind: kind.rawValue, title: localiser.text("documents.kind.\(kind.rawValue)", language), documents: rows,
                         hasDocuments: !rows.isEmpty)
        }
        let model = DocumentsShow.Model(page: dependencies.renderer.chrome(context, title: localiser.text("documents.title", language),
                                                                           url: .documents), groups: groups)
        return try dependencies.renderer.render(DocumentsShow.template, model).response()
    }

    func download(_ context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap({ NumberRange.id.value($0) }),
              let (document, bytes) = try await repositories.documents.file(id: id) else { throw DomainError.notFound("Document") }
        var headers: HTTPFields = [.contentType: document.mediaType, .cacheControl: "public, max-age=31536000, immutable",
                                   .eTag: "\"\(document.sha256)\"",
                                   .contentDisposition: "attachment; filename=\"\(document.fileName)\""]
        // An uploaded HTML file must not run anything on this origin, nor be framed, nor change
        // where its relative links point (the site's own rules, stricter).
        headers[.contentSecurityPolicy] = "default-src 'none'; sandbox; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func manageDocuments(_ context: AppRequestContext, errors: [FieldError] = [], notice: String? = nil,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("kind", "documents.kind-label"), FormField("title", "forms.name.document-title"),
            FormField("language", "forms.name.language"), FormField("file", "forms.name.file"),
        ])
        var chrome = dependencies.renderer.chrome(context, title: localiser.text("documents.publish", language), url: .manageDocuments)
        if let notice = context.notice, notice.kind == .documentPublished {
            // The banner names the version just published and links the public page that now shows it.
            if let id = notice.subject, let document = try await repositories.documents.documents(kind: nil).first(where: { $0.id == id }) {
                chrome.notice?.items = [localiser.text("notice.document-published.item", language)
                    .replacingOccurrences(of: "{title}", with: document.title)
                    .replacingOccurrences(of: "{language}", with: document.language)
                    .replacingOccurrences(of: "{version}", with: String(document.version))]
            }
            chrome.notice?.links = [.init(label: localiser.text("documents.title", language), href: SiteURL.documents.path(language))]
        }
        let model = ManageDocumentsShow.Model(
            page: chrome,
            action: SiteURL.manageDocuments.path(language),
            kinds: PublicDocumentKind.allCases.map {
                .init(value: $0.rawValue, label: "\(localiser.text("documents.kind.\($0.rawValue)", language)) (\(localiser.text("report.task", language)) \($0.taskCode))",
                      selected: context.form.text("kind") == $0.rawValue)
            },
            errors: items, title: context.form.text("title"), language: context.form.text("language"),
            titleError: errorFor("title", in: items), languageError: errorFor("language", in: items),
            fileError: errorFor("file", in: items),
            fileHint: localiser.text("documents.file-hint", language)
                .replacingOccurrences(of: "{mb}", with: String(min(PublicDocument.maxBytes, dependencies.maxUploadBytes) / 1_048_576)),
            notice: notice, publicHref: SiteURL.documents.path(language),
            manageServicePointsHref: SiteURL.manageServicePoints.path(language), managePatronageHref: SiteURL.managePatronage.path(language),
            manageAmbassadorHref: SiteURL.manageAmbassador.path(language))
        return try dependencies.renderer.render(ManageDocumentsShow.template, model, status: status).response()
    }

    func publish(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        let file = context.uploads["file"]
        do {
            let document = try await services.publish(
                kind: PublicDocumentKind(rawValue: context.form.text("kind")) ?? .welcomePack, language: context.form.text("language"),
                title: context.form.text("title"), fileName: file?.filename ?? "", bytes: file?.bytes ?? [], by: user)
            return redirect(to: SiteURL.manageDocuments.path(language), notice: Notice(.documentPublished, subject: document.id))
        } catch let DomainError.invalid(problems) {
            return try await manageDocuments(context, errors: problems, status: .unprocessableContent)
        }
    }

    // MARK: Service points

    func servicePoints(_ context: AppRequestContext, notice: String? = nil, errors: [FieldError] = [], failedPoint: Int64? = nil,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let points = try await repositories.servicePoints.all()
        let canEdit = context.user.map { PublicServices.editors.contains($0.role) } ?? false
        // Only the form that was sent shows its errors; the summary links into that point's form.
        let items = failedPoint.map { id in
            localiser.fieldErrors(errors, language, form: [FormField("rating", "forms.name.rating", anchor: "rating-\(id)-positive"),
                                                           FormField("comment", "forms.name.comment", anchor: "comment-\(id)")])
        } ?? []
        let model = ServicePointsShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("points.title", language), url: .servicePoints),
            points: points.map { point in
                let failed = point.id == failedPoint
                return .init(id: point.id, name: point.name, address: point.address, openingHours: point.openingHours,
                             languages: point.languages, contact: point.contact,
                             ratingError: failed ? errorFor("rating", in: items) : nil, commentError: failed ? errorFor("comment", in: items) : nil,
                             comment: failed ? context.form.text("comment") : "",
                             isPositive: failed && context.form.text("rating") == "positive", isNegative: failed && context.form.text("rating") == "negative")
            },
            hasPoints: !points.isEmpty, feedbackAction: SiteURL.serviceFeedback.path(language),
            submission: Self.submissionToken(), notice: notice,
            manageHref: canEdit ? SiteURL.manageServicePoints.path(language) : nil, errors: items)
        return try dependencies.renderer.render(ServicePointsShow.template, model, status: status).response()
    }

    func feedback(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        try await throttled(.rating, context)
        let form = context.form
        guard let point = form.id("point") else {
            throw DomainError.invalid([FieldError(field: "point", messageKey: "error.invalid", message: "choose a service point")])
        }
        // Every wrong field at once, shown on the page in that point's form.
        var problems: [FieldError] = []
        if !["positive", "negative"].contains(form.text("rating")) {
            problems.append(FieldError(field: "rating", messageKey: "error.feedback.rating", message: "choose a rating"))
        }
        if form.text("comment").count > ServiceFeedback.maxComment {
            problems.append(FieldError(field: "comment", messageKey: "error.incident.too-long", message: "at most 2,000 characters"))
        }
        guard problems.isEmpty else {
            return try await servicePoints(context, errors: problems, failedPoint: point, status: .unprocessableContent)
        }
        try await services.rate(pointID: point, positive: form.text("rating") == "positive", comment: form.text("comment"),
                                language: language, submission: form.text("submission"))
        // Post/redirect/get: a refresh cannot send the rating again. The list renders per request
        // (it carries a fresh submission token), so the banner's cookie is read and cleared there.
        return redirect(to: SiteURL.servicePoints.path(language), notice: Notice(.feedbackSent))
    }

    func managePoints(_ context: AppRequestContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let year = today.year
        // The form that came back: an existing point's (its id) or the add form ("new"); the
        // summary links into that form's inputs.
        let failedID = errors.isEmpty ? nil : (context.form.id("id").flatMap { $0 == 0 ? nil : $0 })
        let suffix = errors.isEmpty ? "" : failedID.map(String.init) ?? "new"
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("name", "points.name", anchor: "name-\(suffix)"), FormField("address", "points.address", anchor: "address-\(suffix)"),
            FormField("openingHours", "points.hours", anchor: "hours-\(suffix)"),
            FormField("languages", "points.languages", anchor: "languages-\(suffix)"), FormField("contact", "points.contact", anchor: "contact-\(suffix)"),
        ])
        let summary = try await repositories.servicePoints.feedbackSummary(year: year)
        let format = Formatting(language: language)
        var points: [ManageServicePointsShow.Point] = []
        for p in try await repositories.servicePoints.all() {
            let mine = summary.filter { $0.pointID == p.id }
            let comments = try await repositories.servicePoints.comments(pointID: p.id, limit: 50)
            points.append(.init(id: p.id, name: p.name, address: p.address, openingHours: p.openingHours, languages: p.languages,
                                contact: p.contact, positive: mine.reduce(0) { $0 + $1.positive }, negative: mine.reduce(0) { $0 + $1.negative },
                                comments: comments.map {
                                    .init(date: format.date($0.receivedOn), rating: localiser.text($0.positive ? "points.positive" : "points.negative", language),
                                          language: $0.language, text: $0.comment)
                                },
                                hasComments: !comments.isEmpty,
                                fieldErrors: p.id == failedID ? .init(errors: items, form: nil) : .init()))
        }
        var chrome = dependencies.renderer.chrome(context, title: localiser.text("points.manage", language), url: .manageServicePoints)
        if context.notice?.kind == .servicePointSaved {
            chrome.notice?.links = [.init(label: localiser.text("points.title", language), href: SiteURL.servicePoints.path(language))]
        }
        let model = ManageServicePointsShow.Model(
            page: chrome,
            action: SiteURL.manageServicePoints.path(language), points: points, year: year,
            errors: items, newPoint: suffix == "new" ? .init(errors: items, form: context.form) : .init())
        return try dependencies.renderer.render(ManageServicePointsShow.template, model, status: status).response()
    }

    func savePoint(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let form = context.form
        let point = ServicePoint(id: form.id("id") ?? 0, name: form.text("name").trimmingCharacters(in: .whitespaces),
                                 address: form.text("address"), openingHours: form.text("openingHours"), languages: form.text("languages"),
                                 contact: form.text("contact"))
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        do {
            try await services.savePoint(point, by: user)
        } catch let DomainError.invalid(problems) {
            return try await managePoints(context, errors: problems, status: .unprocessableContent)
        }
        return redirect(to: SiteURL.manageServicePoints.path(language), notice: Notice(.servicePointSaved))
    }

    // MARK: Patronage

    /// The patronage form's fields in its order, as the error summary names them.
    static let patronageFields: [FormField] = [
        FormField("applicant", "patronage.applicant"), FormField("project", "patronage.project"),
        FormField("startsOn", "patronage.starts"), FormField("endsOn", "patronage.ends"),
        FormField("description", "patronage.description"), FormField("contact", "patronage.contact"),
    ]

    func patronageForm(_ context: AppRequestContext, errors: [FieldError] = [], received: String? = nil,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let form = context.form
        let items = localiser.fieldErrors(errors, language, form: Self.patronageFields)
        var chrome = dependencies.renderer.chrome(context, title: localiser.text("patronage.title", language), url: .patronage)
        if let notice = context.notice, notice.kind == .patronageSent, let number = notice.subject {
            chrome.notice?.items = [localiser.text("notice.patronage-sent.number", language)
                .replacingOccurrences(of: "{number}", with: String(number))]
        }
        let model = PatronageFormShow.Model(
            page: chrome,
            action: SiteURL.patronage.path(language),
            submission: errors.isEmpty ? Self.submissionToken() : form.text("submission"), errors: items,
            applicant: received == nil ? form.text("applicant") : "", project: received == nil ? form.text("project") : "",
            startsOn: received == nil ? form.text("startsOn") : "", endsOn: received == nil ? form.text("endsOn") : "",
            description: received == nil ? form.text("description") : "", contact: received == nil ? form.text("contact") : "",
            applicantError: errorFor("applicant", in: items), projectError: errorFor("project", in: items),
            startsOnError: errorFor("startsOn", in: items), endsOnError: errorFor("endsOn", in: items),
            descriptionError: errorFor("description", in: items), contactError: errorFor("contact", in: items), received: received)
        return try dependencies.renderer.render(PatronageFormShow.template, model, status: status).response()
    }

    func submitPatronage(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        try await throttled(.patronage, context)
        let form = context.form
        let starts = CalendarDate(iso: form.text("startsOn")), ends = CalendarDate(iso: form.text("endsOn"))
        let submission = form.text("submission")
        guard (16...64).contains(submission.count) else { throw DomainError.invalid([FieldError(field: "submission", messageKey: "error.invalid", message: "reload the form")]) }
        let request = PatronageRequest(
            applicant: form.text("applicant").trimmingCharacters(in: .whitespaces), project: form.text("project").trimmingCharacters(in: .whitespaces),
            startsOn: starts ?? today, endsOn: ends ?? starts ?? today, description: form.text("description"), contact: form.text("contact"),
            language: language, submittedOn: today, submission: submission)
        // A missing date is reported together with every other wrong field, in one round: the
        // request's own rules run on the rest (the date rules only when both dates were read).
        var unreadable: [FieldError] = []
        if starts == nil { unreadable.append(FieldError(field: "startsOn", messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)")) }
        if ends == nil { unreadable.append(FieldError(field: "endsOn", messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)")) }
        if !unreadable.isEmpty {
            let rest = request.problems(today: today).filter { !["startsOn", "endsOn"].contains($0.field) }
            return try await patronageForm(context, errors: unreadable + rest, status: .unprocessableContent)
        }
        do {
            let stored = try await services.submitPatronage(request)
            // Post/redirect/get to an empty form, which renders per request: the banner gives the number.
            return redirect(to: SiteURL.patronage.path(language), notice: Notice(.patronageSent, subject: stored.id))
        } catch let DomainError.invalid(problems) {
            return try await patronageForm(context, errors: problems, status: .unprocessableContent)
        }
    }

    func managePatronage(_ context: AppRequestContext, errors: [FieldError] = [], failedRequest: Int64? = nil,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let format = Formatting(language: language)
        let requests = try await repositories.patronage.requests(status: nil)
        // The decision form that came back shows its errors; the summary links into it.
        let failed = failedRequest ?? 0
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("decision", "patronage.decision", anchor: "decision-\(failed)-grant"),
            FormField("reason", "patronage.reason", anchor: "reason-\(failed)"),
        ])
        let model = ManagePatronageShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("patronage.manage", language), url: .managePatronage),
            requests: requests.map { r in
                .init(id: r.id, applicant: r.applicant, project: r.project,
                      dates: "\(format.date(r.startsOn)) – \(format.date(r.endsOn))", description: r.description, contact: r.contact,
                      submittedOn: format.date(r.submittedOn), status: localiser.text("patronage.status.\(r.status.rawValue)", language),
                      statusCode: r.status.rawValue, reason: r.reason,
                      decideAction: r.status == .pending ? SiteURL.patronageDecision(r.id).path(language) : nil,
                      decisionError: r.id == failedRequest ? errorFor("decision", in: items) : nil,
                      reasonError: r.id == failedRequest ? errorFor("reason", in: items) : nil,
                      reasonSent: r.id == failedRequest ? context.form.text("reason") : "",
                      grantChosen: r.id == failedRequest && context.form.text("decision") == "grant",
                      refuseChosen: r.id == failedRequest && context.form.text("decision") == "refuse")
            },
            hasRequests: !requests.isEmpty, errors: items)
        return try dependencies.renderer.render(ManagePatronageShow.template, model, status: status).response()
    }

    func decide(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        guard let user = context.user, let id = context.parameters.get("id").flatMap({ NumberRange.id.value($0) }) else { throw DomainError.notFound("Request") }
        let grant = context.form.text("decision") == "grant"
        // Both choices are checked in one round: no decision chosen is not read as a refusal.
        var problems: [FieldError] = []
        if !["grant", "refuse"].contains(context.form.text("decision")) {
            problems.append(FieldError(field: "decision", messageKey: "error.patronage.decision", message: "choose grant or refuse"))
        }
        let reason = context.form.text("reason").trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty || reason.count > 2_000 {
            problems.append(FieldError(field: "reason", messageKey: "error.patronage.reason", message: "give the reason"))
        }
        guard problems.isEmpty else {
            return try await managePatronage(context, errors: problems, failedRequest: id, status: .unprocessableContent)
        }
        do {
            // A request is decided once and a grant counts toward task 4.3: the first post only
            // checks the decision and asks for confirmation; the confirmed one decides.
            guard context.form.isConfirmed else {
                let request = try services.checkPatronageDecision(
                    try await repositories.patronage.request(id: id), id: id, reason: context.form.text("reason"))
                return try confirmDecision(context, request: request, grant: grant, language: language)
            }
            try await services.decidePatronage(id: id, grant: grant, reason: context.form.text("reason"), by: user)
        } catch let DomainError.invalid(problems) {
            return try await managePatronage(context, errors: problems, failedRequest: id, status: .unprocessableContent)
        }
        // No fragment: the page opens at the top, where the banner is.
        return redirect(to: SiteURL.managePatronage.path(language), notice: Notice(grant ? .patronageGranted : .patronageRefused, subject: id))
    }

    func confirmDecision(_ context: AppRequestContext, request: PatronageRequest, grant: Bool, language: String) throws -> Response {
        let reason = context.form.text("reason").trimmingCharacters(in: .whitespacesAndNewlines)
        let heading = localiser.text(grant ? "confirm.patronage-grant.heading" : "confirm.patronage-refuse.heading", language)
            .replacingOccurrences(of: "{project}", with: request.project)
        let lead = localiser.text("confirm.patronage.lead", language).replacingOccurrences(of: "{applicant}", with: request.applicant)
            .replacingOccurrences(of: "{reason}", with: reason)
        let model = ConfirmationShow.Model(
            page: dependencies.renderer.chrome(context, title: heading, url: .managePatronage), heading: heading, lead: lead,
            consequences: [localiser.text("confirm.patronage.final", language)] + (grant ? [localiser.text("confirm.patronage.counts", language)] : []),
            action: SiteURL.patronageDecision(request.id).path(language), fields: ConfirmationShow.carried(context.form),
            confirmLabel: localiser.text(grant ? "confirm.patronage.grant" : "confirm.patronage.refuse", language),
            cancelHref: SiteURL.managePatronage.path(language, fragment: "request-\(request.id)"), isDanger: !grant)
        return try dependencies.renderer.render(ConfirmationShow.template, model).response()
    }
}

import Foundation
import Hummingbird
import OtwartyCore

/// Reporting pages: lists with drill-down, a record and its trail, the entry form, the review queue.
struct ActivitiesController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var service: ActivityService { dependencies.activities }
    static let writers = Access.roles(ActivityService.reporters.union(ActivityService.reviewers))
    static let reviewers = Access.roles(ActivityService.reviewers)
    static let pageSize = 50
    /// The review queue's count profiles, kept per data version (QualityFlags.swift).
    let profileCache = CountProfileCache(capacity: 256, name: "count_profiles")

    func register(on routes: Routes) {
        routes.page(.get, .activities, access: .roles(Role.signedIn)) { request, context in try await list(request, context, queue: false) }
        routes.page(.get, .review, access: Self.reviewers) { request, context in try await reviewQueue(request, context) }
        routes.page(.get, .activityNew, access: Self.writers) { _, context in
            try requireCreator(context)
            return try await form(context, record: nil)
        }
        routes.page(.post, .activityNew, access: Self.writers) { _, context in
            try requireCreator(context)
            return try await save(context, id: nil)
        }
        routes.page(.get, .activity(0), access: .roles(Role.signedIn)) { request, context in
            try await show(context, query: { request.uri.queryParameters.get($0) })
        }
        routes.page(.get, .activityEdit(0), access: Self.writers) { _, context in
            let user = try context.requireUser()
            let record = try await service.record(id: try context.pathID("id", "Record"), as: user)
            // A record its state keeps from being edited (submitted, approved) has no form: its page
            // says why and what can be done (an old bookmark or a back button lands there).
            guard ActivityService.canEdit(record, as: user) else {
                return redirect(to: SiteURL.activity(record.id).path(try context.requireLanguage(localiser)))
            }
            return try await form(context, record: record)
        }
        routes.page(.post, .activityEdit(0), access: Self.writers) { _, context in
            try await save(context, id: try context.pathID("id", "Record"))
        }
        routes.page(.post, .activitySubmit(0), access: Self.writers) { _, context in
            try await transition(context, notice: .submitted) { id, user in try await service.submit(id: id, as: user) }
        }
        routes.page(.post, .activityApprove(0), access: Self.reviewers) { _, context in
            try await transition(context, notice: .approved) { id, user in try await service.approve(id: id, as: user) }
        }
        routes.page(.post, .activityReturn(0), access: Self.reviewers) { _, context in try await returnOrReopen(context) }
    }

    // MARK: Lists

    func list(_ request: Request, _ context: AppRequestContext, queue: Bool) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let programme = try await defaultProgramme()
        let q = request.uri.queryParameters
        var filter = ActivityFilter(programmeSlug: programme.slug)
        var note: (label: String, subject: String)?
        if queue {
            filter.statuses = [.submitted]
        } else if let status = q.get("status").flatMap(ActivityStatus.init(rawValue:)) {
            filter.statuses = [status]
        }
        filter.year = try request.number("year", in: .year)
        if let code = q.get("measure"), let measure = programme.measure(code: code), let rule = measure.rule {
            filter.rule = rule
            filter.statuses = [.approved]
            note = (localiser.text("activities.drill-measure", language), "\(code) \(measure.name)")
        } else if let goal = try request.number("result", in: .ordinal), let result = programme.results.first(where: { $0.goal == goal }),
                  let rule = result.rule {
            filter.rule = rule.rule
            filter.statuses = [.approved]
            note = (localiser.text("activities.drill-result", language), "\(goal): \(result.indicator)")
        }
        // Bounded (1…10,000): `page=9223372036854775807` trapped in `(page - 1) * pageSize` and stopped the server.
        let page = try request.number("page", in: .page) ?? 1
        let records = try await service.list(filter, limit: Self.pageSize, offset: (page - 1) * Self.pageSize, as: user)
        let total = try await service.count(filter, as: user)
        let names = try await organisationNames()
        let url: SiteURL = queue ? .review : .activities
        // The list's own filters, as the request gave them, carried to the next and previous page.
        func link(page p: Int) -> String {
            let filters: [QueryParameter.Name] = [.status, .year, .measure, .result]
            return url.path(language, query: [.page(p)] + filters.compactMap { name in q.get(name.rawValue).map { QueryParameter(name, String($0)) } })
        }
        let isReviewer = ActivityService.reviewers.contains(user.role)
        let pager = PageNumbers(current: page, total: total, pageSize: Self.pageSize) { link(page: $0) }
        let model = ActivitiesShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text(queue ? "review.title" : "activities.title", language),
                                               url: queue ? .review : .activities),
            heading: localiser.text(queue ? "review.title" : "activities.title", language),
            filterLabel: note?.label, filterSubject: note?.subject,
            rows: records.map { row($0, names: names, language: language, reviewActions: queue && isReviewer) },
            total: total,
            showing: localiser.plural("activities.count", count: total, language),
            newHref: ActivityService.canCreate(as: user) ? SiteURL.activityNew.path(language) : nil,
            previousHref: pager.previousHref, nextHref: pager.nextHref,
            statusLinks: queue ? [] : [nil, .draft, .submitted, .approved, .returned].map { (status: ActivityStatus?) in
                FilterLink(label: status.map { localiser.text("activity.status.\($0.rawValue)", language) } ?? localiser.text("activities.all", language),
                           href: url.path(language, query: status.map { [.status($0.rawValue)] } ?? []),
                           isCurrent: q.get("status") == status?.rawValue && q.get("measure") == nil && q.get("result") == nil)
            },
            isReviewQueue: queue,
            exportHref: SiteURL.exportActivities.path(language, query: filter.year.map { [.year($0)] } ?? []),
            importHref: isReviewer ? SiteURL.activityImport.path(language) : nil, pageLinks: pager.links)
        return try dependencies.renderer.render(ActivitiesShow.template, model).response()
    }

    func row(_ r: ActivityRecord, names: [OrganisationID: String], language: String, reviewActions: Bool) -> ActivityRow {
        let format = Formatting(language: language)
        return ActivityRow(
            id: r.id, href: SiteURL.activity(r.id).path(language), title: r.title, task: r.taskCode,
            kind: localiser.text("activity.kind.\(r.kind.rawValue)", language),
            date: format.date(r.startDate) + (r.endDate.map { " – " + format.date($0) } ?? ""),
            organisation: names[r.organisationID] ?? "—",
            district: r.district?.label ?? localiser.text("dashboard.city-wide", language),
            status: localiser.text("activity.status.\(r.status.rawValue)", language), statusCode: r.status.rawValue,
            approveAction: reviewActions ? SiteURL.activityApprove(r.id).path(language) : nil,
            returnAction: reviewActions ? SiteURL.activityReturn(r.id).path(language) : nil,
            waiting: reviewActions ? waiting(r, language: language) : nil)
    }

    // MARK: One record

    /// The record, with what its state allows the reader to do (docs/design.md, "Actions offered
    /// by state"). `comment` and `errors` come back from a return or reopen that failed.
    func show(_ context: AppRequestContext, query: (String) -> String? = { _ in nil }, comment: String = "",
              errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let record = try await service.record(id: try context.pathID("id", "Record"), as: user)
        let names = try await organisationNames()
        let format = Formatting(language: language)
        func t(_ key: String) -> String { localiser.text(key, language) }
        var facts: [ActivityShow.Fact] = [
            .init(label: t("activity.field.task"), value: record.taskCode),
            .init(label: t("activity.field.kind"), value: t("activity.kind.\(record.kind.rawValue)")),
            .init(label: t("activity.field.date"), value: format.date(record.startDate) + (record.endDate.map { " – " + format.date($0) } ?? "")),
            .init(label: t("form.organisation"), value: names[record.organisationID] ?? "—"),
            .init(label: t("dashboard.district"), value: record.district?.label ?? t("dashboard.city-wide")),
        ]
        if let p = record.participants { facts.append(.init(label: t("activity.field.participants"), value: format.number(Double(p)))) }
        if let b = record.beneficiaries { facts.append(.init(label: t("activity.field.beneficiaries"), value: format.number(Double(b)))) }
        if !record.audiences.isEmpty {
            facts.append(.init(label: t("activity.field.audience"),
                               value: record.audiences.map { t("activity.audience.\($0.rawValue)") }.sorted().joined(separator: ", ")))
        }
        if let breakdown = record.participantsByAudience {
            // "Pracownicy UMK 12, Straż Miejska 8, Policja 20", in the audiences' fixed order.
            facts.append(.init(label: t("activity.field.breakdown"), value: breakdown.ordered.map {
                "\(t("activity.audience.\($0.audience.rawValue)")) \(format.number(Double($0.count)))"
            }.joined(separator: ", ")))
        }
        if let new = record.participantsNew {
            facts.append(.init(label: t("activity.field.participants-new"), value: format.number(Double(new))))
        }
        if let a = record.amountGrosze { facts.append(.init(label: t("activity.field.amount"), value: format.money(Money(grosze: a)) + " zł")) }
        if let i = record.institution { facts.append(.init(label: t("activity.field.institution"), value: i)) }
        if !record.languages.isEmpty { facts.append(.init(label: t("activity.field.languages"), value: record.languages.joined(separator: ", "))) }
        if !record.notes.isEmpty { facts.append(.init(label: t("activity.field.notes"), value: record.notes)) }
        if let e = record.evidenceURL { facts.append(.init(label: t("activity.field.evidence"), value: e)) }
        // Imported records have one batch entry in the audit log, not their own; these two facts
        // say when every record was made and last changed all the same.
        facts.append(.init(label: t("activity.field.created"), value: format.timestamp(record.createdAt, in: dependencies.clock)))
        if let submitted = record.submittedAt {
            facts.append(.init(label: t("activity.field.submitted"), value: format.timestamp(submitted, in: dependencies.clock)))
        }
        if record.updatedAt != record.createdAt {
            facts.append(.init(label: t("activity.field.updated"), value: format.timestamp(record.updatedAt, in: dependencies.clock)))
        }
        let isReviewer = ActivityService.reviewers.contains(user.role)
        let ownsIt = ActivityService.reporters.contains(user.role) && user.organisationID == record.organisationID
        // The trail (and the review comment, which `service.record` already left out) only for
        // reviewers and the record's own organisation (least privilege).
        let history = try await service.history(of: record, as: user)
        let users = history == nil ? [:]
            : Dictionary(try await dependencies.repositories.users.all().map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let trail = (history ?? []).map {
            ActivityShow.TrailEntry(when: format.timestamp($0.at, in: dependencies.clock), who: $0.actorUserID.flatMap { users[$0] } ?? "—",
                                    action: t("audit.\($0.action)"))
        }
        let programme = try await defaultProgramme()
        // Opened from a filtered queue (the approval banner's "next" link): approving here offers
        // the next record of the same view.
        let filters = (try? QueueFilters(query, programme: programme)) ?? QueueFilters()
        var chrome = dependencies.renderer.chrome(context, title: record.title, url: .activity(record.id))
        try await addApprovalDetails(to: &chrome, context: context, programme: programme, language: language, queue: filters)
        let mayAct = ownsIt || isReviewer
        let canChange = [.draft, .returned].contains(record.status)
        // Data-quality flags for the reviewer deciding on a submitted record (never a block).
        let quality = isReviewer && record.status == .submitted
            ? flagRows(try await qualityFlags(for: [record], programme: programme)[record.id] ?? [], record: record, names: names,
                       language: language)
            : []
        let items = localiser.fieldErrors(errors, language)
        let model = ActivityShow.Model(
            page: chrome,
            record: row(record, names: names, language: language, reviewActions: false), facts: facts,
            reviewComment: record.reviewComment,
            stateText: stateText(record, language: language, isReviewer: isReviewer, mayAct: mayAct),
            editHref: ActivityService.canEdit(record, as: user) ? SiteURL.activityEdit(record.id).path(language) : nil,
            submitAction: mayAct && canChange ? SiteURL.activitySubmit(record.id).path(language) : nil,
            approveAction: isReviewer && record.status == .submitted ? SiteURL.activityApprove(record.id).path(language) : nil,
            returnAction: isReviewer && record.status == .submitted ? SiteURL.activityReturn(record.id).path(language) : nil,
            reopenAction: isReviewer && record.status == .approved ? SiteURL.activityReturn(record.id).path(language) : nil,
            carried: filters.query.map { ConfirmationShow.Field(name: $0.name.rawValue, value: $0.value) },
            comment: comment, commentError: errorFor("comment", in: items), errors: items,
            trail: trail, showsTrail: history != nil, quality: quality)
        return try dependencies.renderer.render(ActivityShow.template, model, status: status).response()
    }

    /// What the record's state means for the reader and what happens next.
    func stateText(_ record: ActivityRecord, language: String, isReviewer: Bool, mayAct: Bool) -> String {
        func t(_ key: String) -> String { localiser.text(key, language) }
        switch record.status {
        case .draft:
            return t(mayAct ? "activity.state.draft" : "activity.state.draft-other")
        case .submitted:
            let since = waiting(record, language: language) ?? ""
            return t(isReviewer ? "activity.state.submitted-reviewer" : "activity.state.submitted").replacingOccurrences(of: "{since}", with: since)
        case .returned:
            return t(mayAct ? "activity.state.returned" : "activity.state.returned-other")
        case .approved:
            return t(isReviewer ? "activity.state.approved-reviewer" : mayAct ? "activity.state.approved-owner" : "activity.state.approved")
        }
    }

    /// Submit and approve: the action, then the page to go on from with a banner saying what
    /// happened (post/redirect/get). From the queue, back to the queue as it was (its filters
    /// and page, carried by the form); else to the record, which shows its new state.
    func transition(_ context: AppRequestContext, notice: Notice.Kind,
                    _ action: (ActivityID, User) async throws -> ActivityRecord) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let id = try context.pathID("id", "Record")
        _ = try await action(id, user)
        let programme = try await defaultProgramme()
        let filters = try QueueFilters({ context.form.fields[$0]?.first }, programme: programme)
        let back = context.form.text("back") == "review" ? SiteURL.review.path(language, query: filters.queryWithPage)
            : SiteURL.activity(id).path(language, query: filters.query)
        return redirect(to: back, notice: Notice(notice, subject: id))
    }

    /// Returning a submitted record, or reopening an approved one. Both need a comment the
    /// organisation will read; reopening takes the record out of the counts, so it is confirmed
    /// on a page of its own first. A missing comment shows the record again with the error beside
    /// the field, not an error page.
    func returnOrReopen(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let id = try context.pathID("id", "Record")
        let record = try await service.record(id: id, as: user)
        let comment = context.form.text("comment")
        func t(_ key: String) -> String { localiser.text(key, language) }
        do {
            if record.status == .approved, !context.form.isConfirmed {
                // The comment is checked before the confirmation page, so confirming cannot fail on it.
                try ActivityService.checkReturnComment(comment)
                let programme = try await defaultProgramme()
                let contribution = programme.contribution(of: record)
                let model = ConfirmationShow.Model(
                    page: dependencies.renderer.chrome(context, title: t("activity.reopen-confirm.title"), url: .activity(id)),
                    heading: t("activity.reopen-confirm.title"),
                    lead: t("activity.reopen-confirm.lead").replacingOccurrences(of: "{title}", with: record.title),
                    consequences: [t("activity.reopen-confirm.counts")]
                        + contribution.measures.map { "\($0.code) \($0.name)" }.prefix(5)
                        + [t("activity.reopen-confirm.frozen"), t("activity.reopen-confirm.comment")],
                    action: SiteURL.activityReturn(id).path(language), fields: ConfirmationShow.carried(context.form),
                    confirmLabel: t("activity.reopen-button"), cancelHref: SiteURL.activity(id).path(language))
                return try dependencies.renderer.render(ConfirmationShow.template, model).response()
            }
            _ = try await service.returnForChanges(id: id, comment: comment, as: user)
        } catch let DomainError.invalid(errors) {
            return try await show(context, comment: comment, errors: errors, status: .unprocessableContent)
        }
        return redirect(to: SiteURL.activity(id).path(language), notice: Notice(record.status == .approved ? .reopened : .returned, subject: id))
    }

    // MARK: The form

    func form(_ context: AppRequestContext, record: ActivityRecord?, form: FormData? = nil,
              errors: [FieldError] = [], status: HTTPResponse.Status = .ok, conflict: Bool = false) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let programme = try await defaultProgramme()
        let input = record?.input
        func selected(_ field: String, _ value: String, _ current: String?) -> Bool {
            form.map { $0.text(field) == value } ?? (current == value)
        }
        let organisations = try await dependencies.repositories.organisations.all()
            .filter { ActivityService.reviewers.contains(user.role) || $0.id == user.organisationID }
        let items = localiser.fieldErrors(errors, language, form: ActivityForm.formFields)
        let err = { (field: String) in errorFor(field, in: items) }
        let chosenAudiences = Set(form?.fields["audience"] ?? input?.audiences.map(\.rawValue) ?? [])
        let model = ActivityFormShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text(record == nil ? "activity.new" : "activity.edit", language),
                                               url: record.map { .activityEdit($0.id) } ?? .activityNew),
            heading: localiser.text(record == nil ? "activity.new" : "activity.edit", language),
            action: (record.map { SiteURL.activityEdit($0.id) } ?? .activityNew).path(language), errors: items,
            tasks: programme.tasks.map { .init(value: $0.code, label: "\($0.code) \($0.title)", selected: selected("task", $0.code, input?.taskCode)) },
            kinds: ActivityKind.allCases.map { .init(value: $0.rawValue, label: localiser.text("activity.kind.\($0.rawValue)", language),
                                                      selected: selected("kind", $0.rawValue, input?.kind.rawValue)) },
            organisations: organisations.map { .init(value: String($0.id), label: $0.name,
                                                     selected: selected("organisation", String($0.id), input.map { String($0.organisationID) } ?? (organisations.count == 1 ? String($0.id) : nil))) },
            districts: District.all.map { .init(value: String($0.number), label: $0.label,
                                                selected: selected("district", String($0.number), input?.district.map { String($0.number) })) },
            audiences: Audience.allCases.map { .init(value: $0.rawValue, label: localiser.text("activity.audience.\($0.rawValue)", language),
                                                     selected: chosenAudiences.contains($0.rawValue)) },
            fields: ActivityForm.fields(input, form: form),
            fieldErrors: .init(task: err("task"), kind: err("kind"), title: err("title"), startDate: err("startDate"),
                               endDate: err("endDate"), organisation: err("organisation"), district: err("district"), participants: err("participants"),
                               beneficiaries: err("beneficiaries"), amount: err("amount"), institution: err("institution"),
                               notes: err("notes"), evidenceURL: err("evidenceURL"),
                               participantsByAudience: err("participantsByAudience"), participantsNew: err("participantsNew")))
        var shown = model
        shown.parts = ActivityForm.parts(input, form: form, label: { localiser.text("activity.audience.\($0.rawValue)", language) },
                                         error: err)
        if conflict, let record {
            let state = localiser.text("activity.status.\(record.status.rawValue)", language)
            shown.conflict = localiser.text("activity.edit-conflict.text", language).replacingOccurrences(of: "{status}", with: state)
            shown.recordHref = SiteURL.activity(record.id).path(language)
        }
        return try dependencies.renderer.render(ActivityFormShow.template, shown, status: status).response()
    }

    func save(_ context: AppRequestContext, id: ActivityID?) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try context.requireUser()
        let programme = try await defaultProgramme()
        let existing = try await id.asyncMap { try await service.record(id: $0, as: user) }
        if let existing, !ActivityService.canEdit(existing, as: user) {
            // The record moved on while the form was open (submitted from another tab, approved by
            // the coordinator): nothing is saved, and the form comes back as typed with the reason,
            // so the text can be copied rather than lost to an error page.
            return try await form(context, record: existing, form: context.form, status: .conflict, conflict: true)
        }
        let (input, readErrors) = ActivityForm(form: context.form).input(in: programme)
        do {
            guard let input else { throw DomainError.invalid(readErrors) }
            let record: ActivityRecord
            if let id {
                record = try await service.update(id: id, input: input, as: user)
            } else {
                record = try await service.create(programmeSlug: programme.slug, input: input, as: user)
            }
            return redirect(to: SiteURL.activity(record.id).path(language), notice: Notice(
                [.draft, .returned].contains(record.status) ? .saved : .changesSaved, subject: record.id))
        } catch let DomainError.invalid(errors) {
            return try await form(context, record: existing, form: context.form, errors: errors, status: .unprocessableContent)
        }
    }

    // MARK: Helpers

    /// A reporter bound to no organisation has nothing to report for: refused before the form.
    func requireCreator(_ context: AppRequestContext) throws {
        guard ActivityService.canCreate(as: try context.requireUser()) else {
            throw DomainError.forbidden("Your account is bound to no organisation, so it cannot report; ask an administrator.")
        }
    }

    func defaultProgramme() async throws -> Programme { try await dependencies.defaultProgramme() }

    func organisationNames() async throws -> [OrganisationID: String] {
        Dictionary(try await dependencies.repositories.organisations.all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

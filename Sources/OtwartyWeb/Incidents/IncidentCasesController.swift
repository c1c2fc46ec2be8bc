import Foundation
import Hummingbird
import OtwartyCore

/// Case work for the programme coordinator and incident handlers. The queue shows metadata
/// only; opening a case decrypts it and writes `incident.viewed` to the audit trail. Everyone
/// else gets a 403 from the route's access rule (and the service checks the role again).
///
/// The case page leads with the case's state and offers only the steps that state allows, each
/// in its own section with a button naming it. Every step ends in a redirect to the case with a
/// banner; closing (final) first asks for confirmation (docs/design.md, "Incident handling").
struct IncidentCasesController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var incidents: IncidentService { dependencies.incidents }
    static let access = Access.roles(IncidentService.handlers)

    func register(on routes: Routes) {
        routes.page(.get, .incidents, access: Self.access) { request, context in try await queue(request, context) }
        routes.page(.get, .incidentCase(0), access: Self.access) { _, context in try await show(context, id: try id(context)) }
        routes.page(.post, .incidentTriage(0), access: Self.access) { _, context in try await triage(context, id: try id(context)) }
        routes.page(.post, .incidentRefer(0), access: Self.access) { _, context in try await refer(context, id: try id(context)) }
        routes.page(.post, .incidentAction(0), access: Self.access) { _, context in try await action(context, id: try id(context)) }
        routes.page(.post, .incidentClose(0), access: Self.access) { _, context in try await close(context, id: try id(context)) }
        routes.page(.post, .incidentAccessGrant(0), access: Self.access) { _, context in try await grant(context, id: try id(context)) }
        routes.page(.post, .incidentAccessRevoke(0), access: Self.access) { _, context in try await revoke(context, id: try id(context)) }
    }

    func id(_ context: AppRequestContext) throws -> IncidentID {
        try context.pathID("id", "Case")
    }

    func user(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    /// The handler's private key for this request: the session's copy, opened with the cookie.
    func key(_ context: AppRequestContext) -> HandlerPrivateKey? {
        guard let session = context.session, let token = context.sessionToken else { return nil }
        return incidents.keys.sessionKey(session, token: token)
    }

    /// "today", "1 day", "3 days": how long a case has waited since it was received.
    func age(_ received: CalendarDate, _ language: String) -> String {
        let days = max(0, received.days(to: dependencies.clock.today))
        return days == 0 ? localiser.text("incident.queue.age-today", language) : localiser.plural("incident.queue.age", count: days, language)
    }

    func queue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let parameters = request.uri.queryParameters
        let filter = parameters.get("status").flatMap(IncidentStatus.init(rawValue:))
        let statuses: Set<IncidentStatus> = filter.map { [$0] } ?? [.received, .triaged, .referred]
        let search = String((parameters.get("q") ?? "").prefix(40))
        let newestFirst = parameters.get("sort") == "newest"
        let fragment = IncidentQueueQuery.codeFragment(from: search)
        let searchIsValid = search.trimmingCharacters(in: .whitespaces).isEmpty || fragment != nil
        let format = Formatting(language: language)
        func t(_ key: String) -> String { localiser.text(key, language) }
        let found = searchIsValid
            ? try await incidents.queue(IncidentQueueQuery(statuses: statuses, codeFragment: fragment, oldestFirst: !newestFirst),
                                        by: try user(context))
            : []
        let rows = found.map { i in
            IncidentsShow.Row(href: SiteURL.incidentCase(i.id).path(language), caseCode: i.caseCode,
                              receivedOn: format.date(i.receivedOn), age: age(i.receivedOn, language),
                              category: t("incident.category.\(i.category.rawValue)"),
                              district: i.district?.label ?? "—",
                              status: t("incident.status.\(i.status.rawValue)"), statusCode: i.status.rawValue,
                              outcome: i.outcomeKind.map { t("incident.outcome.\($0.rawValue)") })
        }
        let model = IncidentsShow.Model(
            page: dependencies.renderer.chrome(context, title: t("incident.queue.title"), url: .incidents),
            rows: rows,
            filters: [IncidentsShow.Filter(label: t("incident.queue.open"), href: SiteURL.incidents.path(language), isCurrent: filter == nil)]
                + IncidentStatus.allCases.map {
                    .init(label: t("incident.status.\($0.rawValue)"), href: SiteURL.incidents.path(language, query: [.status($0.rawValue)]),
                          isCurrent: filter == $0)
                },
            action: SiteURL.incidents.path(language), search: search, searchError: searchIsValid ? nil : t("error.incident.search"),
            statuses: [.init(value: "", label: t("incident.queue.open"), selected: filter == nil)]
                + IncidentStatus.allCases.map { .init(value: $0.rawValue, label: t("incident.status.\($0.rawValue)"), selected: filter == $0) },
            sorts: [.init(value: "oldest", label: t("incident.queue.sort-oldest"), selected: !newestFirst),
                    .init(value: "newest", label: t("incident.queue.sort-newest"), selected: newestFirst)],
            caption: t(newestFirst ? "incident.queue.caption-newest" : "incident.queue.caption-oldest"),
            isSearching: !search.trimmingCharacters(in: .whitespaces).isEmpty,
            hasRows: !rows.isEmpty, statisticsHref: SiteURL.incidentStatistics.path(language),
            conflictRiskHref: SiteURL.conflictRisk.path(language),
            helpContactsHref: HelpContactService.managers.contains(try user(context).role) ? SiteURL.manageHelpContacts.path(language) : nil)
        return try dependencies.renderer.render(IncidentsShow.template, model, status: searchIsValid ? .ok : .unprocessableContent).response()
    }

    /// The fields of the case page's forms in page order, for the error summary.
    static let formFields: [FormField] = [
        FormField("category", "incident.field.category", anchor: "t-category"),
        FormField("t-district", "incident.field.district"),
        FormField("t-motivation", "incident.field.motivation"),
        FormField("classification", "incident.field.classification"),
        FormField("target", "incident.case.refer-to"),
        FormField("date", "report.annex.date", anchor: "r-date"),
        FormField("text", "incident.case.what", anchor: "a-text"),
        FormField("outcomeKind", "incident.case.outcome-kind"),
        FormField("duplicateOf", "incident.case.duplicate-of"),
        FormField("outcome", "incident.case.outcome"),
        // The access section (IncidentCaseAccess.swift): the grant form's select, and a revoke
        // form's hidden field, which names the section.
        FormField("user", "incident.access.grant-to", anchor: "access-user"),
        FormField("revoke", "incident.access.revoke-field", anchor: "access-title"),
    ]

    func show(_ context: AppRequestContext, id: IncidentID, errors: [FieldError] = [],
              status: HTTPResponse.Status? = nil) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let c = try await incidents.open(id: id, by: try user(context), key: key(context))
        let format = Formatting(language: language)
        func t(_ key: String) -> String { localiser.text(key, language) }
        // A failed step shows the page again with what the handler typed in that step's fields.
        let form = errors.isEmpty ? FormData() : context.form
        let everyone = try await dependencies.repositories.users.all()
        let users = Dictionary(everyone.map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        // Who holds a case's key is named with the address too: two handlers may share a name.
        let people = Dictionary(everyone.map { ($0.id, IncidentCasesController.person($0)) }, uniquingKeysWith: { a, _ in a })
        let isReadable = c.access == .readable
        // A case this handler's key does not open offers no step: each needs the case's key.
        let isOpen = c.status != .closed && c.purgedOn == nil && isReadable
        var summary: [ActivityShow.Fact] = [
            .init(label: t("incident.field.status"), value: t("incident.status.\(c.status.rawValue)")),
            .init(label: t("incident.field.received"), value: "\(format.date(c.receivedOn)) (\(age(c.receivedOn, language)))"),
            .init(label: t("incident.field.classification"),
                  value: c.classification.map { t("incident.classification.\($0.rawValue)") } ?? t("incident.case.not-classified")),
        ]
        if let kind = c.outcomeKind {
            summary.append(.init(label: t("incident.case.outcome-kind"),
                                 value: t("incident.outcome.\(kind.rawValue)") + (c.duplicateOf.map { " — \($0)" } ?? "")))
        }
        if let closed = c.closedOn { summary.append(.init(label: t("incident.case.closed-on"), value: format.date(closed))) }
        let facts: [ActivityShow.Fact] = [
            .init(label: t("incident.field.occurred"), value: c.occurredOn.map(format.date) ?? "—"),
            .init(label: t("incident.field.district"), value: c.district?.label ?? "—"),
            .init(label: t("incident.field.category"), value: t("incident.category.\(c.category.rawValue)")),
            .init(label: t("incident.field.motivation"),
                  value: BiasMotivation.allCases.filter(c.motivations.contains).map { t("incident.motivation.\($0.rawValue)") }.joined(separator: ", ")),
            .init(label: t("incident.field.role"), value: t("incident.role.\(c.reporterRole.rawValue)")),
            .init(label: t("incident.field.police"), value: t("incident.police.\(c.policeInformed.rawValue)")),
            .init(label: t("incident.field.language"), value: localiser.text("language.name", c.language)),
            .init(label: t("incident.field.consent"), value: t(c.consentToContact ? "incident.yes" : "incident.no")),
        ]
        let next: String = switch c.status {
        case _ where c.access == .locked(.signInAgain): t("incident.access.next-sign-in")
        case _ where !isReadable: t("incident.access.next-locked")
        case .received: t("incident.case.next-received")
        case .triaged: t("incident.case.next-triaged")
        case .referred: t("incident.case.next-referred")
        case .closed: t("incident.case.next-closed")
        }
        let items = localiser.fieldErrors(errors, language, form: Self.formFields)
        let failed = Set(errors.map(\.field))
        func text(_ name: String) -> String { form.text(name) }
        let chosenCategory = form.fields["category"] == nil ? c.category.rawValue : text("category")
        let chosenClassification = form.fields["classification"] == nil ? c.classification?.rawValue ?? "" : text("classification")
        let accessList = try await incidents.keys.accessList(incidentID: id)
        var model = IncidentCaseShow.Model(
            page: dependencies.renderer.chrome(context, title: "\(t("incident.case.title")) \(c.caseCode)", url: .incidentCase(id)),
            queueHref: SiteURL.incidents.path(language), caseCode: c.caseCode, statusCode: c.status.rawValue,
            summary: summary, next: next, facts: facts, narrative: c.narrative,
            place: c.place, contact: c.consentToContact ? c.contact : nil, outcome: c.outcome, isPurged: c.purgedOn != nil,
            purgedOn: c.purgedOn.map(format.date),
            events: c.events.map { e in
                .init(date: format.date(e.on), kind: t("incident.event.\(e.kind.rawValue)"), text: e.text ?? "",
                      referral: e.referral.map { t("incident.referral.\($0.rawValue)") }, isPublic: e.isPublic,
                      by: e.by.flatMap { users[$0] } ?? t("incident.reporter"))
            },
            hasEvents: !c.events.isEmpty, isOpen: isOpen,
            // Referring needs an assessment first: where a case goes depends on what it is.
            canRefer: isOpen && c.status != .received,
            triageAction: SiteURL.incidentTriage(id).path(language), referAction: SiteURL.incidentRefer(id).path(language),
            actionAction: SiteURL.incidentAction(id).path(language), closeAction: SiteURL.incidentClose(id).path(language),
            categories: IncidentCategory.allCases.map { .init(value: $0.rawValue, label: t("incident.category.\($0.rawValue)"),
                                                              selected: $0.rawValue == chosenCategory) },
            districts: [.init(value: "", label: t("incident.form.district-unknown"), selected: c.district == nil)]
                + (1...18).compactMap(District.init(number:)).map { .init(value: String($0.number), label: $0.label, selected: $0 == c.district) },
            motivations: BiasMotivation.allCases.map {
                .init(value: $0.rawValue, label: t("incident.motivation.\($0.rawValue)"), selected: c.motivations.contains($0))
            },
            // No choice is made for the handler: radios start unchecked until a classification exists.
            classifications: IncidentClassification.allCases.map {
                .init(value: $0.rawValue, label: t("incident.classification.\($0.rawValue)"), selected: $0.rawValue == chosenClassification)
            },
            classificationError: failed.contains("classification") ? t("error.incident.classification") : nil,
            triageNote: text("note"),
            referrals: ReferralTarget.allCases.map { .init(value: $0.rawValue, label: t("incident.referral.\($0.rawValue)"),
                                                           selected: $0.rawValue == text("target")) },
            referralError: failed.contains("target") ? t("error.incident.referral") : nil,
            actionText: failed.contains("text") ? text("text") : "",
            actionError: failed.contains("text") ? t("error.incident.narrative") : nil,
            outcomeKinds: IncidentOutcome.allCases.map { .init(value: $0.rawValue, label: t("incident.outcome.\($0.rawValue)"),
                                                               selected: $0.rawValue == text("outcomeKind")) },
            outcomeKindError: failed.contains("outcomeKind") ? t("error.incident.outcome-kind") : nil,
            duplicateOf: text("duplicateOf"),
            duplicateOfError: failed.contains("duplicateOf") ? t("error.incident.duplicate-of") : nil,
            outcomeText: text("outcome"), outcomeError: failed.contains("outcome") ? t("error.incident.outcome") : nil,
            publicNote: text("publicNote"),
            today: dependencies.clock.today.description, errors: items)
        model.isReadable = isReadable
        model.locked = locked(c, accessList, users: people, disabled: Set(everyone.filter(\.isDisabled).map(\.id)))
        model.access = access(c, id: id, accessList, users: people, language: language, chosen: text("user"),
                              userError: errors.first { $0.field == "user" }.map { t($0.messageKey) })
        return try dependencies.renderer.render(IncidentCaseShow.template, model,
                                                status: status ?? (errors.isEmpty ? .ok : .unprocessableContent)).response()
    }

    func done(_ context: AppRequestContext, id: IncidentID, _ kind: Notice.Kind) throws -> Response {
        redirect(to: SiteURL.incidentCase(id).path(context.language), notice: Notice(kind, subject: id))
    }

    /// A step on a case that is closed (say, from a second tab) answers the case page with 409.
    func closedCase(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        try await show(context, id: id, errors: [FieldError(field: "case", messageKey: "error.incident.closed", message: "the case is closed")],
                       status: .conflict)
    }

    func triage(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        let form = context.form
        var errors: [FieldError] = []
        let category = IncidentCategory(rawValue: form.text("category"))
        if category == nil {
            errors.append(FieldError(field: "category", messageKey: "error.incident.category", message: "choose what happened"))
        }
        let classification = IncidentClassification(rawValue: form.text("classification"))
        if classification == nil {
            errors.append(FieldError(field: "classification", messageKey: "error.incident.classification", message: "choose a classification"))
        }
        // The district and motivations as the handler established them; absent fields keep the reporter's.
        var district: District?? = nil
        if form.fields["district"] != nil {
            let text = form.text("district")
            if text.isEmpty || District(number: Int(text) ?? 0) != nil {
                district = .some(Int(text).flatMap(District.init(number:)))
            } else {
                errors.append(FieldError(field: "t-district", messageKey: "error.activity.district", message: "must be 1–18"))
            }
        }
        var motivations: Set<BiasMotivation>?
        if let values = form.fields["motivation"] {
            let chosen = values.compactMap(BiasMotivation.init(rawValue:))
            if chosen.count == values.count, !chosen.isEmpty {
                motivations = Set(chosen)
            } else {
                errors.append(FieldError(field: "t-motivation", messageKey: "error.incident.motivation", message: "choose at least one motivation"))
            }
        }
        guard errors.isEmpty, let category, let classification else { return try await show(context, id: id, errors: errors) }
        do {
            try await incidents.triage(id: id, category: category, classification: classification, district: district,
                                       motivations: motivations, note: form.text("note"), by: try user(context), key: key(context))
        } catch let DomainError.invalid(problems) {
            return try await show(context, id: id, errors: problems)
        } catch DomainError.conflict {
            return try await closedCase(context, id: id)
        }
        return try done(context, id: id, .incidentTriaged)
    }

    func refer(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        let form = context.form
        var errors: [FieldError] = []
        let target = ReferralTarget(rawValue: form.text("target"))
        if target == nil { errors.append(FieldError(field: "target", messageKey: "error.incident.referral", message: "choose where")) }
        let date = CalendarDate(iso: form.text("date"))
        if date == nil { errors.append(FieldError(field: "date", messageKey: "error.activity.date", message: "is not a date")) }
        guard errors.isEmpty, let target, let date else { return try await show(context, id: id, errors: errors) }
        do {
            try await incidents.refer(id: id, to: target, on: date, note: form.text("note"), isPublic: form.text("public") == "1",
                                      by: try user(context), key: key(context))
        } catch DomainError.conflict {
            return try await closedCase(context, id: id)
        }
        return try done(context, id: id, .incidentReferred)
    }

    func action(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        let form = context.form
        do {
            try await incidents.addAction(id: id, on: CalendarDate(iso: form.text("date")) ?? dependencies.clock.today,
                                          text: form.text("text"), isPublic: form.text("public") == "1", by: try user(context),
                                          key: key(context))
        } catch let DomainError.invalid(problems) {
            return try await show(context, id: id, errors: problems)
        } catch DomainError.conflict {
            return try await closedCase(context, id: id)
        }
        return try done(context, id: id, .incidentActionAdded)
    }

    /// Closing is final, so the first post (once its fields are valid) answers a confirmation page
    /// saying what closing does; only the second post, with `confirmed=yes`, closes.
    func close(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let form = context.form
        let user = try user(context)
        let kind = IncidentOutcome(rawValue: form.text("outcomeKind"))
        let problems = try await incidents.closingProblems(id: id, outcomeKind: kind, duplicateOf: form.text("duplicateOf"),
                                                           outcome: form.text("outcome"))
        guard problems.isEmpty, let kind else { return try await show(context, id: id, errors: problems) }
        guard form.isConfirmed else {
            let c = try await dependencies.repositories.incidents.incident(id: id)
            func t(_ key: String) -> String { localiser.text(key, language) }
            var consequences = [t("incident.close.confirm-final"), t("incident.close.confirm-reporter"), t("incident.close.confirm-retention")]
            if kind.excludesFromStatistics { consequences.insert(t("incident.close.confirm-excluded"), at: 0) }
            let code = c?.caseCode ?? ""
            let model = ConfirmationShow.Model(
                page: dependencies.renderer.chrome(context, title: "\(t("incident.close.confirm-title")) \(code)", url: .incidentCase(id)),
                heading: "\(t("incident.close.confirm-title")) \(code)?",
                lead: "\(t("incident.case.outcome-kind")): \(t("incident.outcome.\(kind.rawValue)"))"
                    + (kind == .duplicate ? " — \(CaseCredentials.canonicalCode(form.text("duplicateOf")) ?? "")" : ""),
                consequences: consequences, action: SiteURL.incidentClose(id).path(language),
                fields: ConfirmationShow.carried(form), confirmLabel: t("incident.case.close"),
                cancelHref: SiteURL.incidentCase(id).path(language), isDanger: true)
            return try dependencies.renderer.render(ConfirmationShow.template, model).response()
        }
        do {
            try await incidents.close(id: id, outcomeKind: kind, duplicateOf: form.text("duplicateOf"), outcome: form.text("outcome"),
                                      publicNote: form.text("publicNote"), by: user, key: key(context))
        } catch let DomainError.invalid(problems) {
            return try await show(context, id: id, errors: problems)
        } catch DomainError.conflict {
            return try await closedCase(context, id: id)
        }
        return try done(context, id: id, .incidentClosed)
    }
}

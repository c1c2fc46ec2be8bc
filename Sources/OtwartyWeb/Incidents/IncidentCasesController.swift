import Foundation
import Hummingbird
import OtwartyCore

/// Case work for the programme coordinator and incident handlers. The queue shows metadata
/// only; opening a case decrypts it and writes `incident.viewed` to the audit trail. Everyone
/// else gets a 403 from the route's access rule (and the service checks the role again).
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
    }

    func id(_ context: AppRequestContext) throws -> IncidentID {
        try context.pathID("id", "Case")
    }

    func user(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    func queue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let filter = request.uri.queryParameters.get("status").flatMap(IncidentStatus.init(rawValue:))
        let statuses: Set<IncidentStatus> = filter.map { [$0] } ?? [.received, .triaged, .referred]
        let format = Formatting(language: language)
        let rows = try await incidents.queue(statuses: statuses, by: try user(context)).map { i in
            IncidentsShow.Row(href: SiteURL.incidentCase(i.id).path(language), caseCode: i.caseCode,
                              receivedOn: format.date(i.receivedOn),
                              category: localiser.text("incident.category.\(i.category.rawValue)", language),
                              district: i.district?.label ?? "—",
                              status: localiser.text("incident.status.\(i.status.rawValue)", language), statusCode: i.status.rawValue)
        }
        let model = IncidentsShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("incident.queue.title", language), url: .incidents),
            rows: rows,
            filters: [IncidentsShow.Filter(label: localiser.text("incident.queue.open", language), href: SiteURL.incidents.path(language), isCurrent: filter == nil)]
                + IncidentStatus.allCases.map {
                    .init(label: localiser.text("incident.status.\($0.rawValue)", language), href: SiteURL.incidents.path(language, query: [.status($0.rawValue)]),
                          isCurrent: filter == $0)
                },
            hasRows: !rows.isEmpty, statisticsHref: SiteURL.incidentStatistics.path(language),
            conflictRiskHref: SiteURL.conflictRisk.path(language))
        return try dependencies.renderer.render(IncidentsShow.template, model).response()
    }

    func show(_ context: AppRequestContext, id: IncidentID, errors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let c = try await incidents.open(id: id, by: try user(context))
        let format = Formatting(language: language)
        func t(_ key: String) -> String { localiser.text(key, language) }
        let users = Dictionary(try await dependencies.repositories.users.all().map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        var facts: [ActivityShow.Fact] = [
            .init(label: t("incident.field.status"), value: t("incident.status.\(c.status.rawValue)")),
            .init(label: t("incident.field.received"), value: format.date(c.receivedOn)),
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
        if let classification = c.classification {
            facts.append(.init(label: t("incident.field.classification"), value: t("incident.classification.\(classification.rawValue)")))
        }
        let items = localiser.fieldErrors(errors, language)
        let model = IncidentCaseShow.Model(
            page: dependencies.renderer.chrome(context, title: "\(t("incident.case.title")) \(c.caseCode)", url: .incidentCase(id)),
            queueHref: SiteURL.incidents.path(language), caseCode: c.caseCode, facts: facts, narrative: c.narrative,
            place: c.place, contact: c.consentToContact ? c.contact : nil, outcome: c.outcome, isPurged: c.purgedOn != nil,
            purgedOn: c.purgedOn.map(format.date),
            events: c.events.map { e in
                .init(date: format.date(e.on), kind: t("incident.event.\(e.kind.rawValue)"), text: e.text ?? "",
                      referral: e.referral.map { t("incident.referral.\($0.rawValue)") }, isPublic: e.isPublic,
                      by: e.by.flatMap { users[$0] } ?? t("incident.reporter"))
            },
            hasEvents: !c.events.isEmpty, isOpen: c.status != .closed && c.purgedOn == nil,
            triageAction: SiteURL.incidentTriage(id).path(language), referAction: SiteURL.incidentRefer(id).path(language),
            actionAction: SiteURL.incidentAction(id).path(language), closeAction: SiteURL.incidentClose(id).path(language),
            categories: IncidentCategory.allCases.map { .init(value: $0.rawValue, label: t("incident.category.\($0.rawValue)"), selected: $0 == c.category) },
            districts: [.init(value: "", label: t("incident.form.district-unknown"), selected: c.district == nil)]
                + (1...18).compactMap(District.init(number:)).map { .init(value: String($0.number), label: $0.label, selected: $0 == c.district) },
            motivations: BiasMotivation.allCases.map {
                .init(value: $0.rawValue, label: t("incident.motivation.\($0.rawValue)"), selected: c.motivations.contains($0))
            },
            unclassified: c.classification == nil,
            classifications: IncidentClassification.allCases.map {
                .init(value: $0.rawValue, label: t("incident.classification.\($0.rawValue)"), selected: $0 == c.classification)
            },
            referrals: ReferralTarget.allCases.map { .init(value: $0.rawValue, label: t("incident.referral.\($0.rawValue)"), selected: false) },
            today: dependencies.clock.today.description, errors: items)
        return try dependencies.renderer.render(IncidentCaseShow.template, model,
                                                status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    func done(_ context: AppRequestContext, id: IncidentID) throws -> Response {
        redirect(to: SiteURL.incidentCase(id).path(context.language))
    }

    func triage(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        let form = context.form
        guard let category = IncidentCategory(rawValue: form.text("category")),
              let classification = IncidentClassification(rawValue: form.text("classification")) else {
            return try await show(context, id: id, errors: [FieldError(field: "classification", messageKey: "error.incident.classification",
                                                                       message: "choose a classification")])
        }
        // The district and motivations as the handler established them; absent fields keep the reporter's.
        var district: District?? = nil
        if form.fields["district"] != nil {
            let text = form.text("district")
            guard text.isEmpty || District(number: Int(text) ?? 0) != nil else {
                return try await show(context, id: id, errors: [FieldError(field: "t-district", messageKey: "error.activity.district",
                                                                           message: "must be 1–18")])
            }
            district = .some(Int(text).flatMap(District.init(number:)))
        }
        var motivations: Set<BiasMotivation>?
        if let values = form.fields["motivation"] {
            let chosen = values.compactMap(BiasMotivation.init(rawValue:))
            guard chosen.count == values.count, !chosen.isEmpty else {
                return try await show(context, id: id, errors: [FieldError(field: "t-motivation", messageKey: "error.incident.motivation",
                                                                           message: "choose at least one motivation")])
            }
            motivations = Set(chosen)
        }
        do {
            try await incidents.triage(id: id, category: category, classification: classification, district: district,
                                       motivations: motivations, note: form.text("note"), by: try user(context))
        } catch let DomainError.invalid(problems) {
            return try await show(context, id: id, errors: problems)
        }
        return try done(context, id: id)
    }

    func refer(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        let form = context.form
        guard let target = ReferralTarget(rawValue: form.text("target")), let date = CalendarDate(iso: form.text("date")) else {
            return try await show(context, id: id, errors: [FieldError(field: "target", messageKey: "error.incident.referral",
                                                                       message: "choose where and when")])
        }
        try await incidents.refer(id: id, to: target, on: date, note: form.text("note"), isPublic: form.text("public") == "1",
                                  by: try user(context))
        return try done(context, id: id)
    }

    func action(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        let form = context.form
        do {
            try await incidents.addAction(id: id, on: CalendarDate(iso: form.text("date")) ?? dependencies.clock.today,
                                          text: form.text("text"), isPublic: form.text("public") == "1", by: try user(context))
        } catch let DomainError.invalid(problems) {
            return try await show(context, id: id, errors: problems)
        }
        return try done(context, id: id)
    }

    func close(_ context: AppRequestContext, id: IncidentID) async throws -> Response {
        let form = context.form
        do {
            try await incidents.close(id: id, outcome: form.text("outcome"), publicNote: form.text("publicNote"), by: try user(context))
        } catch let DomainError.invalid(problems) {
            return try await show(context, id: id, errors: problems)
        }
        return try done(context, id: id)
    }
}

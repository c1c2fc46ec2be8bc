import Foundation
import Hummingbird
import OtwartyCore

struct AmbassadorController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var repositories: Repositories { dependencies.repositories }
    var services: PublicServices { PublicServices(repositories: repositories, clock: dependencies.clock) }
    var today: CalendarDate { dependencies.clock.today }
    static let staff = Access.roles(PublicServices.editors.union(PublicServices.jurors))

    func register(on routes: Routes) {
        routes.page(.get, .ambassador, access: .everyone) { _, context in try await show(context) }
        routes.page(.post, .ambassador, access: .everyone) { _, context in try await nominate(context) }
        routes.page(.get, .manageAmbassador, access: Self.staff) { request, context in
            try await manage(context, year: try request.number("year", in: .year) ?? today.year)
        }
        routes.page(.post, .manageAmbassador, access: .roles(PublicServices.editors)) { _, context in try await saveEdition(context) }
        routes.page(.post, .nominationScore(0), access: .roles(PublicServices.jurors)) { _, context in try await score(context) }
        routes.page(.post, .nominationWinner(0), access: .roles(PublicServices.editors)) { _, context in try await winner(context) }
    }

    func show(_ context: AppRequestContext, errors: [FieldError] = [], received: Bool = false,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let edition = try await repositories.ambassador.edition(year: today.year)
        let format = Formatting(language: language)
        var winners: [AmbassadorShow.Winner] = []
        for e in try await repositories.ambassador.editions() where e.year < today.year || (e.galaOn.map { $0 <= today } ?? false) {
            winners += try await repositories.ambassador.nominations(year: e.year).filter(\.nomination.isWinner).map {
                .init(year: e.year, nominee: $0.nomination.nominee,
                      category: localiser.text("ambassador.category.\($0.nomination.category.rawValue)", language))
            }
        }
        let form = context.form
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("nominee", "forms.name.nominee"),
            FormField("category", "ambassador.category-label", anchor: "category-\(NominationCategory.allCases[0].rawValue)"),
            FormField("justification", "ambassador.justification"), FormField("contact", "forms.name.contact"),
        ])
        let keep = !received
        let model = AmbassadorShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("ambassador.title", language), url: .ambassador),
            year: today.year, isOpen: edition?.isOpen(on: today) ?? false,
            period: edition.map { "\(format.date($0.opensOn)) – \(format.date($0.closesOn))" },
            action: SiteURL.ambassador.path(language),
            submission: errors.isEmpty ? PublicServicesController.submissionToken() : form.text("submission"),
            categories: NominationCategory.allCases.map {
                .init(value: $0.rawValue, label: localiser.text("ambassador.category.\($0.rawValue)", language),
                      selected: keep && form.text("category") == $0.rawValue)
            },
            errors: items, nominee: keep ? form.text("nominee") : "", justification: keep ? form.text("justification") : "",
            contact: keep ? form.text("contact") : "", nomineeError: errorFor("nominee", in: items),
            justificationError: errorFor("justification", in: items), contactError: errorFor("contact", in: items),
            received: received, winners: winners, hasWinners: !winners.isEmpty, categoryError: errorFor("category", in: items))
        return try dependencies.renderer.render(AmbassadorShow.template, model, status: status).response()
    }

    func nominate(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        try await dependencies.incidentThrottle.check(.nomination, client: context.clientAddress, now: dependencies.clock.now())
        let form = context.form
        let category = NominationCategory(rawValue: form.text("category"))
        let nomination = Nomination(
            year: today.year, nominee: form.text("nominee").trimmingCharacters(in: .whitespaces),
            category: category ?? .person, justification: form.text("justification"),
            contact: form.text("contact").trimmingCharacters(in: .whitespaces), language: language, submittedOn: today,
            submission: form.text("submission"))
        // No category chosen is an error like the others (it was read as "a person"), reported with them.
        if category == nil {
            let problems = [FieldError(field: "category", messageKey: "error.nomination.category", message: "choose a category")]
                + nomination.problems()
            return try await show(context, errors: problems, status: .unprocessableContent)
        }
        do {
            try await services.nominate(nomination)
        } catch let DomainError.invalid(problems) {
            return try await show(context, errors: problems, status: .unprocessableContent)
        }
        // Post/redirect/get to the page, which renders per request (a fresh submission token).
        return redirect(to: SiteURL.ambassador.path(language), notice: Notice(.nominationSent))
    }

    func manage(_ context: AppRequestContext, year: Int, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        guard (2000...2100).contains(year) else { throw DomainError.notFound("Year") }
        let edition = try await repositories.ambassador.edition(year: year)
        let format = Formatting(language: language)
        let canEdit = PublicServices.editors.contains(user.role)
        let isJuror = PublicServices.jurors.contains(user.role)
        // Through Core: without the nominators' contacts unless the user runs the competition (jurors judge the nomination).
        let nominations = try await services.nominations(year: year, as: user)
            .sorted { ($0.average ?? -1, -$0.nomination.id) > ($1.average ?? -1, -$1.nomination.id) }
        let years = Array(Set(try await repositories.ambassador.editions().map(\.year) + [today.year])).sorted()
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("opensOn", "ambassador.opens"), FormField("closesOn", "ambassador.closes"),
            FormField("galaOn", "ambassador.gala"), FormField("meetingOn", "forms.name.meeting"),
        ])
        // The edition form that came back shows what was sent.
        let sent = { (field: String, stored: String) in errors.isEmpty ? stored : context.form.text(field) }
        // The page opens at the top, where the banner is; its link leads back to the nomination acted on.
        var chrome = dependencies.renderer.chrome(context, title: "\(localiser.text("ambassador.manage", language)) \(year)", url: .manageAmbassador)
        if let notice = context.notice, [.scoreSaved, .winnerChosen, .winnerRemoved].contains(notice.kind), let id = notice.subject,
           let acted = nominations.first(where: { $0.nomination.id == id }) {
            chrome.notice?.links = [.init(label: acted.nomination.nominee, href: "#nomination-\(id)")]
        }
        let model = ManageAmbassadorShow.Model(
            page: chrome,
            year: year, years: years.map { .init(year: $0, href: SiteURL.manageAmbassador.path(language, query: [.year($0)]), isCurrent: $0 == year) },
            editionAction: SiteURL.manageAmbassador.path(language), opensOn: sent("opensOn", edition?.opensOn.description ?? ""),
            closesOn: sent("closesOn", edition?.closesOn.description ?? ""), galaOn: sent("galaOn", edition?.galaOn?.description ?? ""),
            meetingOn: sent("meetingOn", edition?.meetingOn?.description ?? ""), canEdit: canEdit,
            nominations: nominations.map { s in
                let n = s.nomination
                let mine = s.scores[user.id]
                return .init(id: n.id, nominee: n.nominee, category: localiser.text("ambassador.category.\(n.category.rawValue)", language),
                             justification: n.justification,
                             contact: Visibility.canReadNominatorContact(user) ? n.contact : nil, submittedOn: format.date(n.submittedOn),
                             average: s.average.map { format.number($0, maxFractionDigits: 1) } ?? "—", jurors: s.scores.count,
                             myScore: mine.map(String.init) ?? "—",
                             scoreAction: isJuror ? SiteURL.nominationScore(n.id).path(language) : nil,
                             winnerAction: canEdit ? SiteURL.nominationWinner(n.id).path(language) : nil, isWinner: n.isWinner,
                             scores: (0...10).map { .init(value: String($0), label: String($0), selected: mine == $0) })
            },
            hasNominations: !nominations.isEmpty, errors: items,
            publicHref: SiteURL.ambassador.path(language),
            opensOnError: errorFor("opensOn", in: items), closesOnError: errorFor("closesOn", in: items),
            galaOnError: errorFor("galaOn", in: items), meetingOnError: errorFor("meetingOn", in: items))
        return try dependencies.renderer.render(ManageAmbassadorShow.template, model, status: status).response()
    }

    func saveEdition(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        let form = context.form
        let year = form.number("year", in: .year) ?? today.year
        // Every date at once: a required one missing, an optional one that is not a date (it was
        // silently dropped), and the close before the opening.
        var problems: [FieldError] = []
        func date(_ field: String, required: Bool) -> CalendarDate? {
            let text = form.text(field)
            if text.isEmpty && !required { return nil }
            let value = CalendarDate(iso: text)
            if value == nil { problems.append(FieldError(field: field, messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)")) }
            return value
        }
        let opens = date("opensOn", required: true), closes = date("closesOn", required: true)
        let gala = date("galaOn", required: false), meeting = date("meetingOn", required: false)
        if let opens, let closes, closes < opens {
            problems.append(FieldError(field: "closesOn", messageKey: "error.ambassador.closes", message: "closes before it opens"))
        }
        guard problems.isEmpty, let opens, let closes else {
            return try await manage(context, year: year, errors: problems, status: .unprocessableContent)
        }
        do {
            try await services.saveEdition(AmbassadorEdition(year: year, opensOn: opens, closesOn: closes,
                                                             galaOn: gala, meetingOn: meeting), by: user)
        } catch let DomainError.invalid(problems) {
            return try await manage(context, year: year, errors: problems, status: .unprocessableContent)
        }
        return redirect(to: SiteURL.manageAmbassador.path(language, query: [.year(year)]), notice: Notice(.editionSaved))
    }

    func nominationYear(_ id: Int64) async throws -> Int {
        for e in try await repositories.ambassador.editions() where try await repositories.ambassador.nominations(year: e.year).contains(where: { $0.nomination.id == id }) {
            return e.year
        }
        throw DomainError.notFound("Nomination \(id)")
    }

    func score(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        guard let user = context.user, let id = context.parameters.get("id").flatMap({ NumberRange.id.value($0) }) else { throw DomainError.notFound("Nomination") }
        let year = try await nominationYear(id)
        try await services.score(nominationID: id, score: context.form.number("score", in: .score) ?? -1, by: user)
        return redirect(to: SiteURL.manageAmbassador.path(language, query: [.year(year)]), notice: Notice(.scoreSaved, subject: id))
    }

    func winner(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        guard let id = context.parameters.get("id").flatMap({ NumberRange.id.value($0) }) else { throw DomainError.notFound("Nomination") }
        let year = try await nominationYear(id)
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        // No confirmation: the mark can be taken away again, and the banner says how.
        let isWinner = context.form.text("winner") == "1"
        try await services.setWinner(nominationID: id, winner: isWinner, by: user)
        return redirect(to: SiteURL.manageAmbassador.path(language, query: [.year(year)]),
                        notice: Notice(isWinner ? .winnerChosen : .winnerRemoved, subject: id))
    }
}

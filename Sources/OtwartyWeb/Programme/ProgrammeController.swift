import Foundation
import Hummingbird
import OtwartyCore

/// The programme as adopted: overview, goals, tasks, results declaration and risk register.
/// Public: the resolution is a public act.
struct ProgrammeController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var renderer: PageRenderer { dependencies.renderer }

    func register(on routes: Routes) {
        routes.page(.get, .home, access: .everyone) { _, context in try await home(context) }
        routes.page(.get, .programme(slug: ""), access: .everyone) { _, context in
            try await overview(context, slug: context.parameters.require("slug"))
        }
        routes.page(.get, .goal(slug: "", number: 0), access: .everyone) { _, context in try await goal(context) }
        routes.page(.get, .task(slug: "", code: ""), access: .everyone) { _, context in try await task(context) }
        routes.page(.get, .results(slug: ""), access: .everyone) { _, context in try await results(context) }
        routes.page(.get, .risks(slug: ""), access: .everyone) { request, context in
            try await risks(context, byLevel: request.uri.queryParameters.get("view") == "level")
        }
        routes.page(.post, .riskNew(slug: ""), access: .roles(ActivityService.reviewers)) { _, context in try await addRisk(context) }
        routes.page(.post, .riskDetails(slug: "", number: 0), access: .roles(ActivityService.reviewers)) { _, context in
            try await saveDetails(context)
        }
        routes.page(.post, .riskAssessments(slug: ""), access: .roles(ActivityService.reviewers)) { _, context in
            try await addAssessment(context)
        }
    }

    /// The instance's first programme is its home page.
    func home(_ context: AppRequestContext) async throws -> Response {
        _ = try context.requireLanguage(localiser)
        guard let first = try await dependencies.repositories.programmes.summaries().first else {
            throw DomainError.notFound("Programme")
        }
        return try await overview(context, slug: first.slug, url: .home)
    }

    func load(_ context: AppRequestContext, slug: String? = nil) async throws -> ProgrammePageBuilder {
        let language = try context.requireLanguage(localiser)
        let slug = try slug ?? context.parameters.require("slug")
        guard let programme = try await dependencies.repositories.programmes.programme(slug: slug) else {
            throw DomainError.notFound("Programme \(slug)")
        }
        return ProgrammePageBuilder(programme: programme, language: language, localiser: localiser)
    }

    func overview(_ context: AppRequestContext, slug: String, url: SiteURL? = nil) async throws -> Response {
        let builder = try await load(context, slug: slug)
        let p = builder.programme
        let others = try await dependencies.repositories.programmes.summaries().filter { $0.slug != slug }
        let model = ProgrammeShow.Model(
            page: renderer.chrome(context, title: p.title, url: url ?? .programme(slug: slug)),
            programme: builder.header(), goals: p.goals.map(builder.summary),
            financingSources: p.financingSources, partnerAreas: p.partnerAreas,
            cooperationBodies: p.cooperationBodies,
            otherProgrammes: others.map { Link(title: $0.title, href: SiteURL.programme(slug: $0.slug).path(builder.language)) })
        return try page(ProgrammeShow.template, model, context)
    }

    func goal(_ context: AppRequestContext) async throws -> Response {
        let builder = try await load(context)
        let number = try context.pathNumber("number", in: .ordinal, "Goal")
        guard let goal = builder.programme.goal(number) else { throw DomainError.notFound("Goal \(number)") }
        let title = "\(localiser.text("goal.heading", builder.language)) \(goal.number): \(goal.title)"
        let model = GoalShow.Model(
            page: renderer.chrome(context, title: title, url: .goal(slug: builder.slug, number: number)),
            programme: builder.header(), goal: builder.summary(goal), tasks: goal.tasks.map(builder.detail),
            results: builder.programme.results.filter { $0.goal == number }.map(builder.resultRow),
            risks: builder.programme.risks.filter { $0.goal == number }.map(builder.riskRow))
        return try page(GoalShow.template, model, context)
    }

    func task(_ context: AppRequestContext) async throws -> Response {
        let builder = try await load(context)
        let code = try context.parameters.require("code")
        guard let task = builder.programme.task(code: code), let goal = builder.programme.goal(task.goal) else {
            throw DomainError.notFound("Task \(code)")
        }
        let title = "\(localiser.text("task.heading", builder.language)) \(task.code)"
        let model = TaskShow.Model(
            page: renderer.chrome(context, title: title, url: .task(slug: builder.slug, code: code)),
            programme: builder.header(), goal: builder.summary(goal), task: builder.detail(task))
        return try page(TaskShow.template, model, context)
    }

    func results(_ context: AppRequestContext) async throws -> Response {
        let builder = try await load(context)
        let total = builder.programme.results.map(\.weight).reduce(0, +)
        let model = ResultsShow.Model(
            page: renderer.chrome(context, title: localiser.text("results.title", builder.language),
                                  url: .results(slug: builder.slug)),
            programme: builder.header(), results: builder.programme.results.map(builder.resultRow),
            totalWeight: builder.format.number(total * 100) + "%")
        return try page(ResultsShow.template, model, context)
    }

    /// The register with each risk's current score. Signed-in users also see the reassessments
    /// (who changed a score and why is the office's working record); coordinators add them.
    func risks(_ context: AppRequestContext, errors: [FieldError] = [], byLevel: Bool = false) async throws -> Response {
        let builder = try await load(context)
        let programme = builder.programme
        let assessments = try await dependencies.repositories.riskAssessments.assessments(programme: programme.slug)
        let today = OfficeCalendar.today(dependencies.accounts.now())
        let register = RiskRegisterBuilder.build(
            programme: programme, details: try await dependencies.repositories.riskDetails.details(programme: programme.slug),
            assessments: assessments, today: today)
        let rows = register.map { risk in
            builder.riskRow(Risk(goal: risk.goal, name: risk.name, score: risk.score, response: risk.response,
                                 responseDetail: risk.responseDetail))
        }
        let canAssess = context.user.map { ActivityService.reviewers.contains($0.role) } ?? false
        let items = localiser.fieldErrors(errors, builder.language)
        let users = context.user == nil ? [:] : Dictionary(
            try await dependencies.repositories.users.all().map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let form = context.form
        let model = RisksShow.Model(
            page: renderer.chrome(context, title: localiser.text("risks.title", builder.language),
                                  url: .risks(slug: builder.slug)),
            programme: builder.header(), risks: rows, scale: builder.scaleRows(),
            history: context.user == nil ? [] : assessments.reversed().map { a in
                RisksShow.Assessment(risk: a.risk, riskName: programme.risks.indices.contains(a.risk - 1) ? programme.risks[a.risk - 1].name : "",
                                     date: builder.format.date(a.date), score: a.score, reason: a.reason,
                                     by: a.recordedBy.flatMap { users[$0] } ?? "—")
            },
            showHistory: context.user != nil,
            assessAction: canAssess ? SiteURL.riskAssessments(slug: programme.slug).path(builder.language) : nil,
            riskOptions: register.map {
                .init(value: String($0.number), label: "\($0.number). \($0.name)", selected: form.text("risk") == String($0.number))
            },
            scores: programme.riskScale.scores.map { .init(value: String($0), label: String($0), selected: form.text("score") == String($0)) },
            today: today.description, errors: items, dateError: errorFor("date", in: items),
            scoreError: errorFor("score", in: items), reasonError: errorFor("reason", in: items),
            reason: form.text("reason"))
        var page = model
        let registerRows = register.map { risk in
            RisksShow.RegisterRow(
                number: risk.number, goal: risk.goal, name: risk.name, score: risk.score,
                level: risk.level.map { localiser.text("risk.level.\($0.rawValue)", builder.language) } ?? "—",
                levelCode: risk.level?.rawValue ?? "unknown",
                response: localiser.text("risk.response.\(risk.response.rawValue)", builder.language),
                responseDetail: risk.responseDetail, owner: risk.owner, linkedTasks: risk.linkedTasks.joined(separator: ", "),
                reviewEveryMonths: risk.reviewEveryMonths, lastReviewed: risk.lastReviewed.map(builder.format.date) ?? "—",
                reviewDue: builder.format.date(risk.reviewDue), isReviewOverdue: risk.isReviewOverdue(today: today),
                isAdded: risk.isAdded,
                detailsAction: canAssess ? SiteURL.riskDetails(slug: programme.slug, number: risk.number).path(builder.language) : nil)
        }
        page.register = registerRows
        page.isByLevel = byLevel
        page.levels = RiskLevel.allCases.reversed().map { level in
            let risks = registerRows.filter { $0.levelCode == level.rawValue }
            return .init(level: localiser.text("risk.level.\(level.rawValue)", builder.language), levelCode: level.rawValue,
                         risks: risks, hasRisks: !risks.isEmpty)
        }
        let base = SiteURL.risks(slug: programme.slug).path(builder.language)
        page.byLevelHref = base + "?view=level"
        page.allHref = base
        page.overdueReviews = register.filter { $0.isReviewOverdue(today: today) }.count
        page.addAction = canAssess ? SiteURL.riskNew(slug: programme.slug).path(builder.language) : nil
        page.goalOptions = programme.goals.map { .init(value: String($0.number), label: "\($0.number). \($0.title)", selected: form.text("goal") == String($0.number)) }
        page.responseOptions = RiskResponse.allCases.map {
            .init(value: $0.rawValue, label: localiser.text("risk.response.\($0.rawValue)", builder.language), selected: form.text("response") == $0.rawValue)
        }
        return try renderer.render(RisksShow.template, page, status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    /// A risk the office identified after the resolution; numbered after Table 3's.
    func addRisk(_ context: AppRequestContext) async throws -> Response {
        let builder = try await load(context)
        let form = context.form
        let existing = try await dependencies.repositories.riskDetails.details(programme: builder.slug)
        let number = max(builder.programme.risks.count, existing.map(\.number).max() ?? 0) + 1
        let details = RiskDetails(
            programmeSlug: builder.slug, number: number,
            added: .init(goal: form.number("goal", in: .ordinal) ?? 0, name: form.text("name").trimmingCharacters(in: .whitespaces),
                         score: form.number("score", in: .score) ?? 0, response: RiskResponse(rawValue: form.text("response")) ?? .counteract,
                         responseDetail: form.text("responseDetail")),
            owner: form.text("owner"), linkedTasks: Self.tasks(form.text("linkedTasks")),
            reviewEveryMonths: form.text("reviewEveryMonths").isEmpty ? RiskDetails.defaultReviewMonths
                : form.number("reviewEveryMonths", in: .months) ?? 0)
        let problems = details.problems(in: builder.programme)
        guard problems.isEmpty else { return try await risks(context, errors: problems) }
        try await dependencies.repositories.riskDetails.save(details)
        try await dependencies.repositories.audit.record(AuditEntry(
            at: dependencies.accounts.now(), actorUserID: context.user?.id, action: "risk.added",
            subject: "risk:\(builder.slug):\(number)", detail: details.added?.name ?? ""))
        return redirect(to: SiteURL.risks(slug: builder.slug).path(builder.language) + "#register")
    }

    func saveDetails(_ context: AppRequestContext) async throws -> Response {
        let builder = try await load(context)
        let number = try context.pathNumber("number", in: .ordinal, "Risk")
        let existing = try await dependencies.repositories.riskDetails.details(programme: builder.slug).first { $0.number == number }
        guard number <= builder.programme.risks.count || existing?.added != nil else { throw DomainError.notFound("Risk \(number)") }
        let form = context.form
        var details = existing ?? RiskDetails(programmeSlug: builder.slug, number: number)
        details.owner = form.text("owner").trimmingCharacters(in: .whitespaces)
        details.linkedTasks = Self.tasks(form.text("linkedTasks"))
        details.reviewEveryMonths = form.number("reviewEveryMonths", in: .months) ?? 0
        let problems = details.problems(in: builder.programme)
        guard problems.isEmpty else { return try await risks(context, errors: problems) }
        try await dependencies.repositories.riskDetails.save(details)
        try await dependencies.repositories.audit.record(AuditEntry(
            at: dependencies.accounts.now(), actorUserID: context.user?.id, action: "risk.details",
            subject: "risk:\(builder.slug):\(number)", detail: "owner \(details.owner); tasks \(details.linkedTasks.joined(separator: ","))"))
        return redirect(to: SiteURL.risks(slug: builder.slug).path(builder.language) + "#register")
    }

    static func tasks(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init).filter { !$0.isEmpty }
    }

    func addAssessment(_ context: AppRequestContext) async throws -> Response {
        let builder = try await load(context)
        let form = context.form
        let date = CalendarDate(iso: form.text("date"))
        var assessment = RiskAssessment(programmeSlug: builder.slug, risk: form.number("risk", in: .ordinal) ?? 0,
                                        date: date ?? OfficeCalendar.today(dependencies.accounts.now()),
                                        score: form.number("score", in: .score) ?? 0, reason: form.text("reason").trimmingCharacters(in: .whitespacesAndNewlines),
                                        recordedAt: dependencies.accounts.now(), recordedBy: context.user?.id)
        let registerSize = max(builder.programme.risks.count,
                               try await dependencies.repositories.riskDetails.details(programme: builder.slug).map(\.number).max() ?? 0)
        var errors = assessment.problems(in: builder.programme, riskCount: registerSize)
        if date == nil { errors.append(FieldError(field: "date", messageKey: "error.activity.date", message: "is not a date")) }
        guard errors.isEmpty else { return try await risks(context, errors: errors) }
        assessment.reason = String(assessment.reason.prefix(RiskAssessment.maxReasonLength))
        try await dependencies.repositories.riskAssessments.add(assessment)
        try await dependencies.repositories.audit.record(AuditEntry(
            at: dependencies.accounts.now(), actorUserID: context.user?.id, action: "risk.reassessed",
            subject: "risk:\(builder.slug):\(assessment.risk)", detail: "score \(assessment.score) on \(assessment.date)"))
        return redirect(to: SiteURL.risks(slug: builder.slug).path(builder.language) + "#history")
    }

    func page(_ template: String, _ model: Any, _ context: AppRequestContext) throws -> Response {
        try renderer.render(template, model).response()
    }
}

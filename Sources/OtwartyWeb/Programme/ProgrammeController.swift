import Foundation
import Hummingbird
import OtwartyCore

/// The programme as adopted: overview, goals, tasks and results declaration (the risk register is
/// `RiskRegisterController`'s). Public: the resolution is a public act.
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
    }

    /// The home page: what a resident comes for, in the reader's language, then the instance's
    /// first programme in brief (its full text is on its own page).
    func home(_ context: AppRequestContext) async throws -> Response {
        _ = try context.requireLanguage(localiser)
        guard let first = try await dependencies.repositories.programmes.summaries().first else {
            throw DomainError.notFound("Programme")
        }
        let builder = try await load(context, slug: first.slug)
        let language = builder.language
        let summary = builder.summary
        let model = HomeShow.Model(
            page: renderer.chrome(context, title: localiser.text("home.title", language), url: .home),
            programme: builder.header(), tasks: HomeShow.cards(language: language, localiser: localiser),
            summary: summary.text, summaryLanguage: summary.language,
            goals: builder.programme.goals.map(builder.summary),
            programmeHref: SiteURL.programme(slug: first.slug).path(language))
        return try page(HomeShow.template, model, context)
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

    func page(_ template: String, _ model: Any, _ context: AppRequestContext) throws -> Response {
        try renderer.render(template, model).response()
    }
}

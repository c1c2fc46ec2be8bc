import Hummingbird
import OtwartyCore

/// The whole HTTP surface: middleware in order, then every controller's routes.
public enum WebRouter {
    public static func build(_ dependencies: WebDependencies) -> (Router<AppRequestContext>, [RouteEntry]) {
        let router = Router(context: AppRequestContext.self)
        // First: every response, error pages included, carries the request's id.
        router.add(middleware: RequestIDMiddleware(trusted: dependencies.trustedProxies))
        // Counts and times every request by route; only when /metrics is on (no cost otherwise).
        if dependencies.metrics != nil { router.add(middleware: MetricsMiddleware<AppRequestContext>()) }
        // Who the request is from (the peer, or what a trusted proxy forwarded), before anything counts it.
        router.add(middleware: ClientAddressMiddleware(trusted: dependencies.trustedProxies))
        router.add(middleware: SecurityHeadersMiddleware(servedOverHTTPS: dependencies.servedOverHTTPS))
        router.add(middleware: LanguageMiddleware(localiser: dependencies.localiser))
        router.add(middleware: ErrorMiddleware(renderer: dependencies.renderer))
        // Every later step (how to authenticate, which routes match) sees only canonical paths.
        router.add(middleware: PathNormalisationMiddleware())
        // The route table is filled below; a method a path lacks is answered 405 before any other step.
        let routes = Routes(router: router, maxUploadBytes: dependencies.maxUploadBytes)
        router.add(middleware: MethodNotAllowedMiddleware(routes: routes))
        router.add(middleware: APIAuthMiddleware(accounts: dependencies.accounts, apiTokens: dependencies.repositories.apiTokens))
        router.add(middleware: SessionMiddleware(accounts: dependencies.accounts,
                                                 secureCookies: dependencies.servedOverHTTPS))
        router.add(middleware: NoticeMiddleware(secureCookies: dependencies.servedOverHTTPS))
        router.add(middleware: CSRFMiddleware())
        // Errors a page's handler throws are drawn here, inside the session: the error page then
        // keeps the signed-in header and menu (a 404 offered "Sign in" to someone signed in).
        // The first ErrorMiddleware above answers what fails before this point (CSRF, sign-in, paths)
        // and the router's own "no such route", which MethodNotAllowedMiddleware must still see as
        // an error to answer 405 for a path that exists under another method.
        router.add(middleware: ErrorMiddleware(renderer: dependencies.renderer, passesOnRouteNotFound: true))

        StaticController().register(on: routes)
        APIController(dependencies: dependencies).register(on: routes)
        MetricsController(dependencies: dependencies).register(on: routes)
        ActivitiesAPIController(dependencies: dependencies).register(on: routes)
        ProgrammeController(dependencies: dependencies).register(on: routes)
        // Right after the programme pages, so the route table keeps the order it had when they were one controller.
        RiskRegisterController(dependencies: dependencies).register(on: routes)
        AuthController(dependencies: dependencies).register(on: routes)
        TwoFactorController(dependencies: dependencies).register(on: routes)
        PasswordChangeController(dependencies: dependencies).register(on: routes)
        AdminUsersController(dependencies: dependencies).register(on: routes)
        HandlerAccountsController(dependencies: dependencies).register(on: routes)
        DashboardController(dependencies: dependencies).register(on: routes)
        ActivitiesController(dependencies: dependencies).register(on: routes)
        ExportController(dependencies: dependencies).register(on: routes)
        ImportController(dependencies: dependencies).register(on: routes)
        OrganisationsController(dependencies: dependencies).register(on: routes)
        ReferenceStatisticsController(dependencies: dependencies).register(on: routes)
        ReportsController(dependencies: dependencies).register(on: routes)
        BudgetController(dependencies: dependencies).register(on: routes)
        IncidentPublicController(dependencies: dependencies).register(on: routes)
        IncidentCasesController(dependencies: dependencies).register(on: routes)
        HelpContactsController(dependencies: dependencies).register(on: routes)
        ProductsController(dependencies: dependencies).register(on: routes)
        RegistersController(dependencies: dependencies).register(on: routes)
        IncidentStatisticsController(dependencies: dependencies).register(on: routes)
        ConflictRiskController(dependencies: dependencies).register(on: routes)
        IncidentsAPIController(dependencies: dependencies).register(on: routes)
        PublicController(dependencies: dependencies, cache: dependencies.publicCache).register(on: routes)
        PublicServicesController(dependencies: dependencies).register(on: routes)
        AmbassadorController(dependencies: dependencies).register(on: routes)
        return (router, routes.entries)
    }
}

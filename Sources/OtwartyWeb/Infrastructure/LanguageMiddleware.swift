import Hummingbird

/// Sets the page language: the URL's first segment when it names a supported language, else
/// `Accept-Language`, else Polish. Error pages for unknown addresses use it too.
public struct LanguageMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let localiser: Localiser

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        let first = request.uri.path.split(separator: "/").first.map(String.init) ?? ""
        context.language = localiser.supports(first)
            ? first : localiser.negotiate(acceptLanguage: request.headers[.acceptLanguage])
        return try await next(request, context)
    }
}

import Hummingbird
import OtwartyCore

/// API clients authenticate per request with `Authorization: Bearer otw_…` (a personal token,
/// `otwarty token create`). A bad token is refused outright rather than treated as anonymous, so a
/// typo never silently downgrades a client to public data.
public struct APIAuthMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let accounts: AccountService
    let apiTokens: any APITokenRepository

    public func handle(_ request: Request, context: AppRequestContext,
                       next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard RequestPath.isAPI(request.uri.path), let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        var context = context
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              let user = try await accounts.authenticate(bearer: String(parts[1]), apiTokens: apiTokens)
        else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "The API token is not valid.")
        }
        context.user = user
        return try await next(request, context)
    }
}

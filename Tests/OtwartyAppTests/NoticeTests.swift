import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The banner after an action (post/redirect/get): carried once by a cookie, never by the address.
@Suite struct NoticeTests {
    func application() -> some ApplicationProtocol {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: NoticeMiddleware(secureCookies: true))
        router.post("/act") { _, _ in redirect(to: "/pl/after", notice: Notice(.approved, subject: 7)) }
        router.get("/pl/after") { _, context in
            HTML(context.notice.map { "\($0.kind.rawValue) \($0.subject.map(String.init) ?? "-")" } ?? "none").response()
        }
        router.get("/file.txt") { _, _ in Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "x"))) }
        return Application(router: router)
    }

    @Test func anActionsNoticeReachesTheNextPageOnceAndNeverTheAddress() async throws {
        try await application().test(.router) { client in
            let acted = try await client.execute(uri: "/act", method: .post)
            #expect(acted.status == .seeOther && acted.headers[.location] == "/pl/after")
            #expect(acted.headers[NoticeMiddleware.header] == nil, "the internal header is never sent")
            let cookie = try #require(acted.headers[.setCookie])
            #expect(cookie.hasPrefix("otwarty_notice=approved.7") && cookie.contains("HttpOnly") && cookie.contains("Secure"))

            // A file fetched meanwhile leaves the notice for the page.
            let file = try await client.execute(uri: "/file.txt", method: .get, headers: [.cookie: "otwarty_notice=approved.7"])
            #expect(file.headers[.setCookie] == nil)

            let page = try await client.execute(uri: "/pl/after", method: .get, headers: [.cookie: "otwarty_notice=approved.7"])
            #expect(String(buffer: page.body) == "approved 7")
            let cleared = try #require(page.headers[.setCookie])
            #expect(cleared.hasPrefix("otwarty_notice=;") && cleared.contains("Max-Age=0"))
        }
    }

    @Test func aCookieThatIsNotOursSaysNothing() async throws {
        try await application().test(.router) { client in
            for value in ["approved.-1", "approved.0", "deleted-everything", "approved.7.8", "approved.99999999999999999999",
                          String(repeating: "a", count: 5_000), "", "approved."] {
                let page = try await client.execute(uri: "/pl/after", method: .get, headers: [.cookie: "otwarty_notice=\(value)"])
                #expect(String(buffer: page.body) == "none", "\(value.prefix(30))")
            }
        }
    }

    @Test func everyBannerHasAHeadingInEveryLanguage() throws {
        let localiser = try Localiser.bundled()
        for (code, catalogue) in localiser.catalogues {
            for kind in Notice.Kind.allCases {
                #expect(catalogue.keys.contains("notice.\(kind.rawValue).title"), "\(code).po lacks notice.\(kind.rawValue).title")
            }
        }
    }
}

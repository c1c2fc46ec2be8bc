import Foundation
import Hummingbird

/// The stylesheet, and the bare `/` that sends visitors to their language.
struct StaticController {
    static let stylesheet: ByteBuffer = {
        let url = Bundle.module.url(forResource: "Resources/static/otwarty", withExtension: "css")
        return ByteBuffer(bytes: url.flatMap { try? Data(contentsOf: $0) } ?? Data())
    }()

    func register(on routes: Routes) {
        routes.api(.get, .stylesheet, access: .everyone) { _, _ in
            Response(status: .ok,
                     headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: Self.stylesheet))
        }
        // The language middleware has already chosen from Accept-Language.
        routes.page(.get, .root, access: .everyone) { _, context in
            redirect(to: SiteURL.home.path(context.language))
        }
    }
}

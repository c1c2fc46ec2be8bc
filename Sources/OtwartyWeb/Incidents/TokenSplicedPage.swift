import NIOCore
import OtwartyCore

/// A page rendered once with a placeholder where the visitor's CSRF token goes, kept as the bytes
/// around the placeholder: each request joins them with its own token. The incident form is the
/// same for every anonymous visitor except that token, and rendering it through Mustache (which
/// reads the model by reflection) cost ~4 ms of CPU per request — most of the form's time under
/// load. Only the token is spliced in; everything else per request (the cookie, the request id,
/// the security and cache headers) is added to the response as for any page.
public struct TokenSplicedPage: Sendable {
    /// The rendered page cut at each placeholder (one more part than placeholders).
    public let parts: [ByteBuffer]

    /// A placeholder no template, translation or data can contain: fresh random hex for each
    /// process, so no text written by anyone (a help contact's name, a translation) can make the
    /// page cut in the wrong place.
    public static let placeholder = "csrf-placeholder-" + SecretToken.generate()

    /// Cuts `html`, rendered with `placeholder` as the token, at each placeholder.
    public init(rendered html: String) {
        parts = html.components(separatedBy: Self.placeholder).map { ByteBuffer(string: $0) }
    }

    /// The page with `token` in every placeholder's place, or nil when `token` is not one of ours
    /// (64 lowercase hex characters: `SessionMiddleware.isToken`), which needs no escaping; the
    /// caller then renders the page in full.
    public func page(token: String) -> ByteBuffer? {
        guard SessionMiddleware.isToken(token) else { return nil }
        var out = ByteBuffer()
        out.reserveCapacity(parts.reduce(0) { $0 + $1.readableBytes } + (parts.count - 1) * token.utf8.count)
        for (index, part) in parts.enumerated() {
            if index > 0 { out.writeString(token) }
            out.writeImmutableBuffer(part)
        }
        return out
    }

    /// Entries this page holds (for the cache's bound: a language's form is about 9 kB).
    public var byteCount: Int { parts.reduce(0) { $0 + $1.readableBytes } }
}

/// The incident form's shared rendering per language and day (the date field's `max` is today),
/// kept until the data version moves: a help contact's change bumps it (the form lists them), as
/// does any record or reference write. Four languages × a day or two before the old day's entries
/// are dropped: 32 entries of ~9 kB at most, and the keys are a language the LanguageMiddleware
/// accepted and the office's date, never anything the visitor chooses freely.
public typealias IncidentFormCache = VersionedCache<String, TokenSplicedPage>

extension VersionedCache where Key == String, Value == TokenSplicedPage {
    public init() { self.init(capacity: 32, name: "incident_form") }
}

import Foundation

/// The public side of a synthetic history (OtwartyDemo's `DemoPublicSideData` makes one): service
/// points, published documents with their files, Ambassador editions with nominations and
/// winners, patronage requests with decisions. `DemoDataLoader.loadPublicSide` stores it, so
/// that after `otwarty demo` no public page says "nothing published yet".
public struct DemoPublicSide: Hashable, Sendable {
    public var servicePoints: [ServicePoint]
    public var documents: [Document]
    public var editions: [Edition]
    public var patronage: [Patronage]

    public init(servicePoints: [ServicePoint], documents: [Document], editions: [Edition], patronage: [Patronage]) {
        self.servicePoints = servicePoints
        self.documents = documents
        self.editions = editions
        self.patronage = patronage
    }

    /// One version of a document: published on `publishedOn`, in order (a second entry with the
    /// same kind, language and title is its next version).
    public struct Document: Hashable, Sendable {
        public var kind: PublicDocumentKind
        public var language: String
        public var title: String
        public var fileName: String
        public var publishedOn: CalendarDate
        public var text: String
        public init(kind: PublicDocumentKind, language: String, title: String, fileName: String, publishedOn: CalendarDate, text: String) {
            self.kind = kind
            self.language = language
            self.title = title
            self.fileName = fileName
            self.publishedOn = publishedOn
            self.text = text
        }
    }

    /// An edition with its dates (a gala or meeting not yet come is left without its record) and
    /// its nominations; `isWinner` on a nomination marks an Ambassador.
    public struct Edition: Hashable, Sendable {
        public var edition: AmbassadorEdition
        public var nominations: [Nomination]
        public init(edition: AmbassadorEdition, nominations: [Nomination]) {
            self.edition = edition
            self.nominations = nominations
        }
    }

    /// A request and, unless it is still pending, the coordinator's decision.
    public struct Patronage: Hashable, Sendable {
        public var request: PatronageRequest
        public init(request: PatronageRequest) { self.request = request }
    }
}

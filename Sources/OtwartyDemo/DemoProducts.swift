import OtwartyCore

/// The products of the demo (issue 13 C): a few of Table 1's products recorded so the products
/// page, the dashboard's and progress page's products block and the report draft show every
/// state — met, late, in progress, delivered without evidence (the review queue's flag) — rather
/// than a column of "planned". Evidence is the demo's own published documents where one fits, or
/// the city's public information bulletin (BIP) home page, never an invented document address.
public enum DemoProducts {
    static func day(_ iso: String) -> CalendarDate? { CalendarDate(iso: iso) }
    static let bip = "https://www.bip.krakow.pl/"

    /// Stores them when the programme has no product recorded yet; returns how many were stored.
    @discardableResult
    public static func load(into repositories: Repositories, programme: Programme, today: CalendarDate) async throws -> Int {
        guard try await repositories.products.products(programmeSlug: programme.slug).isEmpty else { return 0 }
        let documents = try await repositories.documents.documents(kind: nil)
        // The first Polish welcome pack and research report the demo published, if it did.
        func firstDocument(_ kind: PublicDocumentKind) -> Int64? {
            documents.filter { $0.kind == kind && $0.language == "pl" }.min { ($0.publishedOn, $0.id) < ($1.publishedOn, $1.id) }?.id
        }
        func record(_ code: String, _ index: Int, _ status: ProductStatus, delivered: String? = nil, planned: String? = nil,
                    evidence: ProductEvidence? = nil, note: String = "") -> ProductRecord {
            ProductRecord(programmeSlug: programme.slug, taskCode: code, index: index, status: status,
                          deliveredOn: delivered.flatMap(day), plannedOn: planned.flatMap(day), evidence: evidence, note: note)
        }
        var records = [
            // 2.2, due 2024-12-31: the order on time, the budget information a few weeks late → "late".
            record("2.2", 0, .delivered, delivered: "2024-06-28", evidence: .link(url: bip, isPublic: true),
                   note: "Przykład demonstracyjny: zarządzenie tworzące komórkę."),
            record("2.2", 1, .delivered, delivered: "2025-01-20",
                   note: "Przykład demonstracyjny: bez potwierdzenia — kolejka przeglądu to zgłasza."),
            record("1.5", 0, .inProgress, planned: "2026-06-30"),
            record("3.4", 0, .inProgress, planned: "2027-03-31",
                   evidence: .link(url: "https://intranet.example.org/kampania-ciala-dialogu", isPublic: false),
                   note: "Przykład demonstracyjny: projekt kampanii w przygotowaniu (adres tylko dla pracowników)."),
            record("5.4", 0, .delivered, delivered: "2025-05-15", evidence: .link(url: bip, isPublic: true)),
            record("5.4", 1, .planned, planned: "2026-10-31"),
        ]
        if let pack = firstDocument(.welcomePack), let published = documents.first(where: { $0.id == pack })?.publishedOn,
           published <= today {
            records.append(record("1.3", 0, .delivered, delivered: published.description, evidence: .document(id: pack)))
        }
        if let report = firstDocument(.researchReport), let published = documents.first(where: { $0.id == report })?.publishedOn,
           published <= today {
            records.append(record("1.6", 0, .delivered, delivered: published.description, evidence: .document(id: report)))
        }
        // Nothing dated after today: the demo can be loaded on any day.
        let kept = records.filter { ($0.deliveredOn.map { $0 <= today }) ?? true }
        for r in kept { try await repositories.products.save(r) }
        return kept.count
    }
}

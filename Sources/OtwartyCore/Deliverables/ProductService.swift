import Foundation

/// What the coordinator sends about one product: parsed by the page, checked here.
public struct ProductInput: Hashable, Sendable {
    public var status: ProductStatus
    public var deliveredOn: CalendarDate?
    public var plannedOn: CalendarDate?
    /// A document among the published ones, or nil.
    public var documentID: Int64?
    /// An http(s) address, or nil; not both a document and a link.
    public var link: String?
    public var linkIsPublic: Bool
    public var note: String

    public init(status: ProductStatus, deliveredOn: CalendarDate? = nil, plannedOn: CalendarDate? = nil,
                documentID: Int64? = nil, link: String? = nil, linkIsPublic: Bool = false, note: String = "") {
        self.status = status
        self.deliveredOn = deliveredOn
        self.plannedOn = plannedOn
        self.documentID = documentID
        self.link = link
        self.linkIsPublic = linkIsPublic
        self.note = note
    }

    /// The rules that need no storage, each naming its field (`status`, `deliveredOn`, `plannedOn`,
    /// `evidence`, `link`, `note`). `today` is the office's day: a delivery cannot be in the future.
    public func problems(today: CalendarDate, period: Period) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: key, message: message))
        }
        let earliest = CalendarDate(year: period.from - 1, month: 1, day: 1)
        let latest = CalendarDate(year: period.to + 1, month: 12, day: 31)
        if status == .delivered {
            if let deliveredOn {
                if deliveredOn > today {
                    add("deliveredOn", "error.product.delivered-future", "the delivery date cannot be in the future")
                } else if let earliest, deliveredOn < earliest {
                    add("deliveredOn", "error.product.date-range", "a date from \(period.from - 1) to \(period.to + 1)")
                }
            } else {
                add("deliveredOn", "error.product.delivered-date", "give the day it was delivered")
            }
        } else if deliveredOn != nil {
            add("deliveredOn", "error.product.delivered-not-delivered", "a delivery date needs the status delivered")
        }
        if let plannedOn, let earliest, let latest, plannedOn < earliest || plannedOn > latest {
            add("plannedOn", "error.product.date-range", "a date from \(period.from - 1) to \(period.to + 1)")
        }
        if documentID != nil && link != nil {
            add("evidence", "error.product.evidence-both", "choose a document or type a link, not both")
        }
        if let link, !Self.isWebAddress(link) {
            add("link", "error.product.link", "an address starting with https:// (at most \(ProductRecord.maxURLLength) characters)")
        }
        if note.count > ProductRecord.maxNoteLength {
            add("note", "error.product.note", "at most \(ProductRecord.maxNoteLength) characters")
        }
        return errors
    }

    /// An absolute http(s) address with a host, no spaces or control characters, bounded.
    public static func isWebAddress(_ text: String) -> Bool {
        guard text.count <= ProductRecord.maxURLLength,
              !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }),
              let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host, !host.isEmpty, text.lowercased().hasPrefix("\(scheme)://")
        else { return false }
        return true
    }
}

/// The products' writes, each with an audit entry. The programme coordinator answers for the
/// schedule (§ 6 of the resolution), so only that role records deliveries; others read.
public struct ProductService: Sendable {
    public let products: any ProductRepository
    public let documents: any PublicDocumentRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public static let editors: Set<Role> = [.programmeCoordinator]
    /// Staff and council members (viewers) read the products page; partners and incident
    /// handlers have no part in the schedule.
    public static let readers: Set<Role> = [.administrator, .programmeCoordinator, .unitCoordinator, .viewer]

    public init(products: any ProductRepository, documents: any PublicDocumentRepository, audit: any AuditLog,
                clock: OfficeClock = OfficeClock()) {
        self.products = products
        self.documents = documents
        self.audit = audit
        self.clock = clock
    }

    public static func canEdit(_ user: User?) -> Bool {
        guard let user, !user.isDisabled else { return false }
        return editors.contains(user.role)
    }

    public static func canRead(_ user: User?) -> Bool {
        guard let user, !user.isDisabled else { return false }
        return readers.contains(user.role)
    }

    /// Every product of the programme, unrecorded ones as planned, in the programme's order.
    public func all(programme: Programme, by user: User) async throws -> [ProductRecord] {
        guard Self.canRead(user) else { throw DomainError.forbidden("your role does not read the programme's products") }
        return programme.productRecords(from: try await products.products(programmeSlug: programme.slug))
    }

    /// Records what `input` says about product `index` of task `taskCode`. Throws `forbidden` for
    /// anyone but the programme coordinator, `notFound` for a task or product the programme does not
    /// have, `invalid` naming each wrong field (nothing is stored then).
    @discardableResult
    public func save(_ input: ProductInput, programme: Programme, taskCode: String, index: Int,
                     by user: User) async throws -> ProductRecord {
        guard Self.canEdit(user) else { throw DomainError.forbidden("only the programme coordinator records products") }
        guard let task = programme.task(code: taskCode), task.products.indices.contains(index) else {
            throw DomainError.notFound("Product \(index + 1) of task \(taskCode)")
        }
        var problems = input.problems(today: clock.today, period: programme.period)
        // The list, not the file: checking a 20 MB upload exists need not read it.
        if let id = input.documentID, !(try await documents.documents(kind: nil)).contains(where: { $0.id == id }) {
            problems.append(FieldError(field: "documentID", messageKey: "error.product.document",
                                       message: "choose one of the published documents"))
        }
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        let evidence: ProductEvidence? = input.documentID.map { .document(id: $0) }
            ?? input.link.map { .link(url: $0, isPublic: input.linkIsPublic) }
        let at = clock.now()
        let record = ProductRecord(programmeSlug: programme.slug, taskCode: taskCode, index: index, status: input.status,
                                   deliveredOn: input.status == .delivered ? input.deliveredOn : nil,
                                   plannedOn: input.plannedOn, evidence: evidence,
                                   note: input.note.trimmingCharacters(in: .whitespacesAndNewlines),
                                   updatedAt: at, updatedBy: user.id)
        var detail = "\(record.status.rawValue)"
        if let day = record.deliveredOn { detail += " on \(day)" }
        switch evidence {
        case let .document(id)?: detail += "; evidence document \(id)"
        case let .link(url, isPublic)?: detail += "; evidence \(isPublic ? "public" : "staff-only") link \(url)"
        case nil: detail += "; no evidence"
        }
        let entry = AuditEntry(at: at, actorUserID: user.id, action: "product.saved",
                               subject: "product:\(programme.slug):\(taskCode):\(index + 1)", detail: detail)
        // The product and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            try await products.save(record)
            try await audit.record(entry)
        }
        return record
    }
}

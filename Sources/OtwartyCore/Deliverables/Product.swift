import Foundation

/// Where one product of a task (Table 1, „nazwa produktu”) stands. A product has no row until the
/// coordinator first records something about it: no row reads as planned.
public enum ProductStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case planned
    case inProgress = "in-progress"
    case delivered
}

/// What shows a product was delivered: a document among the programme's published documents
/// (`PublicDocument`), or an address elsewhere (the city's BIP, a partner's site).
public enum ProductEvidence: Hashable, Sendable {
    case document(id: Int64)
    /// `isPublic`: whether the public pages may show the address. A link to an intranet or a
    /// partner's shared folder proves delivery to staff but is no use (or a leak) to the public.
    case link(url: String, isPublic: Bool)
}

/// The record of one product of one task. Products are the resolution's text, which the programme
/// file keeps; they are known here by the task's code and their position in its list
/// (`ProgrammeTask.products[index]`), so the text is never copied into storage.
public struct ProductRecord: Hashable, Sendable {
    public var programmeSlug: String
    /// `2.2`
    public var taskCode: String
    /// 0-based position in `ProgrammeTask.products`.
    public var index: Int
    public var status: ProductStatus
    /// The day it was delivered; set exactly when `status` is delivered.
    public var deliveredOn: CalendarDate?
    /// When the office expects it (optional, for planning).
    public var plannedOn: CalendarDate?
    public var evidence: ProductEvidence?
    public var note: String
    public var updatedAt: Date?
    public var updatedBy: UserID?

    public init(programmeSlug: String, taskCode: String, index: Int, status: ProductStatus = .planned,
                deliveredOn: CalendarDate? = nil, plannedOn: CalendarDate? = nil, evidence: ProductEvidence? = nil,
                note: String = "", updatedAt: Date? = nil, updatedBy: UserID? = nil) {
        self.programmeSlug = programmeSlug
        self.taskCode = taskCode
        self.index = index
        self.status = status
        self.deliveredOn = deliveredOn
        self.plannedOn = plannedOn
        self.evidence = evidence
        self.note = note
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// A product nobody has recorded anything about yet.
    public static func unrecorded(programmeSlug: String, taskCode: String, index: Int) -> ProductRecord {
        ProductRecord(programmeSlug: programmeSlug, taskCode: taskCode, index: index)
    }

    public var key: ProductKey { ProductKey(taskCode: taskCode, index: index) }

    /// Delivered on or before `day`.
    public func isDelivered(by day: CalendarDate) -> Bool {
        guard status == .delivered, let deliveredOn else { return false }
        return deliveredOn <= day
    }

    /// Evidence the public pages may show: a published document, or a link marked public.
    public var publicEvidence: ProductEvidence? {
        switch evidence {
        case .document?: return evidence
        case let .link(_, isPublic)? where isPublic: return evidence
        default: return nil
        }
    }

    public static let maxNoteLength = 1000
    public static let maxURLLength = 500
}

public struct ProductKey: Hashable, Sendable, Comparable {
    public var taskCode: String
    public var index: Int
    public init(taskCode: String, index: Int) {
        self.taskCode = taskCode
        self.index = index
    }
    public static func < (a: ProductKey, b: ProductKey) -> Bool { (a.taskCode, a.index) < (b.taskCode, b.index) }
}

public protocol ProductRepository: Sendable {
    /// Every recorded product of the programme (unrecorded ones have no row), by task code then index.
    func products(programmeSlug: String) async throws -> [ProductRecord]
    func product(programmeSlug: String, taskCode: String, index: Int) async throws -> ProductRecord?
    /// Inserts or replaces the record of (programme, task, index).
    func save(_ record: ProductRecord) async throws
    /// Products recorded as delivered with no evidence at all: the review queue flags them
    /// (a quality check, never a block).
    func deliveredWithoutEvidence(programmeSlug: String) async throws -> [ProductRecord]
}

extension Programme {
    /// Every product of every task as recorded in `records`, unrecorded ones as planned; in the
    /// programme's order.
    public func productRecords(from records: [ProductRecord]) -> [ProductRecord] {
        let byKey = Dictionary(records.filter { $0.programmeSlug == slug }.map { ($0.key, $0) },
                               uniquingKeysWith: { first, _ in first })
        return tasks.flatMap { task in
            task.products.indices.map { index in
                byKey[ProductKey(taskCode: task.code, index: index)]
                    ?? .unrecorded(programmeSlug: slug, taskCode: task.code, index: index)
            }
        }
    }
}

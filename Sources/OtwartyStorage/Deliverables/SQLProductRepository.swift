import Foundation
import OtwartyCore
import SQLKit

/// The products of the programmes' tasks (`ProductRecord`), one row per (programme, task, product
/// index) that someone has recorded; the product's text stays in the programme file.
public struct SQLProductRepository: ProductRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `task_products`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case programmeSlug = "programme_slug", taskCode = "task_code", productIndex = "product_index", status,
                 deliveredOn = "delivered_on", plannedOn = "planned_on", evidenceDocumentID = "evidence_document_id",
                 evidenceURL = "evidence_url", evidencePublic = "evidence_public", note,
                 updatedAt = "updated_at", updatedBy = "updated_by"
        }
        typealias Column = CodingKeys
        var programmeSlug: String
        var taskCode: String
        var productIndex: Int
        var status: String
        var deliveredOn: String?
        var plannedOn: String?
        var evidenceDocumentID: Int64?
        var evidenceURL: String?
        var evidencePublic: Bool
        var note: String
        var updatedAt: Double?
        var updatedBy: Int64?

        /// A status this version does not know reads as planned rather than failing the page.
        var record: ProductRecord {
            let evidence: ProductEvidence? = evidenceDocumentID.map { .document(id: $0) }
                ?? evidenceURL.map { .link(url: $0, isPublic: evidencePublic) }
            return ProductRecord(programmeSlug: programmeSlug, taskCode: taskCode, index: productIndex,
                                 status: ProductStatus(rawValue: status) ?? .planned,
                                 deliveredOn: deliveredOn.flatMap(CalendarDate.init(iso:)),
                                 plannedOn: plannedOn.flatMap(CalendarDate.init(iso:)), evidence: evidence, note: note,
                                 updatedAt: updatedAt.map(Date.init(timeIntervalSince1970:)), updatedBy: updatedBy)
        }
    }

    public func products(programmeSlug: String) async throws -> [ProductRecord] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("task_products").where("programme_slug", .equal, programmeSlug)
                .orderBy("task_code").orderBy("product_index").all(decoding: Row.self).map(\.record)
        }
    }

    public func product(programmeSlug: String, taskCode: String, index: Int) async throws -> ProductRecord? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("task_products").where("programme_slug", .equal, programmeSlug)
                .where("task_code", .equal, taskCode).where("product_index", .equal, index)
                .first(decoding: Row.self)?.record
        }
    }

    public func save(_ r: ProductRecord) async throws {
        let (documentID, url, isPublic): (Int64?, String?, Bool)
        switch r.evidence {
        case let .document(id)?: (documentID, url, isPublic) = (id, nil, false)
        case let .link(link, linkIsPublic)?: (documentID, url, isPublic) = (nil, link, linkIsPublic)
        case nil: (documentID, url, isPublic) = (nil, nil, false)
        }
        // The public progress page is cached by the data version and shows products: a change
        // bumps it in the same transaction, as a record's change does.
        try await database.transaction { db in
            try await db.insert(into: "task_products")
                .columns("programme_slug", "task_code", "product_index", "status", "delivered_on", "planned_on",
                         "evidence_document_id", "evidence_url", "evidence_public", "note", "updated_at", "updated_by")
                .values(SQLBind(r.programmeSlug), SQLBind(r.taskCode), SQLBind(r.index), SQLBind(r.status.rawValue),
                        SQLBind(r.deliveredOn?.description as String?), SQLBind(r.plannedOn?.description as String?),
                        SQLBind(documentID), SQLBind(url), SQLBind(isPublic), SQLBind(r.note),
                        SQLBind(r.updatedAt?.stored), SQLBind(r.updatedBy))
                .onConflict(with: ["programme_slug", "task_code", "product_index"]) {
                    $0.set(excludedValueOf: "status").set(excludedValueOf: "delivered_on").set(excludedValueOf: "planned_on")
                        .set(excludedValueOf: "evidence_document_id").set(excludedValueOf: "evidence_url")
                        .set(excludedValueOf: "evidence_public").set(excludedValueOf: "note")
                        .set(excludedValueOf: "updated_at").set(excludedValueOf: "updated_by")
                }
                .run()
            try await DataVersion.bump(db)
        }
    }

    public func deliveredWithoutEvidence(programmeSlug: String) async throws -> [ProductRecord] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("task_products").where("programme_slug", .equal, programmeSlug)
                .where("status", .equal, ProductStatus.delivered.rawValue)
                .where("evidence_document_id", .is, SQLLiteral.null).where("evidence_url", .is, SQLLiteral.null)
                .orderBy("task_code").orderBy("product_index").all(decoding: Row.self).map(\.record)
        }
    }
}

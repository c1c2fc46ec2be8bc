import Foundation

public typealias PendingImportID = Int64

/// An uploaded activity file between its preview and its confirmation (migration 20).
///
/// The file is kept in the database rather than in the server's memory or the page: any instance
/// behind a proxy can show the preview and import on confirmation, the browser does not send up
/// to 32 MB a second time, and what is confirmed is exactly what was previewed. It expires after
/// `PendingImport.lifetime`; rows past it are removed whenever a new file is staged. Once
/// imported, the text is dropped and the row keeps only the outcome, which the banner after the
/// import reads (docs/design.md, "Import: preview and confirm").
public struct PendingImport: Hashable, Sendable {
    public static let lifetime: TimeInterval = 3600
    /// The file name as the browser sent it, shortened, for the preview's heading.
    public static let maxFileNameLength = 200

    public var id: PendingImportID
    /// Only the person who uploaded the file sees its preview and may confirm it.
    public var userID: UserID
    public var programmeSlug: String
    public var status: ActivityStatus
    public var createOrganisations: Bool
    public var fileName: String
    /// The file; empty once imported.
    public var text: String
    public var createdAt: Date
    public var expiresAt: Date
    /// When a confirmation took the file (it is then not imported a second time).
    public var importedAt: Date?
    /// How many records the import stored; nil until it has.
    public var importedRecords: Int?

    public init(id: PendingImportID = 0, userID: UserID, programmeSlug: String, status: ActivityStatus,
                createOrganisations: Bool, fileName: String, text: String, createdAt: Date, expiresAt: Date,
                importedAt: Date? = nil, importedRecords: Int? = nil) {
        self.id = id
        self.userID = userID
        self.programmeSlug = programmeSlug
        self.status = status
        self.createOrganisations = createOrganisations
        self.fileName = fileName
        self.text = text
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.importedAt = importedAt
        self.importedRecords = importedRecords
    }

    public func isOpen(at now: Date) -> Bool { importedAt == nil && now < expiresAt }
}

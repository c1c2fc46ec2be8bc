import Foundation

/// The registers measures count (issue 13): dialogue bodies (3.4.a) and the contact base of
/// intercultural and Roma assistants (5.5.a). Writes only through `RegisterService` (audit entry).
public protocol RegisterRepository: Sendable {
    /// Every dialogue body, by name.
    func dialogueBodies() async throws -> [DialogueBody]
    func dialogueBody(id: Int64) async throws -> DialogueBody?
    /// Inserts when `body.id` is 0, else replaces the stored body; returns it with its id.
    func saveDialogueBody(_ body: DialogueBody) async throws -> DialogueBody
    func deleteDialogueBody(id: Int64) async throws

    /// Assistants by name; only those kept by `organisationID` when given.
    func assistants(organisationID: OrganisationID?) async throws -> [InterculturalAssistant]
    func assistant(id: Int64) async throws -> InterculturalAssistant?
    /// Inserts when `assistant.id` is 0, else replaces the stored entry; returns it with its id.
    func saveAssistant(_ assistant: InterculturalAssistant) async throws -> InterculturalAssistant
    func deleteAssistant(id: Int64) async throws
}

/// One import of a yearly data set (measure 6.2.c shows the year's last one).
public struct DataImportEntry: Hashable, Sendable {
    public var kind: DataImportKind
    /// The years the file covered, ascending.
    public var years: [Int]
    public var importedAt: Date
    public var rows: Int
    public var importedBy: UserID?

    public init(kind: DataImportKind, years: [Int], importedAt: Date, rows: Int, importedBy: UserID?) {
        self.kind = kind
        self.years = years.sorted()
        self.importedAt = importedAt
        self.rows = rows
        self.importedBy = importedBy
    }
}

/// The log of data imports: appended by the importing service, read by the measures.
public protocol DataImportLogRepository: Sendable {
    func record(_ entry: DataImportEntry) async throws
    /// Imports of `kind`, newest first.
    func entries(of kind: DataImportKind) async throws -> [DataImportEntry]
    /// When data of `kind` covering `year` was last imported; nil when never.
    func lastImport(of kind: DataImportKind, year: Int) async throws -> Date?
}

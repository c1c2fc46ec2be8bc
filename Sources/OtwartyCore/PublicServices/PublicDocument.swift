import Foundation

/// Documents the programme publishes for the public, each kind counting toward its task's measure:
/// the welcome pack and the brochure on rights and duties (task 1.3, "number of updates of the
/// pack"), translated documents and procedures (task 1.2) and the Observatory's research reports
/// (task 1.6). Every published version is kept; publishing one records an approved activity.
public enum PublicDocumentKind: String, Hashable, Sendable, CaseIterable {
    case welcomePack = "welcome-pack"
    case rightsBrochure = "rights-brochure"
    case translation
    case researchReport = "research-report"

    public var taskCode: String {
        switch self {
        case .welcomePack, .rightsBrochure: return "1.3"
        case .translation: return "1.2"
        case .researchReport: return "1.6"
        }
    }

    public var activityKind: ActivityKind {
        switch self {
        case .welcomePack, .rightsBrochure: return .publication
        case .translation: return .translation
        case .researchReport: return .researchReport
        }
    }
}

public struct PublicDocument: Hashable, Sendable {
    public var id: Int64
    public var kind: PublicDocumentKind
    /// ISO 639-1 code of the document's language.
    public var language: String
    public var title: String
    /// 1, 2, … per kind, language and title.
    public var version: Int
    public var publishedOn: CalendarDate
    public var fileName: String
    public var mediaType: String
    public var size: Int
    public var sha256: String
    /// The approved activity record the publication counts through.
    public var activityID: ActivityID?

    public init(id: Int64 = 0, kind: PublicDocumentKind, language: String, title: String, version: Int = 0,
                publishedOn: CalendarDate, fileName: String, mediaType: String, size: Int, sha256: String,
                activityID: ActivityID? = nil) {
        self.id = id
        self.kind = kind
        self.language = language
        self.title = title
        self.version = version
        self.publishedOn = publishedOn
        self.fileName = fileName
        self.mediaType = mediaType
        self.size = size
        self.sha256 = sha256
        self.activityID = activityID
    }

    public static let maxBytes = 20 * 1024 * 1024
    /// What may be uploaded, by extension: documents people can open without special software.
    public static let mediaTypes = ["pdf": "application/pdf", "odt": "application/vnd.oasis.opendocument.text",
                                    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                    "html": "text/html; charset=utf-8", "txt": "text/plain; charset=utf-8",
                                    "epub": "application/epub+zip"]

    public static func problems(title: String, language: String, fileName: String, size: Int) -> [FieldError] {
        var errors: [FieldError] = []
        if title.trimmingCharacters(in: .whitespaces).isEmpty || title.count > 300 {
            errors.append(FieldError(field: "title", messageKey: "error.document.title", message: "give a title (at most 300 characters)"))
        }
        if language.count != 2 || !language.allSatisfy({ $0.isASCII && $0.isLowercase }) {
            errors.append(FieldError(field: "language", messageKey: "error.document.language", message: "a two-letter language code, e.g. uk"))
        }
        let ext = (fileName as NSString).pathExtension.lowercased()
        if size == 0 {
            errors.append(FieldError(field: "file", messageKey: "error.document.file", message: "choose a file"))
        } else if mediaTypes[ext] == nil {
            errors.append(FieldError(field: "file", messageKey: "error.document.type",
                                     message: "PDF, ODT, DOCX, EPUB, HTML or TXT"))
        } else if size > maxBytes {
            errors.append(FieldError(field: "file", messageKey: "error.document.size", message: "at most 20 MB"))
        }
        return errors
    }
}

public protocol PublicDocumentRepository: Sendable {
    /// Stores the file as the next version of (kind, language, title) and returns it.
    func publish(_ document: PublicDocument, bytes: [UInt8]) async throws -> PublicDocument
    /// Newest first; all versions.
    func documents(kind: PublicDocumentKind?) async throws -> [PublicDocument]
    func file(id: Int64) async throws -> (PublicDocument, [UInt8])?
    func setActivity(_ activityID: ActivityID, documentID: Int64) async throws
}

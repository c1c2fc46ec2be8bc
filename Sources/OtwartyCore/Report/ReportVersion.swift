import Foundation

/// The formats a report is written in.
public enum ReportFormat: String, Hashable, Sendable, CaseIterable {
    case html, odt, pdf

    public var mediaType: String {
        switch self {
        case .html: return "text/html; charset=utf-8"
        case .odt: return "application/vnd.oasis.opendocument.text"
        case .pdf: return "application/pdf"
        }
    }
}

/// A frozen version of a year's report: the files as they were when the coordinator froze it.
/// Frozen files never change: downloads of the version serve these bytes, whatever happens to
/// records afterwards, and each file's SHA-256 lets anyone check a copy.
public struct ReportVersion: Hashable, Sendable {
    public var id: Int64
    public var programmeSlug: String
    public var year: Int
    /// 1, 2, … per programme and year.
    public var number: Int
    public var frozenAt: Date
    public var frozenBy: UserID?
    /// SHA-256 (lowercase hex) of each stored file, by format.
    public var digests: [ReportFormat: String]

    public init(id: Int64, programmeSlug: String, year: Int, number: Int, frozenAt: Date, frozenBy: UserID?,
                digests: [ReportFormat: String]) {
        self.id = id
        self.programmeSlug = programmeSlug
        self.year = year
        self.number = number
        self.frozenAt = frozenAt
        self.frozenBy = frozenBy
        self.digests = digests
    }
}

/// A file of a report and its SHA-256.
public struct ReportFile: Hashable, Sendable {
    public var format: ReportFormat
    public var bytes: [UInt8]
    public var sha256: String

    public init(format: ReportFormat, bytes: [UInt8]) {
        self.format = format
        self.bytes = bytes
        self.sha256 = SHA256Hex.digest(bytes)
    }
}

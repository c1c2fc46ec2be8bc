/// Turns a report into PDF with a program found on the machine (headless Chromium from the HTML,
/// or LibreOffice from the ODT). The implementation lives with the bootstrap, which may start
/// processes; the web layer and the CLI only ask for a PDF.
public protocol PDFRenderer: Sendable {
    /// The report file the program reads: `.html` (Chromium prints it) or `.odt` (LibreOffice
    /// converts it); nil when nothing can render. Callers build only this one.
    var source: ReportFormat? { get }
    /// Makes a PDF from the report file in the `source` format.
    /// - Throws: `DomainError.unavailable` naming the Debian package to install when no renderer is found.
    func pdf(from document: [UInt8]) async throws -> [UInt8]
    /// What will render, e.g. `chromium (/usr/bin/chromium)`, or nil when nothing can.
    func describe() -> String?
}

extension PDFRenderer {
    /// A PDF from a report whose HTML and ODT both exist (a frozen version): the one it reads.
    public func pdf(html: [UInt8], odt: [UInt8]) async throws -> [UInt8] {
        try await pdf(from: source == .odt ? odt : html)
    }
}

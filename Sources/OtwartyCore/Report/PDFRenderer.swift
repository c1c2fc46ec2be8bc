/// Turns a report into PDF with a program found on the machine (headless Chromium from the HTML,
/// or LibreOffice from the ODT). The implementation lives with the bootstrap, which may start
/// processes; the web layer and the CLI only ask for a PDF.
public protocol PDFRenderer: Sendable {
    /// - Throws: `DomainError.unavailable` naming the Debian package to install when no renderer is found.
    func pdf(html: [UInt8], odt: [UInt8]) async throws -> [UInt8]
    /// What will render, e.g. `chromium (/usr/bin/chromium)`, or nil when nothing can.
    func describe() -> String?
}

import ArgumentParser
import Foundation
import OtwartyCore
import OtwartyWeb

/// `otwarty report 2025 --format odt --out raport-2025.odt`: the year's report as a draft,
/// exactly as the web page's download would give it on the same day.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the annual report for a year (HTML, ODT or PDF).")

    @Argument(help: "The reported year, e.g. 2025.") var year: Int
    @Option(help: "html, odt or pdf.") var format: String = "html"
    @Option(help: "The file to write (- for standard output).") var out: String
    @Option(help: "The programme's slug (default: the instance's first programme).") var programme: String?
    @Option(help: "The report's language: pl, en, uk or ru (default: the programme's own).") var language: String?

    func validate() throws {
        guard ReportFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("--format \"\(format)\" must be html, odt or pdf")
        }
        guard !out.isEmpty else { throw ValidationError("--out must name a file") }
        guard NumberRange.year.bounds.contains(Int64(year)) else { throw ValidationError("the year must be 1900–2200") }
    }

    func run() async throws {
        let format = ReportFormat(rawValue: self.format.lowercased()) ?? .html
        try await withServices { configuration, services, _ in
            let started = ContinuousClock.now
            let written = try await ReportFileWriter(services: services, pdfRenderer: ExternalPDFRenderer.find(choice: configuration.pdfRenderer))
                .write(programme: programme, year: year, format: format, language: language) { step in
                    progress("\(step) (\(seconds(since: started)))")
                }
            if out == "-" {
                FileHandle.standardOutput.write(Data(written.file.bytes))
            } else {
                try Data(written.file.bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
            }
            progress("wrote \(out): \(written.file.bytes.count) bytes, \(written.records) records, SHA-256 \(written.file.sha256) (\(seconds(since: started)))\n")
        }
    }

    func progress(_ line: String) {
        // One line rewritten in place: a progress line, not a log.
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    func seconds(since start: ContinuousClock.Instant) -> String {
        let d = ContinuousClock.now - start
        return String(format: "%.2f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}

/// What the report command and the benchmark share: build the report and write one format.
struct ReportFileWriter {
    let services: AppServices
    let pdfRenderer: any PDFRenderer

    struct Written {
        var file: ReportFile
        var records: Int
    }

    func write(programme slug: String?, year: Int, format: ReportFormat, language: String?,
               progress: (String) -> Void = { _ in }) async throws -> Written {
        let repositories = services.repositories
        var chosen = slug
        if chosen == nil { chosen = try await repositories.programmes.summaries().first?.slug }
        guard let slug = chosen, let programme = try await repositories.programmes.programme(slug: slug) else {
            throw DomainError.notFound("Programme \(slug ?? "")")
        }
        let localiser = try Localiser.bundled()
        let language = language ?? programme.language
        guard localiser.supports(language) else {
            throw DomainError.invalid([FieldError(field: "language", messageKey: "error.invalid",
                                                  message: "\"\(language)\" is not a language of Otwarty (pl, en, uk, ru)")])
        }
        progress("building the \(year) report of \(slug)…")
        let today = services.clock.today
        let report = try await AnnualReportSource(repositories: repositories).report(programme: programme, year: year, generatedOn: today)
        let organisations = Dictionary(try await repositories.organisations.all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let writer = AnnualReportWriter(renderer: try await PageRenderer.bundled(localiser: localiser))
        let inputs = AnnualReportWriter.Inputs(report: report, language: language, programmeLanguage: programme.language,
                                               organisations: organisations)
        progress("writing \(format.rawValue.uppercased()) (\(report.summary.approvedRecords) records)…")
        let bytes: [UInt8]
        switch format {
        case .html: bytes = try writer.html(inputs)
        case .odt: bytes = try writer.odt(inputs)
        case .pdf:
            progress("rendering PDF with \(pdfRenderer.describe() ?? "nothing")…")
            // Only the file the renderer reads is built (Chromium: HTML, LibreOffice: ODT).
            switch pdfRenderer.source {
            case .odt?: bytes = try await pdfRenderer.pdf(from: try writer.odt(inputs))
            case .html?: bytes = try await pdfRenderer.pdf(from: try writer.html(inputs))
            default: throw NoPDFRenderer.missing
            }
        }
        return Written(file: ReportFile(format: format, bytes: bytes), records: report.summary.approvedRecords)
    }
}

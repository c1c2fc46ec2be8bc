import Foundation
import OtwartyCore

/// Writes an `AnnualReport` as HTML (and, with OtwartyDocuments, ODT). Writers are pure: the same
/// report, language and names give the same bytes, which is what freezing relies on.
public struct AnnualReportWriter: Sendable {
    let renderer: PageRenderer

    public init(renderer: PageRenderer) { self.renderer = renderer }

    public struct Inputs: Sendable {
        public var report: AnnualReport
        public var language: String
        public var programmeLanguage: String
        public var organisations: [OrganisationID: String]
        /// The site's public address, so a product's evidence document is a full link in the
        /// frozen files; empty: links relative to the site.
        public var publicBaseURL: String

        public init(report: AnnualReport, language: String, programmeLanguage: String,
                    organisations: [OrganisationID: String], publicBaseURL: String = "") {
            self.publicBaseURL = publicBaseURL
            self.report = report
            self.language = language
            self.programmeLanguage = programmeLanguage
            self.organisations = organisations
        }
    }

    func model(_ inputs: Inputs) -> AnnualReportShow.Model {
        AnnualReportPresenter(report: inputs.report, language: inputs.language, localiser: renderer.localiser,
                              organisations: inputs.organisations, programmeLanguage: inputs.programmeLanguage,
                              publicBaseURL: inputs.publicBaseURL)
            .model(css: ReportStylesheet.text)
    }

    public func html(_ inputs: Inputs) throws -> [UInt8] {
        let model = model(inputs)
        let page = try renderer.render(AnnualReportShow.template, model).body
        guard let marker = page.range(of: AnnexHTML.marker) else {
            preconditionFailure("annual-report.mustache lost its annex marker")
        }
        func t(_ key: String) -> String { renderer.localiser.text(key, inputs.language) }
        var out = String(page[..<marker.lowerBound])
        out.reserveCapacity(page.utf8.count + model.annexCount * 260)
        AnnexHTML.write(model.annex, labels: .init(task: t("report.task"), date: t("report.annex.date"),
                                                   record: t("report.annex.record"), organisation: t("report.annex.organisation"),
                                                   district: t("dashboard.district"), participants: t("report.annex.participants"),
                                                   amount: t("report.annex.amount")),
                        programmeLanguage: inputs.programmeLanguage, into: &out)
        out += page[marker.upperBound...]
        return Array(out.utf8)
    }

    public func odt(_ inputs: Inputs) throws -> [UInt8] {
        try AnnualReportODT.write(model(inputs), localiser: renderer.localiser, generatedOn: inputs.report.titlePage.generatedOn)
    }

    /// A file name people can keep: `otwarty-krakow-2024-2028-2025-v2.odt`, `…-2025-draft.pdf`.
    public static func fileName(programme: String, year: Int, edition: AnnualReport.Edition, format: ReportFormat) -> String {
        switch edition {
        case .draft: return "\(programme)-\(year)-draft.\(format.rawValue)"
        case let .version(number): return "\(programme)-\(year)-v\(number).\(format.rawValue)"
        }
    }
}

/// The report's stylesheet, embedded in every HTML report (Resources/static/report.css).
public enum ReportStylesheet {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "Resources/static/report", withExtension: "css"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            preconditionFailure("Resources/static/report.css is missing from the OtwartyWeb bundle")
        }
        return text
    }()

    /// The policy a report is served with: the embedded style by its hash, nothing else.
    public static let contentSecurityPolicy: String = [
        "default-src 'none'", "style-src 'sha256-\(SHA256Hex.base64(Array(text.utf8)))'", "img-src data:",
        "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")
}

import Foundation

/// Gathers what a year's report is built from out of storage, and builds it. Used by the web
/// pages and the `otwarty report` command alike, so both print the same report.
public struct AnnualReportSource: Sendable {
    public let repositories: Repositories
    public let engine: IndicatorEngine

    public init(repositories: Repositories) {
        self.repositories = repositories
        self.engine = IndicatorEngine(aggregator: repositories.aggregator, references: repositories.references,
                                      sources: repositories.measureSources)
    }

    /// - Throws: `DomainError.notFound` for an unknown programme; `DomainError.invalid` for a year
    ///   outside its period.
    public func report(programmeSlug: String, year: Int, generatedOn: CalendarDate,
                       edition: AnnualReport.Edition = .draft) async throws -> AnnualReport {
        guard let programme = try await repositories.programmes.programme(slug: programmeSlug) else {
            throw DomainError.notFound("Programme \(programmeSlug)")
        }
        return try await report(programme: programme, year: year, generatedOn: generatedOn, edition: edition)
    }

    public func report(programme: Programme, year: Int, generatedOn: CalendarDate,
                       edition: AnnualReport.Edition = .draft) async throws -> AnnualReport {
        guard programme.period.years.contains(year) else {
            throw DomainError.invalid([FieldError(
                field: "year", messageKey: "error.report.year-outside-period",
                message: "\(year) is outside the programme's period \(programme.period.from)–\(programme.period.to)")])
        }
        // Records of later years never count; earlier ones decide deadline statuses.
        let approved = try await repositories.activities.reportedActivities(programmeSlug: programme.slug, throughYear: year)
        async let budget = repositories.budget.entries(programme: programme.slug, year: year)
        async let narrative = repositories.narratives.narrative(programme: programme.slug, year: year)
        async let assessments = repositories.riskAssessments.assessments(programme: programme.slug)
        async let riskDetails = repositories.riskDetails.details(programme: programme.slug)
        async let products = repositories.products.products(programmeSlug: programme.slug)
        async let documents = repositories.documents.documents(kind: nil)
        let documentTitles = Dictionary(try await documents.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        return try await AnnualReportBuilder(engine: engine).build(
            programme: programme, year: year, approved: approved, generatedOn: generatedOn, budget: try await budget,
            narrative: try await narrative, assessments: try await assessments, riskDetails: try await riskDetails,
            products: try await products, documentTitles: documentTitles, edition: edition)
    }
}

import Foundation

/// The writes of the annual report: the coordinator's narrative and frozen versions, each with its
/// audit entry. Pages and commands write through here; the report itself is built by
/// `AnnualReportSource` and written out by the web layer's writers.
public struct ReportService: Sendable {
    public let narratives: any ReportNarrativeRepository
    public let versions: any ReportVersionRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(narratives: any ReportNarrativeRepository, versions: any ReportVersionRepository, audit: any AuditLog,
                clock: OfficeClock = OfficeClock()) {
        self.narratives = narratives
        self.versions = versions
        self.audit = audit
        self.clock = clock
    }

    static func subject(_ programme: Programme, _ year: Int) -> String { "report:\(programme.slug):\(year)" }

    static func requireYear(_ year: Int, of programme: Programme) throws {
        guard programme.period.years.contains(year) else { throw DomainError.notFound("Year \(year)") }
    }

    // MARK: Narrative

    /// Replaces the year's narrative with `narrative`'s introduction and goal comments, stamped
    /// now and by `user`. Throws `notFound` for a year outside the programme's period and
    /// `invalid` (each problem naming its field: `introduction`, `goal-N`) for a section that is
    /// too long or a goal the programme does not have; nothing is stored then.
    @discardableResult
    public func saveNarrative(_ narrative: ReportNarrative, programme: Programme, year: Int,
                              by user: UserID?) async throws -> ReportNarrative {
        try Self.requireYear(year, of: programme)
        let problems = narrative.problems(in: programme)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        let at = clock.now()
        var stamped = narrative
        stamped.updatedAt = at
        stamped.updatedBy = user
        let saved = stamped
        // The narrative and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            try await narratives.save(saved, programme: programme.slug, year: year)
            try await audit.record(AuditEntry(
                at: at, actorUserID: user, action: "report.narrative-saved", subject: Self.subject(programme, year),
                detail: "\(saved.sections.values.reduce(0) { $0 + $1.count }) characters"))
        }
        return stamped
    }

    // MARK: Freezing

    /// What a freeze stores: the files, and whether the PDF was tried and failed (it is made from
    /// the frozen files on its first download then, `addPDF`).
    public struct FrozenFiles: Sendable {
        public var files: [ReportFile]
        public var pdfPostponed: Bool
        public init(files: [ReportFile], pdfPostponed: Bool = false) {
            self.files = files
            self.pdfPostponed = pdfPostponed
        }
    }

    /// Freezes the next version of the year's report. The files print their version number and
    /// date, so `build` is given both (the latest version + 1, and the moment of freezing, which
    /// is also the version's `frozenAt` and its audit entry's time). When another freeze took the
    /// number meanwhile, the repository throws `DomainError.conflict` and nothing is stored.
    @discardableResult
    public func freeze(programme: Programme, year: Int, by user: UserID?,
                       build: (_ number: Int, _ at: Date) async throws -> FrozenFiles) async throws -> ReportVersion {
        try Self.requireYear(year, of: programme)
        let at = clock.now()
        let number = (try await versions.versions(programme: programme.slug, year: year).first?.number ?? 0) + 1
        // The files are built outside the transaction (a PDF takes seconds); the version and its
        // audit entry then commit together or not at all (`AuditLog.atomically`).
        let frozen = try await build(number, at)
        return try await audit.atomically { [self] in
            let version = try await versions.freeze(programme: programme.slug, year: year, number: number,
                                                    files: frozen.files, at: at, by: user)
            try await audit.record(AuditEntry(
                at: at, actorUserID: user, action: "report.frozen", subject: Self.subject(programme, year),
                detail: "version \(version.number); "
                    + frozen.files.map { "\($0.format.rawValue) sha256 \($0.sha256)" }.joined(separator: "; ")
                    + (frozen.pdfPostponed ? "; PDF later" : "")))
            return version
        }
    }

    /// Keeps a PDF made after freezing (from the version's frozen HTML or ODT, when no renderer was
    /// installed at the time) with the version. Never replaces a stored file: returns the stored
    /// one when there is one. No audit entry of its own: the PDF is a rendering of files whose
    /// digests the freeze entry already holds, and the version page shows its SHA-256.
    public func addPDF(_ file: ReportFile, programme: String, year: Int, number: Int) async throws -> ReportFile {
        guard file.format == .pdf else {
            throw DomainError.invalid([FieldError(field: "format", messageKey: "error.invalid",
                                                  message: "only a PDF is added to a frozen version")])
        }
        return try await versions.addFile(file, programme: programme, year: year, number: number)
    }
}

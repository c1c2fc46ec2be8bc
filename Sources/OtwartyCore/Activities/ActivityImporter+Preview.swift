import Foundation

/// What an import would store, shown before anything is: the page's preview step
/// (docs/design.md, "Import: preview and confirm").
public struct ImportPreview: Sendable {
    /// One record as it will be stored, with its organisation's name.
    public struct Row: Sendable {
        public var row: Int
        public var input: ActivityInput
        public var organisationName: String
        /// The organisation does not exist yet; the import creates it.
        public var isNewOrganisation: Bool
    }

    /// Per task: how many records, their participants and amounts.
    public struct TaskTotal: Sendable {
        public var taskCode: String
        public var records: Int
        public var participants: Int
        /// At most 10⁶ rows of at most 10¹¹ grosze each: always fits.
        public var amount: Money
    }

    public var status: ActivityStatus
    public var records: Int
    /// The first rows, in the file's order.
    public var sample: [Row]
    /// In the programme's task order.
    public var perTask: [TaskTotal]
    public var organisations: Int
    public var newOrganisations: [String]
    /// The first and last year the records start in.
    public var years: ClosedRange<Int>?
    /// Records giving participants by audience, and "of whom new this year" (issue 13).
    public var recordsWithBreakdown = 0
    public var recordsWithNew = 0
}

extension ActivityImporter {
    /// How many rows the preview lists.
    public static let previewRows = 10

    /// Checks the whole file as `run` does and says what it would store; stores nothing.
    public func preview(_ text: String, programme: Programme, options: Options,
                        sampleSize: Int = ActivityImporter.previewRows) async throws -> ImportPreview {
        let (records, names) = try await validated(text, programme: programme, options: options)
        var sample: [ImportPreview.Row] = []
        var totals: [String: (records: Int, participants: Int, grosze: Int64)] = [:]
        var organisations = Set<String>()
        var newOrganisations: [String] = []
        var years: ClosedRange<Int>?
        var withBreakdown = 0, withNew = 0
        for (index, pending) in records.enumerated() {
            let input = pending.input
            if input.participantsByAudience != nil { withBreakdown += 1 }
            if input.participantsNew != nil { withNew += 1 }
            let name = pending.newOrganisationName ?? names[input.organisationID] ?? ""
            if organisations.insert(name).inserted, pending.newOrganisationName != nil { newOrganisations.append(name) }
            if index < sampleSize {
                sample.append(.init(row: index + 1, input: input, organisationName: name,
                                    isNewOrganisation: pending.newOrganisationName != nil))
            }
            var total = totals[input.taskCode] ?? (0, 0, 0)
            total.records += 1
            // Each value is bounded (10⁹ people, 10¹¹ grosze) and a file has at most 10⁶ rows: no overflow.
            total.participants += input.participants ?? 0
            total.grosze += input.amountGrosze ?? 0
            totals[input.taskCode] = total
            let year = input.startDate.year
            years = years.map { min($0.lowerBound, year)...max($0.upperBound, year) } ?? year...year
        }
        let order = programme.tasks.map(\.code)
        let perTask = order.compactMap { code in
            totals[code].map { ImportPreview.TaskTotal(taskCode: code, records: $0.records, participants: $0.participants,
                                                       amount: Money(grosze: $0.grosze)) }
        }
        return ImportPreview(status: options.status, records: records.count, sample: sample, perTask: perTask,
                             organisations: organisations.count, newOrganisations: newOrganisations, years: years,
                             recordsWithBreakdown: withBreakdown, recordsWithNew: withNew)
    }

    /// Checks the file (throws `ActivityCSVErrors` when any row is wrong, storing nothing) and
    /// keeps it for `PendingImport.lifetime` until its uploader confirms it.
    public func stage(_ text: String, fileName: String, programme: Programme, options: Options,
                      by user: UserID) async throws -> PendingImportID {
        _ = try await validate(text, programme: programme, options: options)
        let now = clock.now()
        // Nothing anyone sees changes here, so no audit entry: the import itself writes one.
        return try await activities.stagePendingImport(
            PendingImport(userID: user, programmeSlug: programme.slug, status: options.status,
                          createOrganisations: options.createOrganisations,
                          fileName: String(fileName.prefix(PendingImport.maxFileNameLength)), text: text,
                          createdAt: now, expiresAt: now.addingTimeInterval(PendingImport.lifetime)),
            now: now)
    }

    /// The pending import `user` uploaded; nil for anyone else's (or none).
    public func pendingImport(id: PendingImportID, for user: UserID) async throws -> PendingImport? {
        guard let pending = try await activities.pendingImport(id: id), pending.userID == user else { return nil }
        return pending
    }

    /// Imports a staged file on its uploader's confirmation: checked again against today's data,
    /// all rows or none, one audit entry as `run` writes. Records that skip review (`approved`)
    /// need `approvalConfirmed`.
    public func confirm(id: PendingImportID, programme: Programme, by user: UserID,
                        approvalConfirmed: Bool) async throws -> ImportOutcome {
        guard let pending = try await pendingImport(id: id, for: user), pending.programmeSlug == programme.slug else {
            throw DomainError.notFound("pending import \(id)")
        }
        guard pending.importedAt == nil else { throw DomainError.conflict("This file has already been imported.") }
        guard pending.isOpen(at: clock.now()) else {
            throw DomainError.conflict("The preview has expired; upload the file again.")
        }
        if pending.status == .approved, !approvalConfirmed {
            throw DomainError.invalid([FieldError(field: "confirmApproved", messageKey: "import.error.confirm-approved",
                                                  message: "confirm that the records are stored as approved without review")])
        }
        guard try await activities.claimPendingImport(id: id, at: clock.now()) else {
            throw DomainError.conflict("This file has already been imported.")
        }
        do {
            let outcome = try await run(pending.text, programme: programme,
                                        options: Options(status: pending.status, createOrganisations: pending.createOrganisations),
                                        by: user)
            try await activities.finishPendingImport(id: id, records: outcome.records)
            return outcome
        } catch {
            try? await activities.releasePendingImport(id: id)
            throw error
        }
    }
}

import Foundation

/// Stores a synthetic history (a `DemoHistory`, which OtwartyDemo's `DemoData` generates): the
/// organisations with their cooperation coordinators, the reference statistics, the activity
/// records and the returned records' review comments.
/// `load` is what `otwarty demo` runs, and it writes one audit entry for the whole history, as an
/// import writes one for its file: the records are invented, so no record has a trail of its own.
/// The benchmarks fill a database they throw away with `prepare` and `store`, which write no audit
/// entry.
public struct DemoDataLoader: Sendable {
    public let repositories: Repositories
    public let clock: OfficeClock

    public init(repositories: Repositories, clock: OfficeClock = OfficeClock()) {
        self.repositories = repositories
        self.clock = clock
    }

    /// Records per `store` call: large enough that each transaction's commit is cheap, small
    /// enough that a million records never sit in memory at once.
    public static let chunk = 10_000

    public struct Prepared: Sendable {
        /// The stored id of each of the history's `organisations`, in order.
        public var organisationIDs: [OrganisationID]
        public var organisationsCreated: Int
        public var coordinatorsAdded: Int
        public var referencesSet: Int
    }

    public struct Loaded: Sendable {
        public var prepared: Prepared
        public var byStatus: [ActivityStatus: Int]
        public var byYear: [Int: Int]
    }

    /// Stores the whole history into `demo.programme`, reporting stored records as it goes, then
    /// the audit entry `demo.loaded`.
    public func load(_ demo: some DemoHistory,
                     progress: @Sendable (_ stored: Int, _ total: Int) -> Void = { _, _ in }) async throws -> Loaded {
        let slug = demo.programme.slug
        let prepared = try await prepare(demo)
        var byStatus: [ActivityStatus: Int] = [:]
        var byYear: [Int: Int] = [:]
        for start in stride(from: 0, to: demo.count, by: Self.chunk) {
            let records = demo.records(start..<min(start + Self.chunk, demo.count), organisationIDs: prepared.organisationIDs)
            // A store keeps one status per call; each chunk is split by status.
            for status in ActivityStatus.allCases {
                let pending = records.filter { $0.status == status }.map { PendingActivity(input: $0.input) }
                guard !pending.isEmpty else { continue }
                try await store(pending, programmeSlug: slug, status: status)
                byStatus[status, default: 0] += pending.count
            }
            for record in records { byYear[record.input.startDate.year, default: 0] += 1 }
            progress(start + records.count, demo.count)
        }
        try await addReviewComments(demo)
        try await repositories.audit.record(AuditEntry(
            at: clock.now(), actorUserID: nil, action: "demo.loaded", subject: "programme:\(slug)",
            detail: "\(demo.count) synthetic records, seed \(demo.seed)"))
        return Loaded(prepared: prepared, byStatus: byStatus, byYear: byYear)
    }

    /// Stores the demo's organisations (reusing any of the same name), their coordinators (only for
    /// organisations that have none) and its reference statistics (only where a key and year have
    /// no value: a real figure is never replaced by an invented one).
    public func prepare(_ demo: some DemoHistory) async throws -> Prepared {
        var prepared = Prepared(organisationIDs: [], organisationsCreated: 0, coordinatorsAdded: 0, referencesSet: 0)
        for organisation in demo.organisations {
            let id: OrganisationID
            if let found = try await repositories.organisations.organisation(named: organisation.name) {
                id = found.id
            } else {
                id = try await repositories.organisations.create(name: organisation.name, kind: organisation.kind).id
                prepared.organisationsCreated += 1
            }
            prepared.organisationIDs.append(id)
            if try await repositories.coordinators.coordinators(organisationID: id).isEmpty {
                for var coordinator in organisation.coordinators {
                    coordinator.organisationID = id
                    _ = try await repositories.coordinators.add(coordinator)
                    prepared.coordinatorsAdded += 1
                }
            }
        }
        for var reference in demo.references where try await repositories.references.current(key: reference.key, year: reference.year) == nil {
            reference.recordedAt = clock.now()
            try await repositories.references.set(reference, by: nil)
            prepared.referencesSet += 1
        }
        return prepared
    }

    /// Stores records of one status in one transaction, dated now and by nobody.
    public func store(_ pending: [PendingActivity], programmeSlug: String, status: ActivityStatus) async throws {
        _ = try await repositories.activities.importAll(programmeSlug: programmeSlug, records: pending,
                                                        newOrganisationKind: .otherPartner, status: status, by: nil,
                                                        at: clock.now(), progress: { _ in })
    }

    public struct LoadedPublicSide: Sendable, Hashable {
        public var servicePoints = 0
        public var documents = 0
        public var editions = 0
        public var nominations = 0
        public var patronageRequests = 0
    }

    /// Stores the public side of the demo (service points, documents, Ambassador editions,
    /// patronage requests), each part only where the database has none of its kind yet, so real
    /// content is never mixed with invented. What counts toward a measure gets its approved
    /// record as the live workflows give it (`ProgrammeOfficeRecorder`, by nobody): a published
    /// version (1.2, 1.3, 1.6), an edition's nominations and its gala and meeting once come (4.2),
    /// a granted patronage (4.3). One audit entry `demo.public-side-loaded` for all of it.
    @discardableResult
    public func loadPublicSide(_ side: DemoPublicSide, programmeSlug: String) async throws -> LoadedPublicSide {
        var loaded = LoadedPublicSide()
        let recorder = ProgrammeOfficeRecorder(activities: repositories.activities, organisations: repositories.organisations, clock: clock)
        let today = clock.today
        if try await repositories.servicePoints.all().isEmpty {
            for point in side.servicePoints {
                _ = try await repositories.servicePoints.save(point)
                loaded.servicePoints += 1
            }
        }
        if try await repositories.documents.documents(kind: nil).isEmpty {
            for item in side.documents where item.publishedOn <= today {
                let bytes = Array(item.text.utf8)
                let ext = (item.fileName as NSString).pathExtension.lowercased()
                var document = try await repositories.documents.publish(
                    PublicDocument(kind: item.kind, language: item.language, title: item.title, publishedOn: item.publishedOn,
                                   fileName: item.fileName, mediaType: PublicDocument.mediaTypes[ext] ?? "text/plain; charset=utf-8",
                                   size: bytes.count, sha256: SHA256Hex.digest(bytes)),
                    bytes: bytes)
                let record = try await recorder.record(programmeSlug: programmeSlug, task: item.kind.taskCode, kind: item.kind.activityKind,
                                                       title: "\(item.title) (\(item.language)), v\(document.version)", on: item.publishedOn,
                                                       languages: [item.language], by: nil)
                try await repositories.documents.setActivity(record.id, documentID: document.id)
                document.activityID = record.id
                loaded.documents += 1
            }
        }
        for item in side.editions where try await repositories.ambassador.edition(year: item.edition.year) == nil {
            var edition = item.edition
            var stored = 0
            for nomination in item.nominations where nomination.submittedOn <= today {
                if try await repositories.ambassador.nominate(nomination) { stored += 1 }
            }
            if stored > 0 {
                edition.nominationsActivity = try await recorder.record(
                    programmeSlug: programmeSlug, task: "4.2", kind: .other,
                    title: "Krakowski Ambasador Wielokulturowości \(edition.year): wnioski", on: edition.opensOn,
                    participants: stored, by: nil).id
            }
            if let gala = edition.galaOn, gala <= today {
                edition.galaActivity = try await recorder.record(
                    programmeSlug: programmeSlug, task: "4.2", kind: .meeting,
                    title: "Gala Krakowskiego Ambasadora Wielokulturowości \(edition.year)", on: gala, by: nil).id
            }
            if let meeting = edition.meetingOn, meeting <= today {
                edition.meetingActivity = try await recorder.record(
                    programmeSlug: programmeSlug, task: "4.2", kind: .meeting,
                    title: "Spotkanie Ambasadorów \(edition.year) z Prezydentem Miasta", on: meeting, by: nil).id
            }
            try await repositories.ambassador.saveEdition(edition)
            let winners = Set(item.nominations.filter(\.isWinner).map(\.submission))
            for stored in try await repositories.ambassador.nominations(year: edition.year) where winners.contains(stored.nomination.submission) {
                try await repositories.ambassador.setWinner(nominationID: stored.nomination.id, winner: true)
            }
            loaded.editions += 1
            loaded.nominations += stored
        }
        if try await repositories.patronage.requests(status: nil).isEmpty {
            for item in side.patronage where item.request.submittedOn <= today {
                var pending = item.request
                pending.status = .pending
                pending.decidedOn = nil
                pending.reason = ""
                let stored = try await repositories.patronage.submit(pending)
                loaded.patronageRequests += 1
                guard item.request.status != .pending, let decided = item.request.decidedOn, decided <= today else { continue }
                _ = try await repositories.patronage.decide(id: stored.id, status: item.request.status, on: decided,
                                                            reason: item.request.reason, activityID: nil)
                if item.request.status == .granted {
                    let record = try await recorder.record(
                        programmeSlug: programmeSlug, task: "4.3", kind: .patronage,
                        title: "Patronat: \(stored.project) (\(stored.applicant))", on: stored.startsOn,
                        languages: [stored.language], by: nil)
                    try await repositories.patronage.setActivity(record.id, requestID: stored.id)
                }
            }
        }
        try await repositories.audit.record(AuditEntry(
            at: clock.now(), actorUserID: nil, action: "demo.public-side-loaded", subject: "programme:\(programmeSlug)",
            detail: "\(loaded.servicePoints) service points, \(loaded.documents) document versions, \(loaded.editions) Ambassador editions "
                + "(\(loaded.nominations) nominations), \(loaded.patronageRequests) patronage requests"))
        return loaded
    }

    /// Returned records need the reviewer's comment, which a store cannot carry: it is added to
    /// each returned record that has none (only the demo stores returned records without one).
    func addReviewComments(_ demo: some DemoHistory) async throws {
        let filter = ActivityFilter(programmeSlug: demo.programme.slug, statuses: [.returned])
        var offset = 0
        while true {
            let page = try await repositories.activities.list(filter, limit: 500, offset: offset)
            for record in page where record.reviewComment == nil {
                try await repositories.activities.update(id: record.id, input: record.input, status: .returned,
                                                         reviewComment: demo.reviewComment(for: record.input),
                                                         at: record.updatedAt)
            }
            if page.count < 500 { return }
            offset += page.count
        }
    }
}

import OtwartyCore

// The review queue's quality reads over the in-memory records: the reference the SQL is compared with.
extension InMemoryActivityRepository {
    public func duplicateCandidates(programmeSlug: String, taskCodes: Set<String>,
                                    startDates: Set<CalendarDate>) async throws -> [DuplicateCandidate] {
        records.current.rows.values
            .filter { $0.programmeSlug == programmeSlug && [.submitted, .approved].contains($0.status)
                && taskCodes.contains($0.taskCode) && startDates.contains($0.startDate) }
            .sorted { $0.id < $1.id }
            .map(DuplicateCandidate.init)
    }

    public func countProfiles(programmeSlug: String, kinds: Set<ActivityKind>) async throws -> CountProfiles {
        let approved = records.current.rows.values.filter { $0.programmeSlug == programmeSlug && $0.status == .approved }
        var profiles: CountProfiles = [:]
        for kind in kinds {
            let ofKind = approved.filter { $0.kind == kind }
            if let p = CountProfile(values: ofKind.compactMap(\.participants)) { profiles[kind, default: [:]][.participants] = p }
            if let b = CountProfile(values: ofKind.compactMap(\.beneficiaries)) { profiles[kind, default: [:]][.beneficiaries] = b }
        }
        return profiles
    }
}

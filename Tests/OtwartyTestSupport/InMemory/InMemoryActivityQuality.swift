import OtwartyCore

// The review queue's quality reads over the in-memory records: the reference the SQL is compared with.
extension InMemoryActivityRepository {
    public func duplicateCandidates(programmeSlug: String, of checked: [DuplicateCandidate],
                                    limit: Int) async throws -> [DuplicateCandidate] {
        let stored = records.current.rows.values
            .filter { $0.programmeSlug == programmeSlug && [.submitted, .approved].contains($0.status) }
            .sorted { $0.id < $1.id }
        var found: [ActivityID: DuplicateCandidate] = [:]
        for record in checked {
            let sharing = stored.filter {
                $0.organisationID != record.organisationID && $0.taskCode == record.taskCode
                    && $0.startDate == record.startDate && $0.district == record.district
            }
            for other in sharing.prefix(max(0, limit)) { found[other.id] = DuplicateCandidate(other) }
        }
        return found.values.sorted { $0.id < $1.id }
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

import Foundation
import OtwartyCore

/// A data-quality flag as the queue and the record page show it (issue 13; docs/design.md, "Review
/// queue"): a short name for the queue's card, the explanation for the record page, and links to
/// the records it points at.
public struct QualityFlagRow {
    /// `QualityFlagKind`'s raw value, for the CSS class.
    public var kind: String
    public var label: String
    public var text: String
    public var links: [Link]

    public struct Link {
        public var label: String
        public var href: String
    }
}

/// A delivered product without evidence, as the queue lists it above its rows: a link to the
/// product's form, where the evidence is added.
public struct ProductFlagItem {
    /// "Task 5.5" in the reader's language.
    public var task: String
    /// The product's text from the programme (in the programme's language).
    public var product: String
    /// "delivered 30 Nov 2025", or empty without a date.
    public var delivered: String
    public var href: String
}

/// Count profiles by programme and kind, kept until the data changes (`VersionedCache`): every
/// approval bumps the version, so a profile is computed at most once per change — one query for
/// every kind not kept yet, not one per row.
struct CountProfileKey: Hashable, Sendable {
    var programmeSlug: String
    var kind: ActivityKind
}

typealias CountProfileCache = VersionedCache<CountProfileKey, [CountField: CountProfile]>

extension ActivitiesController {
    /// The most records the "only flagged" view checks: the queue is ordered by waiting time, so
    /// these are the ones waiting longest; the page says when more were left unchecked.
    static let flaggedViewLimit = 1_000

    /// The flags of the submitted records among `records`, from three reads for all of them
    /// (candidates, frozen versions, count profiles — the last usually from the cache).
    func qualityFlags(for records: [ActivityRecord], programme: Programme) async throws -> [ActivityID: [QualityFlag]] {
        let submitted = records.filter { $0.status == .submitted }
        guard !submitted.isEmpty else { return [:] }
        let repositories = dependencies.repositories
        let candidates = try await repositories.activities.duplicateCandidates(
            programmeSlug: programme.slug, of: submitted.map(DuplicateCandidate.init), limit: QualityCheck.candidateLimit)
        let versions = try await repositories.reportVersions.versions(programme: programme.slug)
        let profiles = try await countProfiles(programmeSlug: programme.slug, kinds: Set(submitted.map(\.kind)))
        return QualityCheck.flags(for: submitted, inputs: QualityInputs(candidates: candidates, versions: versions, profiles: profiles))
    }

    /// The kinds' count profiles: kept ones from the cache; when one is missing, every kind not
    /// kept in one query, so the read is the same statement with the same rows whichever kinds a
    /// page shows (the row-count guard compares them at two data sizes), and the next page's kinds
    /// come from the cache.
    func countProfiles(programmeSlug: String, kinds: Set<ActivityKind>) async throws -> CountProfiles {
        let version = try await dependencies.repositories.dataVersion.current()
        var profiles: CountProfiles = [:]
        var missing: Set<ActivityKind> = []
        for kind in ActivityKind.allCases {
            if let kept = await profileCache.lookup(CountProfileKey(programmeSlug: programmeSlug, kind: kind), version: version) {
                profiles[kind] = kept
            } else {
                missing.insert(kind)
            }
        }
        guard !missing.isDisjoint(with: kinds) else { return profiles }
        let read = try await dependencies.repositories.activities.countProfiles(programmeSlug: programmeSlug, kinds: missing)
        for kind in missing {
            let value = read[kind] ?? [:]
            profiles[kind] = value
            await profileCache.store(value, for: CountProfileKey(programmeSlug: programmeSlug, kind: kind), version: version)
        }
        return profiles
    }

    /// The flags in the reader's language; `names` names the organisations of related records.
    func flagRows(_ flags: [QualityFlag], record: ActivityRecord, names: [OrganisationID: String],
                  language: String) -> [QualityFlagRow] {
        func t(_ key: String) -> String { localiser.text(key, language) }
        let format = Formatting(language: language)
        return flags.map { flag in
            let label = t("quality.\(flag.kind.rawValue).label")
            var text = t(flag.messageKey)
            var links: [QualityFlagRow.Link] = []
            switch flag {
            case let .possibleDuplicate(others):
                let organisations = Array(Set(others.map { names[$0.organisationID] ?? "—" })).sorted()
                text = text.replacingOccurrences(of: "{organisations}", with: organisations.joined(separator: ", "))
                links = others.map { other in
                    .init(label: "\(other.title) — \(names[other.organisationID] ?? "—"), "
                            + t("activity.status.\(other.status.rawValue)"),
                          href: SiteURL.activity(other.id).path(language))
                }
            case let .frozenYear(year, version, frozenAt):
                text = text.replacingOccurrences(of: "{year}", with: String(year))
                    .replacingOccurrences(of: "{version}", with: String(version))
                    .replacingOccurrences(of: "{date}", with: format.date(dependencies.clock.day(of: frozenAt)))
                links = [.init(label: t("quality.frozen-year.versions").replacingOccurrences(of: "{year}", with: String(year)),
                               href: SiteURL.report(year: year).path(language))]
            case let .unusualCount(_, value, threshold, median, records):
                text = text.replacingOccurrences(of: "{value}", with: format.number(Double(value)))
                    .replacingOccurrences(of: "{threshold}", with: format.number(Double(threshold)))
                    .replacingOccurrences(of: "{median}", with: format.number(Double(median)))
                    .replacingOccurrences(of: "{records}", with: format.number(Double(records)))
                    .replacingOccurrences(of: "{kind}", with: t("activity.kind.\(record.kind.rawValue)"))
            case .productWithoutEvidence:
                break // about the programme, not a record: `productFlagItems`
            }
            return QualityFlagRow(kind: flag.kind.rawValue, label: label.replacingOccurrences(of: "{year}", with: String(record.year)),
                                  text: text, links: links)
        }
    }
}

extension ActivitiesController {
    /// The programme's delivered products without evidence (`QualityCheck.productFlags`), as links
    /// to their forms. One read (`ProductRepository.deliveredWithoutEvidence`).
    func productFlagItems(programme: Programme, language: String) async throws -> [ProductFlagItem] {
        let stored = try await dependencies.repositories.products.deliveredWithoutEvidence(programmeSlug: programme.slug)
        let format = Formatting(language: language)
        return QualityCheck.productFlags(stored).compactMap { flag in
            guard case let .productWithoutEvidence(code, index, deliveredOn) = flag,
                  let task = programme.tasks.first(where: { $0.code == code }), task.products.indices.contains(index) else { return nil }
            return ProductFlagItem(
                task: localiser.text("quality.product-without-evidence.task", language).replacingOccurrences(of: "{code}", with: code),
                product: task.products[index],
                delivered: deliveredOn.map {
                    localiser.text("quality.product-without-evidence.delivered", language)
                        .replacingOccurrences(of: "{date}", with: format.date($0))
                } ?? "",
                href: SiteURL.product(code: code, number: index + 1).path(language))
        }
    }
}

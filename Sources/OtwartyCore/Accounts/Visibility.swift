/// Least privilege: who may read what, beyond the route rules. Each role sees what its work needs
/// and nothing else (docs/security.md, "Least privilege: who sees what"; `AccessTests`).
///
/// Activity records have their own rules in `ActivityService` (`canRead`, `canReadWorkings`,
/// `visibleFilter`); this names the other objects whose readers are narrower than "signed in".
public enum Visibility {
    /// Budget entries, and everything that shows their sums: the budget page and its CSV, and the
    /// annual report (draft and frozen versions alike carry the financing section). Partners work
    /// for one organisation and incident handlers on cases: neither needs the programme's money.
    public static let budgetReaders: Set<Role> = [.administrator, .programmeCoordinator, .unitCoordinator, .viewer]

    /// Who reads the annual report in any edition or format: the same people as the budget,
    /// because every edition has the financing per source in it.
    public static let reportReaders: Set<Role> = budgetReaders

    /// Who reads a nominator's contact details (Ambassador competition): the office that runs the
    /// competition. Jurors (viewers) judge the nomination, not the person who sent it.
    public static let nominatorContactReaders: Set<Role> = [.administrator, .programmeCoordinator]

    public static func canReadBudget(_ user: User?) -> Bool {
        user.map { budgetReaders.contains($0.role) } ?? false
    }

    public static func requireBudgetAccess(_ user: User?) throws {
        guard canReadBudget(user) else { throw DomainError.forbidden("Your role does not read the budget or the annual report.") }
    }

    /// Refuses the annual report (any edition, any format) to those who may not read the budget in it.
    public static func requireReportAccess(_ user: User?) throws {
        guard let user, reportReaders.contains(user.role) else {
            throw DomainError.forbidden("Your role does not read the annual report: it carries the budget.")
        }
    }

    public static func canReadNominatorContact(_ user: User?) -> Bool {
        user.map { nominatorContactReaders.contains($0.role) } ?? false
    }
}

extension Nomination {
    /// The nomination as `user` may see it: without the nominator's contact unless they run the competition.
    public func visible(to user: User?) -> Nomination {
        guard !Visibility.canReadNominatorContact(user) else { return self }
        var copy = self
        copy.contact = ""
        return copy
    }
}

extension PublicServices {
    /// An edition's nominations with their scores, as `user` may see them (see `Nomination.visible(to:)`).
    public func nominations(year: Int, as user: User) async throws -> [ScoredNomination] {
        try await repositories.ambassador.nominations(year: year).map {
            ScoredNomination(nomination: $0.nomination.visible(to: user), scores: $0.scores)
        }
    }
}

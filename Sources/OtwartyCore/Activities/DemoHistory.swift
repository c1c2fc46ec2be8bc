import Foundation

/// A synthetic history of a programme as `DemoDataLoader` stores it. The generator behind
/// `otwarty demo` and `otwarty bench` (`DemoData`) lives in its own target, OtwartyDemo: invented
/// names and texts are not the domain, only their storing is.
public protocol DemoHistory: Sendable {
    var programme: Programme { get }
    /// How many activity records the history has.
    var count: Int { get }
    /// The seed the history was generated from (named in the audit entry).
    var seed: UInt64 { get }
    var organisations: [DemoOrganisation] { get }
    var references: [ReferenceValue] { get }
    /// Records `range` (indices in 0..<count). `organisationIDs[i]` is the stored id of `organisations[i]`.
    func records(_ range: Range<Int>, organisationIDs: [OrganisationID]) -> [DemoRecord]
    /// The reviewer's comment of a returned record, found again from the stored record's content.
    func reviewComment(for input: ActivityInput) -> String
}

/// An organisation of the synthetic history, with its cooperation coordinators
/// (`organisationID` 0 until stored).
public struct DemoOrganisation: Hashable, Sendable {
    public var name: String
    public var kind: OrganisationKind
    public var coordinators: [CooperationCoordinator]

    public init(name: String, kind: OrganisationKind, coordinators: [CooperationCoordinator]) {
        self.name = name
        self.kind = kind
        self.coordinators = coordinators
    }
}

/// One synthetic activity record: what a unit would have typed in, and where it is in review.
public struct DemoRecord: Hashable, Sendable {
    public var input: ActivityInput
    public var status: ActivityStatus
    /// Set for returned records: the reviewer's comment (`DemoHistory.reviewComment(for:)`).
    public var reviewComment: String?

    public init(input: ActivityInput, status: ActivityStatus, reviewComment: String?) {
        self.input = input
        self.status = status
        self.reviewComment = reviewComment
    }
}

import Foundation

public protocol RiskAssessmentRepository: Sendable {
    func add(_ assessment: RiskAssessment) async throws
    /// The programme's assessments, by date then recording time.
    func assessments(programme: String) async throws -> [RiskAssessment]
}

import ArgumentParser
import Foundation
import OtwartyCore

/// `otwarty audit verify`: walks the whole hash chain of the audit trail and names the first
/// entry that was changed, removed or reordered (exit 65), else prints the count and the head
/// hash (exit 0). Note the head hash somewhere outside the database (a paper register, a message
/// to the data protection officer): someone who can write to the database and rebuilds every
/// hash after an entry gets a whole chain, but not the head hash noted before.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit trail's hash chain; name the first entry changed, removed or reordered.",
            discussion: "Exit status 0 when the chain is whole, 65 when it is broken.")

        func run() async throws {
            try await withServices { _, services, _ in
                let result = try await AuditVerification.run(services)
                if !result.output.isEmpty { print(result.output) }
                if !result.errors.isEmpty { FileHandle.standardError.write(Data((result.errors + "\n").utf8)) }
                if result.status != 0 { throw ExitCode(result.status) }
            }
        }
    }
}

/// The work of `otwarty audit verify`, callable from tests.
public enum AuditVerification {
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
        public var report: AuditChainReport
    }

    public static func run(_ services: AppServices) async throws -> Result {
        let started = ContinuousClock.now
        let report = try await services.repositories.audit.verify(tail: nil)
        let took = ContinuousClock.now - started
        let ms = Int((Double(took.components.seconds) * 1_000 + Double(took.components.attoseconds) / 1e15).rounded())
        if let problem = report.problem {
            return Result(status: 65, output: "",
                          errors: "error: the audit trail's hash chain is broken: \(problem)\n"
                              + "The \(report.count) entries before it check out (checked in \(ms) ms).",
                          report: report)
        }
        var output = "The audit trail's hash chain is whole: \(report.count) entries, head \(report.headHash)."
        if report.held > 0 {
            output += "\n\(report.held) entries of anonymous reporters wait to join the chain when their day is over."
        }
        return Result(status: 0, output: output, errors: "Checked in \(ms) ms.", report: report)
    }
}

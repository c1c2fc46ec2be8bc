import Foundation

/// The `sqlite3` command-line shell, run as a separate process for the benchmark's floors.
struct SQLiteCLI: Sendable {
    let executable: URL

    /// The shell on PATH, or nil.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> SQLiteCLI? {
        let paths = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for directory in paths {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("sqlite3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return SQLiteCLI(executable: candidate) }
        }
        return nil
    }

    struct Run: Sendable {
        var output: String
        /// Wall time of the whole process: start, open, the statements, exit.
        var milliseconds: Double
    }

    struct Failure: Error, CustomStringConvertible {
        var status: Int32
        var message: String
        var description: String { "sqlite3 exited with \(status): \(message)" }
    }

    /// Runs `sqlite3 [arguments] DATABASE` with `script` on standard input.
    func run(database: String, script: String, arguments: [String] = []) throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-sqlite3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in.sql"), output = scratch.appendingPathComponent("out.txt"),
            errors = scratch.appendingPathComponent("err.txt")
        try Data(script.utf8).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + [database]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = clock.now - started
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let errorText = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        if process.terminationStatus != 0 || !errorText.isEmpty {
            throw Failure(status: process.terminationStatus, message: errorText.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return Run(output: text, milliseconds: elapsed.milliseconds)
    }

    func version() -> String {
        (try? run(database: ":memory:", script: "SELECT sqlite_version();").output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? "?"
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

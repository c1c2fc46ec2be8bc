/// Why a programme file was rejected. A file is accepted whole or not at all, so every problem
/// found is reported at once, each with the path of the offending value.
public struct ProgrammeFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        /// JSON-path-like location with 0-based indices, e.g. `goals[2].tasks[4].deadline`; empty for the whole file.
        public var path: String
        public var message: String
        /// 1-based line in the file, where the parser knows it.
        public var line: Int?

        public init(path: String, message: String, line: Int? = nil) {
            self.path = path
            self.message = message
            self.line = line
        }

        public var description: String {
            let location = path.isEmpty ? "(file)" : path
            return line.map { "\(location): \(message) (line \($0))" } ?? "\(location): \(message)"
        }
    }

    public var issues: [Issue]
    public init(issues: [Issue]) { self.issues = issues }

    public var description: String {
        "The programme file has \(issues.count) problem\(issues.count == 1 ? "" : "s"):\n"
            + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}

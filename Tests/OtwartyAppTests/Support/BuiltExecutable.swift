import Foundation

/// The debug executable `swift build` made, run as an operator runs it (for the exit statuses a
/// shell sees); nil where the tests run without it.
struct BuiltExecutable {
    let url: URL

    static var debug: BuiltExecutable? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent(".build/debug/otwarty")
        return FileManager.default.isExecutableFile(atPath: url.path) ? BuiltExecutable(url: url) : nil
    }

    /// Runs `otwarty ARGUMENTS` on the SQLite file at `database` with only errors logged; the exit
    /// status, standard output and standard error.
    func run(_ arguments: [String], sqlite database: String) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ["DATABASE_URL": "sqlite://\(database)", "LOG_LEVEL": "error", "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

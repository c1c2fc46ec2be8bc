import Foundation

/// Debian's `pg_dump` and `pg_restore` (package postgresql-client), run as child processes with
/// the connection in their environment: the password goes in `PGPASSWORD`, never on the command
/// line, where every user of the machine could read it in `ps`.
enum PostgresTools {
    /// `pg_dump` or `pg_restore`: the first on `PATH` (Debian's wrapper there picks the newest
    /// installed version), else the newest under /usr/lib/postgresql/*/bin.
    static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"],
                     versionsFolder: String = "/usr/lib/postgresql") throws -> String {
        let manager = FileManager.default
        for folder in (path ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        let versions = ((try? manager.contentsOfDirectory(atPath: versionsFolder)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for version in versions {
            let candidate = "\(versionsFolder)/\(version)/bin/\(name)"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw BackupError.toolMissing(name)
    }

    /// The libpq environment for a `postgres://user:password@host:port/database?sslmode=…` URL,
    /// and the database name (which `pg_restore` wants as an argument: no secret).
    static func environment(url: String) throws -> (environment: [String: String], database: String) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw BackupError.unusableURL
        }
        var env: [String: String] = [:]
        if let host = parts.host, !host.isEmpty { env["PGHOST"] = host.removingPercentEncoding ?? host }
        if let port = parts.port { env["PGPORT"] = String(port) }
        if let user = parts.user, !user.isEmpty { env["PGUSER"] = user }
        if let password = parts.password { env["PGPASSWORD"] = password }
        let database = String(parts.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.isEmpty else { throw BackupError.unusableURL }
        env["PGDATABASE"] = database
        // postgres-kit reads the last of tlsmode/sslmode/ssl/tls; libpq knows sslmode only.
        let tls = (parts.queryItems ?? []).last { ["tlsmode", "sslmode", "ssl", "tls"].contains($0.name.lowercased()) }?.value
        switch tls?.lowercased() {
        case nil: env["PGSSLMODE"] = "prefer"
        case "false", "disable": env["PGSSLMODE"] = "disable"
        case "true", "prefer", "allow": env["PGSSLMODE"] = "prefer"
        case let mode?: env["PGSSLMODE"] = mode // require, verify-ca, verify-full
        }
        return (env, database)
    }

    /// Runs `executable` with `arguments` and `environment` added to this process's (any PG…
    /// variable inherited is dropped first, so the URL alone says where to connect); throws with
    /// the tool's error output when it exits non-zero.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        env.merge(environment) { _, new in new }
        process.environment = env
        // Error output to a file, not a pipe: a pipe nobody reads while the tool runs could fill
        // and stall it.
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-\(UUID().uuidString).stderr")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let handle = try FileHandle(forWritingTo: errors)
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? handle.close()
        guard status == 0 else {
            let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw BackupError.toolFailed((executable as NSString).lastPathComponent, status,
                                         text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}

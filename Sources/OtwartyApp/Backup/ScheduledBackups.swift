import Foundation
import Logging
import OtwartyCore
import OtwartyStorage
import ServiceLifecycle

/// Scheduled backups (`OTWARTY_BACKUP_DIR`): every few hours a backup into the folder, named by
/// its UTC time, the oldest beyond the retention count removed, an audit entry for each. With
/// several instances on one database the job runs once per period across them (a row claimed in
/// `job_runs`; PostgreSQL's advisory lock while it runs), so they do not all dump the database.
public enum ScheduledBackups {
    public struct Settings: Sendable, Equatable {
        public var directory: String
        public var everyHours: Int
        public var keep: Int

        public init(directory: String, everyHours: Int = 24, keep: Int = 14) {
            self.directory = directory
            self.everyHours = everyHours
            self.keep = keep
        }

        /// nil without `OTWARTY_BACKUP_DIR`; the other two alone are a mistake said at start, not
        /// a schedule silently never run.
        static func fromEnvironment(_ env: [String: String]) throws -> Settings? {
            func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
            func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
                guard let text = value(name) else { return fallback }
                guard let number = Int(text), range.contains(number) else {
                    throw AppConfiguration.Invalid(variable: name, value: text,
                                                   expected: "a whole number in \(range.lowerBound)...\(range.upperBound)")
                }
                return number
            }
            guard let directory = value("OTWARTY_BACKUP_DIR") else {
                for name in ["OTWARTY_BACKUP_EVERY_HOURS", "OTWARTY_BACKUP_KEEP"] {
                    if let text = value(name) {
                        throw AppConfiguration.Invalid(variable: name, value: text,
                                                       expected: "OTWARTY_BACKUP_DIR set as well (the folder scheduled backups go to)")
                    }
                }
                return nil
            }
            return Settings(directory: directory, everyHours: try int("OTWARTY_BACKUP_EVERY_HOURS", default: 24, range: 1...720),
                            keep: try int("OTWARTY_BACKUP_KEEP", default: 14, range: 1...10_000))
        }
    }

    /// `otwarty-20261204T031500Z.sqlite` / `.pgdump`: names sort in time order.
    public static func fileName(at time: Date, kind: Database.Kind) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        let stamp = String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        return "otwarty-\(stamp).\(kind == .sqlite ? "sqlite" : "pgdump")"
    }

    static func isScheduledName(_ name: String) -> Bool {
        name.wholeMatch(of: /otwarty-[0-9]{8}T[0-9]{6}Z\.(sqlite|pgdump)/) != nil
    }

    public struct Outcome: Sendable {
        public var made: DatabaseBackup.Made
        public var removed: [String]
    }

    /// One scheduled backup: written (temporary name, then renamed), recorded in the audit trail
    /// (a failure too), then the oldest beyond `keep` removed — only after the new one is whole.
    public static func runOnce(_ database: Database, audit: BackupAudit, settings: Settings, now: Date) async throws -> Outcome {
        let name = fileName(at: now, kind: database.kind)
        let path = URL(fileURLWithPath: settings.directory).appendingPathComponent(name).path
        let made: DatabaseBackup.Made
        do {
            made = try await DatabaseBackup.write(database, to: path)
        } catch {
            try? await audit.failed(file: name, reason: "\(error)", trigger: .schedule)
            throw error
        }
        try await audit.made(file: name, bytes: made.bytes, sha256: made.sha256, trigger: .schedule)
        return Outcome(made: made, removed: try prune(directory: settings.directory, keep: settings.keep, now: now))
    }

    /// Removes the oldest scheduled backups beyond `keep` (files of other names are left alone)
    /// and temporary files a crash left behind more than an hour ago; returns the names removed.
    static func prune(directory: String, keep: Int, now: Date) throws -> [String] {
        let manager = FileManager.default
        let names = try manager.contentsOfDirectory(atPath: directory)
        let backups = names.filter(isScheduledName).sorted()
        var removed: [String] = []
        for name in backups.dropLast(keep) {
            try manager.removeItem(atPath: directory + "/" + name)
            removed.append(name)
        }
        for name in names where name.hasPrefix(".otwarty-") && name.contains(".partial-") {
            let path = directory + "/" + name
            let modified = (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
            if now.timeIntervalSince(modified) > 3600 {
                try? manager.removeItem(atPath: path)
                removed.append(name)
            }
        }
        return removed
    }

    /// Runs `body` if this period's run is not taken yet, across instances: true when it ran here
    /// (`Database.runJob` in the server; tests pass their own).
    public typealias Runner = @Sendable (_ name: String, _ every: Duration,
                                            _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool
}

/// The schedule in the server: looks every few minutes whether a period's backup is due.
struct ScheduledBackupService: Service {
    let settings: ScheduledBackups.Settings
    let database: Database
    let audit: BackupAudit
    let runJob: ScheduledBackups.Runner
    let logger: Logger
    var checkInterval: Duration = .seconds(300)

    func run() async throws {
        let period = Duration.seconds(settings.everyHours * 3600)
        logger.info("scheduled backups every \(settings.everyHours) h into \(settings.directory), keeping \(settings.keep)")
        if database.kind == .postgres {
            // Said at start, not first at the first failed backup hours later.
            do { _ = try PostgresTools.find("pg_dump") } catch { logger.error("scheduled backups cannot run: \(error)") }
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var wait = min(checkInterval, period)
            do {
                _ = try await runJob("backup", period) { [settings, database, audit, logger] in
                    let outcome = try await ScheduledBackups.runOnce(database, audit: audit, settings: settings, now: Date())
                    let mb = String(format: "%.1f", Double(outcome.made.bytes) / 1_048_576)
                    let removed = outcome.removed.isEmpty ? "" : "; removed \(outcome.removed.joined(separator: ", "))"
                    logger.notice("scheduled backup \(outcome.made.path): \(mb) MB in \(String(format: "%.1f", outcome.made.seconds)) s\(removed)")
                }
            } catch {
                logger.error("scheduled backup failed", metadata: ["error": "\(error)"])
                // runJob gives the period back on a failure, so it is tried again — after an
                // hour, not at every check: each failure is an audit entry.
                wait = min(max(checkInterval, .seconds(3600)), period)
            }
            let pause = wait
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: pause)
            }
        }
    }
}

extension ScheduledBackups {
    /// The service `serve` runs when `OTWARTY_BACKUP_DIR` is set (nil otherwise, and for services
    /// without a SQL database).
    static func service(_ configuration: AppConfiguration, services: AppServices, logger: Logger) -> ScheduledBackupService? {
        guard let settings = configuration.backups, let database = services.sqlDatabase else { return nil }
        return ScheduledBackupService(settings: settings, database: database,
                                      audit: BackupAudit(audit: services.repositories.audit, clock: services.clock),
                                      runJob: { name, every, body in try await database.runJob(name, every: every, body) },
                                      logger: logger)
    }
}

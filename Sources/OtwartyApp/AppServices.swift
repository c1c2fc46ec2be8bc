import Foundation
import Logging
import OtwartyCore
import OtwartyStorage
import OtwartyWeb

/// The live parts, opened once: the database (migrated), the repositories and the account
/// service. `serve`, the other commands and the tests all start here.
public struct AppServices: Sendable {
    /// The SQL database under `repositories`, for what works on SQL itself (migrate, bench); it
    /// throws for services made `over` repositories of the caller's (the web tests' in-memory ones).
    public var database: Database {
        get throws {
            guard let sqlDatabase else { throw NoSQLDatabase() }
            return sqlDatabase
        }
    }
    let sqlDatabase: Database?
    /// The office clock (`OTWARTY_TIME_ZONE`) every service and the web layer read.
    public let clock: OfficeClock
    public let repositories: Repositories
    public let accounts: AccountService
    /// The server key of earlier versions (`incident.key`): opens cases sealed before per-handler
    /// keys and the upgrade's escrow, and seals the reporter's 10-minute receipt cookie.
    public let incidentCipher: FieldCipher
    /// The scrypt cost of handlers' and reporters' keys (`OTWARTY_INCIDENT_SCRYPT_LOG_N`).
    public let incidentKeyScrypt: ScryptParameters
    public let incidentRetentionMonths: Int
    /// Seals TOTP secrets (`OTPKey`: `otp.key`, its own key).
    public let otpCipher: FieldCipher
    /// The audit chain's state as the check at start found it (`checkAuditChain`).
    public let auditChain = AuditChainMonitor()

    /// `now` is the system clock; tests pass one they move by hand. Days are the configured zone's.
    public static func open(_ configuration: AppConfiguration, logger: Logger,
                            hasher: (any PasswordHasher)? = nil,
                            now: @escaping @Sendable () -> Date = Date.init) async throws -> AppServices {
        let clock = OfficeClock(timeZone: configuration.timeZone, now: now)
        let database = try await Database.open(configuration.database, logger: logger)
        do {
            let applied = try await Migrations.run(on: database, clock: clock)
            if !applied.isEmpty { logger.info("applied migrations \(applied) to \(configuration.database)") }
            return try assemble(configuration, database: database, repositories: Repositories.sql(database, clock: clock),
                                clock: clock, logger: logger, hasher: hasher)
        } catch {
            try? await database.shutdown()
            throw error
        }
    }

    /// Services over repositories the caller made, with no database: the web tests run on
    /// in-memory repositories this way (OtwartyTestSupport). Everything else is as `open` makes it.
    public static func over(_ repositories: (OfficeClock) -> Repositories, configuration: AppConfiguration, logger: Logger,
                            hasher: (any PasswordHasher)? = nil,
                            now: @escaping @Sendable () -> Date = Date.init) throws -> AppServices {
        let clock = OfficeClock(timeZone: configuration.timeZone, now: now)
        return try assemble(configuration, database: nil, repositories: repositories(clock), clock: clock, logger: logger,
                            hasher: hasher)
    }

    private static func assemble(_ configuration: AppConfiguration, database: Database?, repositories: Repositories,
                                 clock: OfficeClock, logger: Logger, hasher: (any PasswordHasher)?) throws -> AppServices {
        let cipher = try IncidentKey.load(base64: configuration.incidentKeyBase64, file: configuration.incidentKeyFile,
                                          database: configuration.database, logger: logger)
        let accounts = AccountService(
            repositories: repositories, hasher: hasher ?? BcryptPasswordHasher(cost: configuration.bcryptCost),
            passwordPolicy: try PasswordPolicy.bundled(), sessionPolicy: configuration.sessionPolicy,
            throttlePolicy: configuration.throttlePolicy, clock: clock,
            keyCustody: incidentKeys(repositories, clock: clock, cipher: cipher, parameters: configuration.incidentKeyScrypt))
        let otpCipher = try OTPKey.load(base64: configuration.otpKeyBase64, file: configuration.otpKeyFile,
                                        database: configuration.database, logger: logger)
        return AppServices(sqlDatabase: database, clock: clock, repositories: repositories, accounts: accounts,
                           incidentCipher: cipher, incidentKeyScrypt: configuration.incidentKeyScrypt,
                           incidentRetentionMonths: configuration.incidentRetentionMonths, otpCipher: otpCipher)
    }

    static func incidentKeys(_ repositories: Repositories, clock: OfficeClock, cipher: FieldCipher,
                             parameters: ScryptParameters) -> IncidentKeyService {
        IncidentKeyService(keys: repositories.incidentKeys, incidents: repositories.incidents, users: repositories.users,
                           audit: repositories.audit, clock: clock, serverCipher: cipher, parameters: parameters,
                           slowWork: ThreadPoolSlowWork())
    }

    struct NoSQLDatabase: Error, CustomStringConvertible {
        var description: String { "these services run on repositories without a SQL database" }
    }

    /// Loads Kraków's programme into a database that has none (`ProgrammeService`); returns whether it did.
    /// A database that took it from an older release's embedded file (and whose operator never loaded
    /// their own) gets this release's version of the file: its rules and methodology texts.
    @discardableResult
    public func loadDefaultProgrammeIfEmpty() async throws -> Bool {
        if try await programmes.loadDefaultIfNoneLoaded() { return true }
        try await programmes.refreshEmbeddedIfUnchangedByOperator()
        return false
    }

    public func shutdown() async throws { try await sqlDatabase?.shutdown() }

    /// How many of the newest audit entries the server checks at start (the whole chain is
    /// `otwarty audit verify`).
    public static let auditTailChecked = 10_000

    /// Checks the tail of the audit chain. A break is logged at critical level, shown to
    /// administrators on every page and reported by `/healthz`; the server still starts.
    @discardableResult
    public func checkAuditChain(logger: Logger, tail: Int? = AppServices.auditTailChecked) async -> AuditChainReport? {
        do {
            let report = try await repositories.audit.verify(tail: tail)
            auditChain.set(report)
            if let problem = report.problem {
                logger.critical("the audit trail's hash chain is broken: \(problem). Run `otwarty audit verify`.")
            } else {
                logger.info("audit chain: the last \(report.count) entries check out; head \(report.headHash)")
            }
            return report
        } catch {
            logger.critical("the audit trail could not be checked: \(error)")
            return nil
        }
    }

    public var activities: ActivityService {
        ActivityService(activities: repositories.activities, programmes: repositories.programmes, audit: repositories.audit,
                        clock: clock)
    }

    /// Two-factor sign-in with HummingbirdOTP's TOTP.
    public var twoFactor: TwoFactorService {
        TwoFactorService(accounts: accounts, cipher: otpCipher, algorithm: HummingbirdTOTP())
    }

    public var incidents: IncidentService {
        IncidentService(incidents: repositories.incidents, audit: repositories.audit, keys: incidentKeys, clock: clock)
    }

    public var incidentKeys: IncidentKeyService {
        Self.incidentKeys(repositories, clock: clock, cipher: incidentCipher, parameters: incidentKeyScrypt)
    }

    /// Loading programmes (`programme load`, the default at first start).
    public var programmes: ProgrammeService {
        ProgrammeService(programmes: repositories.programmes, audit: repositories.audit, clock: clock)
    }

    /// Reference statistics (`reference set`), by the same rules as the page.
    public var referenceStatistics: ReferenceStatisticsService {
        ReferenceStatisticsService(references: repositories.references, audit: repositories.audit, clock: clock)
    }

    /// `otwarty import activities` reads the same labels beside the codes as the page does.
    public var importer: ActivityImporter {
        ActivityImporter(activities: repositories.activities, organisations: repositories.organisations,
                         audit: repositories.audit, clock: clock, labels: (try? Localiser.bundled().importLabels()) ?? .codesOnly)
    }

    /// Stores the synthetic history of `otwarty demo` and the benchmarks.
    public var demoLoader: DemoDataLoader { DemoDataLoader(repositories: repositories, clock: clock) }

    public var indicators: IndicatorEngine {
        IndicatorEngine(aggregator: repositories.aggregator, references: repositories.references,
                        sources: repositories.measureSources)
    }

    /// The named programme, or the instance's first.
    public func programme(slug: String?) async throws -> Programme {
        let resolved: String?
        if let slug { resolved = slug } else { resolved = try await repositories.programmes.summaries().first?.slug }
        guard let resolved, let programme = try await repositories.programmes.programme(slug: resolved) else {
            throw DomainError.notFound("Programme \(slug ?? "(none loaded)")")
        }
        return programme
    }
}

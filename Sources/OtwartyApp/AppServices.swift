import Foundation
import Logging
import OtwartyCore
import OtwartyStorage
import OtwartyWeb

/// The live parts, opened once: the database (migrated), the repositories and the account
/// service. `serve`, the other commands and the tests all start here.
public struct AppServices: Sendable {
    public let database: Database
    public let repositories: Repositories
    public let accounts: AccountService
    public let incidentCipher: FieldCipher
    public let incidentRetentionMonths: Int
    /// Seals TOTP secrets (`OTPKey`: `otp.key`, its own key).
    public let otpCipher: FieldCipher
    /// The audit chain's state as the check at start found it (`checkAuditChain`).
    public let auditChain = AuditChainMonitor()

    public static func open(_ configuration: AppConfiguration, logger: Logger,
                            hasher: (any PasswordHasher)? = nil,
                            now: @escaping @Sendable () -> Date = Date.init) async throws -> AppServices {
        let database = try await Database.open(configuration.database, logger: logger)
        do {
            let applied = try await Migrations.run(on: database)
            if !applied.isEmpty { logger.info("applied migrations \(applied) to \(configuration.database)") }
            let repositories = Repositories.sql(database, now: now)
            let accounts = AccountService(
                repositories: repositories, hasher: hasher ?? BcryptPasswordHasher(cost: configuration.bcryptCost),
                passwordPolicy: try PasswordPolicy.bundled(), sessionPolicy: configuration.sessionPolicy,
                throttlePolicy: configuration.throttlePolicy, now: now)
            let cipher = try IncidentKey.load(base64: configuration.incidentKeyBase64, file: configuration.incidentKeyFile,
                                              database: configuration.database, logger: logger)
            let otpCipher = try OTPKey.load(base64: configuration.otpKeyBase64, file: configuration.otpKeyFile,
                                            database: configuration.database, logger: logger)
            return AppServices(database: database, repositories: repositories, accounts: accounts, incidentCipher: cipher,
                               incidentRetentionMonths: configuration.incidentRetentionMonths, otpCipher: otpCipher)
        } catch {
            try? await database.shutdown()
            throw error
        }
    }

    /// Loads Kraków's programme into a database that has none; returns whether it did.
    @discardableResult
    public func loadDefaultProgrammeIfEmpty() async throws -> Bool {
        guard try await repositories.programmes.summaries().isEmpty else { return false }
        let programme = try EmbeddedProgrammes.krakow()
        _ = try await repositories.programmes.save(programme)
        try await repositories.audit.record(AuditEntry(at: accounts.now(), actorUserID: nil, action: "programme.loaded",
                                                       subject: "programme:\(programme.slug)", detail: "embedded default"))
        return true
    }

    public func shutdown() async throws { try await database.shutdown() }

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
                        now: accounts.now)
    }

    /// Two-factor sign-in with HummingbirdOTP's TOTP.
    public var twoFactor: TwoFactorService {
        TwoFactorService(accounts: accounts, cipher: otpCipher, algorithm: HummingbirdTOTP())
    }

    public var incidents: IncidentService {
        IncidentService(incidents: repositories.incidents, audit: repositories.audit, cipher: incidentCipher, now: accounts.now)
    }

    public var importer: ActivityImporter {
        ActivityImporter(activities: repositories.activities, organisations: repositories.organisations,
                         audit: repositories.audit, now: accounts.now)
    }

    public var indicators: IndicatorEngine {
        IndicatorEngine(aggregator: repositories.aggregator, references: repositories.references)
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

import Foundation
import Hummingbird
import Logging
import OtwartyCore
import OtwartyStorage
import OtwartyWeb
import ServiceLifecycle

/// The application `otwarty serve` runs and the tests drive: one builder for both.
public func buildApplication(_ configuration: AppConfiguration, services: AppServices,
                             logger: Logger) async throws -> some ApplicationProtocol {
    // Before serving: a broken audit chain is found now, not at the next `otwarty audit verify`.
    await services.checkAuditChain(logger: logger)
    let (router, _) = try await buildRouter(configuration, services: services)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Otwarty"),
        logger: logger)
    app.addServices(HousekeepingService(accounts: services.accounts, incidents: services.incidents,
                                        retentionMonths: services.incidentRetentionMonths, logger: logger,
                                        jobs: JobRunner(database: services.sqlDatabase),
                                        incidentKeys: { try await IncidentKeyNotices.housekeeping(services) },
                                        anonymousCounts: services.repositories.anonymousThrottle))
    if let backups = ScheduledBackups.service(configuration, services: services, logger: logger) { app.addServices(backups) }
    return app
}

/// The router and its route table (the table is what access tests and the docs read).
public func buildRouter(_ configuration: AppConfiguration, services: AppServices) async throws
    -> (Router<AppRequestContext>, [RouteEntry]) {
    let localiser = try Localiser.bundled()
    var renderer = try await PageRenderer.bundled(localiser: localiser)
    renderer.auditChain = services.auditChain
    var dependencies = WebDependencies(
        repositories: services.repositories, accounts: services.accounts, clock: services.clock, renderer: renderer,
        openAPIJSON: try OpenAPIDocument.bundledJSON(),
        publicBaseURL: configuration.publicBaseURL,
        pdfRenderer: configuration.pdfSearchPath.map { ExternalPDFRenderer.find(choice: configuration.pdfRenderer, path: $0) }
            ?? ExternalPDFRenderer.find(choice: configuration.pdfRenderer),
        incidents: services.incidents, auditChain: services.auditChain, twoFactor: services.twoFactor)
    dependencies.maxUploadBytes = configuration.maxUploadMB * 1_048_576
    // Counts in the database (every instance's) under a key derived from the incident key every instance shares.
    dependencies.incidentThrottle = AnonymousThrottle(store: services.repositories.anonymousThrottle, deriving: services.incidentCipher,
                                                      factor: configuration.anonymousLimitFactor)
    dependencies.trustedProxies = configuration.trustedProxies
    dependencies.pdfQueue = PDFQueue(concurrency: configuration.pdfConcurrency, queueLength: configuration.pdfQueueLength)
    if let token = configuration.metricsToken {
        let database = services.sqlDatabase
        dependencies.metrics = MetricsEndpoint(token: token) { database.map(DatabaseMetrics.samples) ?? [] }
    }
    return WebRouter.build(dependencies)
}

/// Removes expired sessions, old throttle entries and the anonymous forms' ended counts every few minutes, releases held audit
/// entries, drops the incident-key escrow and applies the incident retention rule daily. Every
/// instance runs this service; each job runs once per period across all of them (`JobRunner`).
struct HousekeepingService: Service {
    let accounts: AccountService
    let incidents: IncidentService
    let retentionMonths: Int
    let logger: Logger
    var jobs = JobRunner(database: nil)
    /// Drops the upgrade's escrow of incident keys once nobody waits for it; what to log.
    var incidentKeys: @Sendable () async throws -> [IncidentKeyNotices.Line] = { [] }
    /// The anonymous forms' counts (`anonymous_throttle`, migration 25): rows of ended windows go
    /// here as well as at the first attempt of a new window, so an instance nobody posts to keeps none.
    var anonymousCounts: (any AnonymousThrottleStore)?
    var interval: Duration = .seconds(300)
    /// The retention rule runs once a day (each run writes an audit entry), the first time at start
    /// unless an instance ran it less than a day ago.
    var retentionInterval: Duration = .seconds(86_400)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await tick()
            // Wakes early when the service group starts shutting down.
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One round of every job that is due (tests call it directly).
    func tick() async {
        let logger = logger
        await job("session-purge", every: interval, failure: "housekeeping failed") { [accounts] in
            try await accounts.purgeExpired()
        }
        await job("incident-key-escrow", every: interval, failure: "dropping the incident key escrow failed") { [incidentKeys] in
            for line in try await incidentKeys() { logger.log(level: line.level, "\(line.text)") }
        }
        // Anonymous reporters' audit entries join the chain once their day is over.
        await job("held-audit-release", every: interval, failure: "releasing held audit entries failed") { [incidents] in
            try await incidents.releaseHeldAuditEntries()
        }
        if let anonymousCounts {
            await job("anonymous-throttle-purge", every: interval, failure: "purging ended anonymous counts failed") { [accounts] in
                try await anonymousCounts.purge(before: accounts.clock.now())
            }
        }
        await job("incident-retention", every: retentionInterval, failure: "incident retention failed") { [incidents, retentionMonths] in
            let purged = try await incidents.purge(retentionMonths: retentionMonths)
            if purged > 0 { logger.notice("incident retention: removed the details of \(purged) closed case(s)") }
        }
    }

    private func job(_ name: String, every period: Duration, failure: Logger.Message,
                     _ body: @escaping @Sendable () async throws -> Void) async {
        do { _ = try await jobs.run(name, every: period, body) } catch {
            logger.warning(failure, metadata: ["error": "\(error)"])
        }
    }
}

/// Runs a periodic job once per period across the instances sharing the database
/// (`Database.runJob`: PostgreSQL advisory lock + `job_runs` row). Without a SQL database (the web
/// tests' in-memory repositories) there is one process: the periods are kept here.
struct JobRunner: Sendable {
    let database: Database?
    private let local = LocalJobTimes()

    init(database: Database?) { self.database = database }

    /// Whether `body` ran here.
    @discardableResult
    func run(_ name: String, every period: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        if let database { return try await database.runJob(name, every: period, body) }
        guard local.claim(name, every: period) else { return false }
        do { try await body() } catch {
            local.release(name)
            throw error
        }
        return true
    }
}

private final class LocalJobTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var started: [String: ContinuousClock.Instant] = [:]

    func claim(_ name: String, every period: Duration) -> Bool {
        lock.withLock {
            let now = ContinuousClock.now
            if let last = started[name], now - last < period { return false }
            started[name] = now
            return true
        }
    }

    func release(_ name: String) { _ = lock.withLock { started.removeValue(forKey: name) } }
}

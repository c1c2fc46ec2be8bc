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
                                        incidentKeys: { try await IncidentKeyNotices.housekeeping(services) }))
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
    dependencies.pdfQueue = PDFQueue(concurrency: configuration.pdfConcurrency, queueLength: configuration.pdfQueueLength)
    return WebRouter.build(dependencies)
}

/// Removes expired sessions and old throttle entries every few minutes.
struct HousekeepingService: Service {
    let accounts: AccountService
    let incidents: IncidentService
    let retentionMonths: Int
    let logger: Logger
    /// Drops the upgrade's escrow of incident keys once nobody waits for it; what to log.
    var incidentKeys: @Sendable () async throws -> [IncidentKeyNotices.Line] = { [] }
    var interval: Duration = .seconds(300)
    /// The retention rule runs at start and then once a day (each run writes an audit entry).
    var retentionInterval: Duration = .seconds(86_400)

    func run() async throws {
        var lastRetention: ContinuousClock.Instant?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await accounts.purgeExpired() } catch {
                logger.warning("housekeeping failed", metadata: ["error": "\(error)"])
            }
            do {
                for line in try await incidentKeys() { logger.log(level: line.level, "\(line.text)") }
            } catch {
                logger.warning("dropping the incident key escrow failed", metadata: ["error": "\(error)"])
            }
            // Anonymous reporters' audit entries join the chain once their day is over.
            do { try await incidents.releaseHeldAuditEntries() } catch {
                logger.warning("releasing held audit entries failed", metadata: ["error": "\(error)"])
            }
            if lastRetention.map({ ContinuousClock.now - $0 >= retentionInterval }) ?? true {
                do {
                    let purged = try await incidents.purge(retentionMonths: retentionMonths)
                    if purged > 0 { logger.notice("incident retention: removed the details of \(purged) closed case(s)") }
                    lastRetention = .now
                } catch {
                    logger.warning("incident retention failed", metadata: ["error": "\(error)"])
                }
            }
            // Wakes early when the service group starts shutting down.
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: interval)
            }
        }
    }
}

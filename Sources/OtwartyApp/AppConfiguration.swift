import Foundation
import Logging
import OtwartyCore
import OtwartyStorage
import OtwartyWeb

/// Everything configurable, read from the environment (documented in README.md).
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The address people use to reach the app; one-time links are built on it.
    public var publicBaseURL: String
    public var database: DatabaseLocation
    public var bcryptCost: UInt8
    public var sessionPolicy: SessionPolicy
    public var throttlePolicy: LoginThrottlePolicy
    public var logLevel: Logger.Level
    /// `OTWARTY_PDF_RENDERER`: auto, chromium, libreoffice or none.
    public var pdfRenderer: String = "auto"
    /// Where the PDF program is looked for; nil: the `PATH` Otwarty was started with.
    public var pdfSearchPath: String?
    /// `OTWARTY_PDF_CONCURRENCY`: PDFs made at once (each user one at a time); 4× as many may wait.
    public var pdfConcurrency: Int = 2
    /// How many PDFs may wait for a place; nil: four times `pdfConcurrency`.
    public var pdfQueueLength: Int?
    /// `OTWARTY_MAX_UPLOAD_MB`: the largest file upload (CSV imports, published documents), in MB.
    /// Ordinary forms and API bodies are held to 64 kB whatever this says.
    public var maxUploadMB: Int = 32
    /// `OTWARTY_INCIDENT_KEY` (base64) and `OTWARTY_INCIDENT_KEY_FILE`: see `IncidentKey`.
    public var incidentKeyBase64: String?
    public var incidentKeyFile: String?
    /// `OTWARTY_INCIDENT_RETENTION_MONTHS`: free text and contact of closed cases are removed this
    /// many months after closing.
    public var incidentRetentionMonths: Int = 12
    /// `OTWARTY_INCIDENT_SCRYPT_LOG_N` (10–20, default 16: 64 MiB, about 0.2 s): the cost of the
    /// scrypt that wraps handlers' keys under their passwords and derives reporters' keys
    /// (docs/incidents.md, "Parameters"). Wraps keep their own parameters, so changing it later
    /// re-wraps each key at its owner's next sign-in.
    public var incidentKeyScrypt: ScryptParameters = .standard
    /// `OTWARTY_OTP_KEY` (base64) and `OTWARTY_OTP_KEY_FILE`: the key sealing TOTP secrets (`OTPKey`).
    public var otpKeyBase64: String?
    public var otpKeyFile: String?
    /// `OTWARTY_TIME_ZONE`: the zone the programme office keeps its days in (today, the current
    /// year, midnight for anonymous reports, the times pages show).
    public var timeZone: TimeZone = OfficeClock.defaultTimeZone
    /// `OTWARTY_TRUSTED_PROXIES`: proxies whose `X-Forwarded-For` names the client (`ClientAddress`).
    public var trustedProxies = TrustedProxies.none
    /// `OTWARTY_ANONYMOUS_LIMIT_FACTOR` (1–1000): multiplies every limit of the anonymous public forms.
    public var anonymousLimitFactor = 1
    /// `OTWARTY_METRICS_TOKEN`: `/metrics` answers only a request with `Authorization: Bearer` and
    /// this token; unset, `/metrics` is 404 for everyone and no request metrics are kept.
    public var metricsToken: String?
    /// `LOG_FORMAT`: `text` (default, one readable line per entry) or `json` (one object per line).
    public var logFormat: LogFormat = .text
    /// `OTWARTY_BACKUP_DIR`, `_EVERY_HOURS`, `_KEEP`: scheduled backups (`ScheduledBackups`); none without a folder.
    public var backups: ScheduledBackups.Settings?

    public init(host: String = "127.0.0.1", port: Int = 8080, publicBaseURL: String? = nil,
                database: DatabaseLocation = .sqlite(path: "./data/otwarty.sqlite"), bcryptCost: UInt8 = 12,
                sessionPolicy: SessionPolicy = .init(), throttlePolicy: LoginThrottlePolicy = .init(),
                logLevel: Logger.Level = .info) {
        self.host = host
        self.port = port
        self.publicBaseURL = publicBaseURL ?? "http://\(host):\(port)"
        self.database = database
        self.bcryptCost = bcryptCost
        self.sessionPolicy = sessionPolicy
        self.throttlePolicy = throttlePolicy
        self.logLevel = logLevel
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var variable: String
        public var value: String
        public var expected: String
        public var description: String { "\(variable)=\"\(value)\" is not valid: expected \(expected)" }
    }

    /// Reads `OTWARTY_*`, `DATABASE_URL` and `LOG_LEVEL`; host and port may then be overridden by flags.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment,
                                       host: String? = nil, port: Int? = nil) throws -> AppConfiguration {
        func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = env[name], !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw Invalid(variable: name, value: text, expected: "a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }
        let resolvedHost = host ?? env["OTWARTY_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let resolvedPort = try port ?? int("OTWARTY_PORT", default: 8080, range: 1...65535)
        var publicURL = env["OTWARTY_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = publicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw Invalid(variable: "OTWARTY_PUBLIC_URL", value: url, expected: "an http:// or https:// address")
        }
        if publicURL == nil {
            let shownHost = resolvedHost == "0.0.0.0" ? "127.0.0.1" : resolvedHost
            publicURL = "http://\(shownHost):\(resolvedPort)"
        }
        let database: DatabaseLocation
        do { database = try DatabaseLocation.from(environment: env) } catch {
            throw Invalid(variable: "DATABASE_URL", value: "(hidden)", expected: "postgres://… or sqlite://PATH")
        }
        let levelText = env["LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw Invalid(variable: "LOG_LEVEL", value: levelText, expected: "trace, debug, info, notice, warning, error or critical")
        }
        let pdfRenderer = (env["OTWARTY_PDF_RENDERER"] ?? "auto").lowercased()
        guard ["auto", "chromium", "libreoffice", "none"].contains(pdfRenderer) else {
            throw Invalid(variable: "OTWARTY_PDF_RENDERER", value: pdfRenderer, expected: "auto, chromium, libreoffice or none")
        }
        var configuration = AppConfiguration(
            host: resolvedHost, port: resolvedPort, publicBaseURL: publicURL, database: database,
            bcryptCost: UInt8(try int("OTWARTY_BCRYPT_COST", default: 12, range: 10...16)),
            sessionPolicy: SessionPolicy(
                idleTimeout: TimeInterval(try int("OTWARTY_SESSION_IDLE_MINUTES", default: 30, range: 5...1440) * 60),
                absoluteTimeout: TimeInterval(try int("OTWARTY_SESSION_MAX_HOURS", default: 12, range: 1...168) * 3600)),
            logLevel: level)
        configuration.pdfRenderer = pdfRenderer
        configuration.pdfConcurrency = try int("OTWARTY_PDF_CONCURRENCY", default: 2, range: 1...64)
        configuration.maxUploadMB = try int("OTWARTY_MAX_UPLOAD_MB", default: 32, range: 1...1024)
        configuration.incidentKeyBase64 = env["OTWARTY_INCIDENT_KEY"]
        configuration.incidentKeyFile = env["OTWARTY_INCIDENT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.otpKeyBase64 = env["OTWARTY_OTP_KEY"]
        configuration.otpKeyFile = env["OTWARTY_OTP_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.incidentRetentionMonths = try int("OTWARTY_INCIDENT_RETENTION_MONTHS", default: 12, range: 1...120)
        configuration.incidentKeyScrypt = ScryptParameters(logN: try int("OTWARTY_INCIDENT_SCRYPT_LOG_N", default: 16, range: 10...20))
        let zoneName = env["OTWARTY_TIME_ZONE"].flatMap { $0.isEmpty ? nil : $0 } ?? OfficeClock.defaultTimeZoneIdentifier
        guard let zone = OfficeClock.timeZone(named: zoneName) else {
            throw Invalid(variable: "OTWARTY_TIME_ZONE", value: zoneName,
                          expected: "a time zone name of the tz database such as Europe/Warsaw (is the tzdata package installed?)")
        }
        configuration.timeZone = zone
        do { configuration.trustedProxies = try TrustedProxies(parsing: env["OTWARTY_TRUSTED_PROXIES"] ?? "") } catch {
            throw Invalid(variable: "OTWARTY_TRUSTED_PROXIES", value: env["OTWARTY_TRUSTED_PROXIES"] ?? "",
                          expected: "a comma-separated list of IP addresses or CIDR ranges (\(error))")
        }
        configuration.anonymousLimitFactor = try int("OTWARTY_ANONYMOUS_LIMIT_FACTOR", default: 1, range: AnonymousThrottle.factorRange)
        if let token = env["OTWARTY_METRICS_TOKEN"], !token.isEmpty {
            // Sent in a header by a scraper: printable, no spaces, and long enough not to be guessed.
            guard (16...256).contains(token.utf8.count),
                  token.utf8.allSatisfy({ $0 < 128 && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber || "-._~+/=".utf8.contains($0)) })
            else {
                throw Invalid(variable: "OTWARTY_METRICS_TOKEN", value: "(hidden)",
                              expected: "16 to 256 characters of letters, digits and - . _ ~ + / = (e.g. `openssl rand -hex 32`)")
            }
            configuration.metricsToken = token
        }
        let formatText = env["LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 } ?? "text"
        guard let format = LogFormat(rawValue: formatText.lowercased()) else {
            throw Invalid(variable: "LOG_FORMAT", value: formatText, expected: "text or json")
        }
        configuration.logFormat = format
        configuration.backups = try ScheduledBackups.Settings.fromEnvironment(env)
        return configuration
    }
}

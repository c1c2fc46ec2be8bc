import Foundation
import Logging

/// `LOG_FORMAT`: how log lines are written to standard error.
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's readable line: time, level, label, metadata (with `hb.request.id`), message.
    case text
    /// One JSON object per line (`JSONLogHandler`), for a log collector.
    case json
}

public enum AppLogging {
    /// The process's logger in the configured format. Made with its own handler factory rather than
    /// `LoggingSystem.bootstrap`, which may run once per process: the tests make many loggers, and
    /// every logger the server hands on (each request's, the database pool's) is derived from this one.
    public static func logger(label: String, format: LogFormat, level: Logger.Level) -> Logger {
        var logger = switch format {
        case .text: Logger(label: label)
        case .json: Logger(label: label) { JSONLogHandler(label: $0) }
        }
        logger.logLevel = level
        return logger
    }
}

/// One JSON object per line:
/// `{"time":"2026-12-04T09:15:02.412Z","level":"warning","label":"otwarty","message":"sign-in throttled",
/// "request_id":"…","source":"OtwartyWeb","metadata":{…}}`.
/// `request_id` is the request's id (`X-Request-Id`), lifted out of the metadata; lines written
/// outside a request (start, housekeeping) have none. Times are UTC with milliseconds.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let label: String
    /// Where each finished line goes (without its newline); standard error by default.
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        // One write per line: lines from concurrent requests never interleave mid-line.
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let own = event.metadata { all.merge(own) { _, new in new } }
        if let error = event.error { all["error"] = .string(String(reflecting: error)) }
        let requestID = all.removeValue(forKey: "hb.request.id")
        var line = "{\"time\":\(Self.string(Self.timestamp())),\"level\":\(Self.string(event.level.rawValue))"
        line += ",\"label\":\(Self.string(label)),\"message\":\(Self.string(event.message.description))"
        if let requestID { line += ",\"request_id\":\(Self.string(requestID.description))" }
        line += ",\"source\":\(Self.string(event.source))"
        if !all.isEmpty { line += ",\"metadata\":\(Self.object(all))" }
        line += "}"
        write(line)
    }

    static func value(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case let .string(text): return string(text)
        case let .stringConvertible(convertible): return string(convertible.description)
        case let .array(values): return "[" + values.map { Self.value($0) }.joined(separator: ",") + "]"
        case let .dictionary(dictionary): return object(dictionary)
        }
    }

    /// Keys sorted, so the same entry always reads the same.
    static func object(_ metadata: Logger.Metadata) -> String {
        "{" + metadata.sorted { $0.key < $1.key }.map { string($0.key) + ":" + value($0.value) }.joined(separator: ",") + "}"
    }

    /// A JSON string: quotes, backslashes and every control character escaped (a message cannot
    /// break its line, so one line is always one entry).
    static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(now.tv_nsec / 1_000_000))
    }
}

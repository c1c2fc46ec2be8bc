import OtwartyStorage
import OtwartyWeb

/// The database's part of `/metrics`, read from `Database.usage` at scrape time (the web layer
/// never sees Storage; the bootstrap hands these samples over as a closure).
enum DatabaseMetrics {
    static func samples(_ database: Database) -> [MetricSample] {
        let usage = database.usage.current
        var samples = [
            MetricSample("otwarty_db_connections_in_use", .gauge, Double(usage.inUse),
                         help: "Pooled database connections lent out now."),
            MetricSample("otwarty_db_connections_waiting", .gauge, Double(usage.waiting),
                         help: "Requests waiting for a pooled database connection now."),
            MetricSample("otwarty_db_connections_lent_total", .counter, Double(usage.lent),
                         help: "Pooled database connections lent since start."),
            MetricSample("otwarty_db_connection_wait_seconds_total", .counter, usage.waitSeconds,
                         help: "Seconds spent waiting for a pooled database connection, summed."),
            MetricSample("otwarty_db_connection_failures_total", .counter, Double(usage.failures),
                         help: "Requests for a database connection that failed (pool wait ran out, server refused)."),
        ]
        if database.kind == .sqlite {
            samples += [
                MetricSample("otwarty_sqlite_writers_waiting", .gauge, Double(usage.writersWaiting),
                             help: "SQLite transactions waiting for this process's write turn now."),
                MetricSample("otwarty_sqlite_writers_active", .gauge, Double(usage.writersActive),
                             help: "1 while an SQLite transaction holds the write turn."),
                MetricSample("otwarty_sqlite_writer_turns_total", .counter, Double(usage.writerTurns),
                             help: "SQLite write turns taken since start."),
                MetricSample("otwarty_sqlite_writer_wait_seconds_total", .counter, usage.writerWaitSeconds,
                             help: "Seconds SQLite transactions spent waiting for the write turn, summed."),
            ]
        }
        return samples
    }
}

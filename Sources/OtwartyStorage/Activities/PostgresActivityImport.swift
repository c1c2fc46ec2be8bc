import Foundation
import Logging
import NIOCore
import OtwartyCore
import PostgresNIO
import SQLKit

/// A writer of a streamed import (`SQLActivityRepository.importStreaming`), inside its transaction.
protocol StreamingActivityImport: ActivityImportSink {
    var stored: Int { get }
    /// The organisations it created, in the order it did.
    var created: [String] { get }
    /// Waits until every batch is stored; throws what storing threw.
    func finish() async throws
    /// Stops: what is queued is dropped (the transaction is rolled back next).
    func abandon() async
}

/// A streamed import's writer on PostgreSQL: `COPY activities (…) FROM STDIN` in text format on
/// the connection that holds the import's transaction, the rows written as COPY text straight from
/// the records (`ActivityColumn.insertedValues`). The server parses and stores them in its own
/// process while the importer reads and checks the next rows; `PostgresCopyFromWriter.write` waits
/// when the connection cannot take more, so memory stays bounded.
///
/// An organisation the import creates needs its id before its rows: the COPY in progress is then
/// ended, the organisation inserted, and a new COPY begun, all in the same transaction.
final class PostgresActivityImport: StreamingActivityImport, @unchecked Sendable {
    private let db: any SQLDatabase
    private let connection: PostgresConnection
    private let programmeSlug: String
    private let status: ActivityStatus
    private let user: UserID?
    private let at: Double
    private let newOrganisationKind: OrganisationKind
    private var copy: CopySession?
    private var organisationIDs: [String: OrganisationID] = [:]
    private(set) var stored = 0
    private(set) var created: [String] = []

    /// The connection behind a SQLKit database lent by `Database` (PostgresKit keeps its wrapper
    /// private), or nil; the import then goes through SQLKit (`SQLKitActivityImport`).
    static func connection(_ db: any SQLDatabase) -> PostgresConnection? {
        Reflection.find(PostgresConnection.self, in: db)
    }

    init(db: any SQLDatabase, connection: PostgresConnection, programmeSlug: String, status: ActivityStatus, user: UserID?,
         at: Double, newOrganisationKind: OrganisationKind) {
        self.db = db
        self.connection = connection
        self.programmeSlug = programmeSlug
        self.status = status
        self.user = user
        self.at = at
        self.newOrganisationKind = newOrganisationKind
    }

    func write(_ batch: [PendingActivity]) async throws {
        var newNames: [String] = []
        for pending in batch {
            if let name = pending.newOrganisationName, organisationIDs[name] == nil, !newNames.contains(name) {
                newNames.append(name)
            }
        }
        if !newNames.isEmpty {
            // No other statement may run on the connection during a COPY.
            if let copy {
                self.copy = nil
                try await copy.end()
            }
            for name in newNames {
                let (id, isNew) = try await SQLKitActivityImport.organisation(named: name, kind: newOrganisationKind, at: at, on: db)
                organisationIDs[name] = id
                if isNew { created.append(name) }
            }
        }
        if copy == nil {
            copy = try await CopySession.start(on: connection, columns: ActivityColumn.inserted.map(\.rawValue), logger: db.logger)
        }
        var buffer = ByteBufferAllocator().buffer(capacity: batch.count * 320)
        for pending in batch {
            var input = pending.input
            if let name = pending.newOrganisationName, let id = organisationIDs[name] { input.organisationID = id }
            var first = true
            ActivityColumn.insertedValues(programmeSlug: programmeSlug, input: input, status: status, user: user, at: at) { value in
                if !first { buffer.writeInteger(UInt8(ascii: "\t")) }
                first = false
                Self.writeCopyText(value, to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        try await copy!.writer.write(buffer)
        stored += batch.count
    }

    func finish() async throws {
        if let copy {
            self.copy = nil
            try await copy.end()
        }
    }

    func abandon() async {
        if let copy {
            self.copy = nil
            await copy.fail()
        }
    }

    /// One value in COPY's text format: `\N` for NULL; in text a backslash, tab, line feed or
    /// carriage return escaped with a backslash (they would end the value or the row).
    static func writeCopyText(_ value: StoredValue, to buffer: inout ByteBuffer) {
        switch value {
        case .null:
            buffer.writeStaticString("\\N")
        case let .integer(number):
            buffer.writeString(String(number))
        case let .real(number):
            buffer.writeString(number.description)
        case let .text(text):
            var text = text
            text.withUTF8 { bytes in
                var start = 0
                for (i, byte) in bytes.enumerated() {
                    let escaped: UInt8
                    switch byte {
                    case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                    case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
                    case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                    case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
                    default: continue
                    }
                    buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<i]))
                    buffer.writeInteger(UInt8(ascii: "\\"))
                    buffer.writeInteger(escaped)
                    start = i + 1
                }
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...]))
            }
        }
    }
}

/// One `COPY … FROM STDIN` in progress. PostgresNIO hands the writer to a closure and ends the
/// COPY when the closure returns; here the closure runs in a task of its own and waits, so the
/// writer can be used batch by batch by the importer, and the COPY ended (or failed) on request.
final class CopySession: @unchecked Sendable {
    let writer: PostgresCopyFromWriter
    private let lock = NSLock()
    private var release: CheckedContinuation<Void, any Error>?
    private let task: Task<Void, any Error>

    private init(writer: PostgresCopyFromWriter, release: CheckedContinuation<Void, any Error>, task: Task<Void, any Error>) {
        self.writer = writer
        self.release = release
        self.task = task
    }

    static func start(on connection: PostgresConnection, columns: [String], logger: Logger) async throws -> CopySession {
        let handoff = Handoff()
        let task = Task {
            do {
                try await connection.copyFrom(table: "activities", columns: columns, format: .text(.init()), logger: logger) { writer in
                    try await withCheckedThrowingContinuation { (release: CheckedContinuation<Void, any Error>) in
                        handoff.give(.success((writer, release)))
                    }
                }
            } catch {
                handoff.give(.failure(error))
                throw error
            }
        }
        let (writer, release) = try await handoff.take()
        return CopySession(writer: writer, release: release, task: task)
    }

    /// Ends the COPY: every row written is in the table (in the transaction); throws what the server reported.
    func end() async throws {
        lock.withLock { () -> CheckedContinuation<Void, any Error>? in defer { release = nil }; return release }?.resume()
        try await task.value
    }

    /// Fails the COPY (PostgresNIO sends CopyFail); the transaction is rolled back afterwards.
    func fail() async {
        lock.withLock { () -> CheckedContinuation<Void, any Error>? in defer { release = nil }; return release }?
            .resume(throwing: CancellationError())
        _ = try? await task.value
    }

    /// The writer and the COPY's release, from the task to the importer; the first answer counts.
    private final class Handoff: @unchecked Sendable {
        typealias Given = (PostgresCopyFromWriter, CheckedContinuation<Void, any Error>)
        private let lock = NSLock()
        private var result: Result<Given, any Error>?
        private var taker: CheckedContinuation<Given, any Error>?

        func give(_ given: Result<Given, any Error>) {
            let taker: CheckedContinuation<Given, any Error>? = lock.withLock {
                guard case .none = result else { return nil }
                result = .some(given)
                defer { self.taker = nil }
                return self.taker
            }
            taker?.resume(with: given)
        }

        func take() async throws -> Given {
            try await withCheckedThrowingContinuation { (taker: CheckedContinuation<Given, any Error>) in
                let ready: Result<Given, any Error>? = lock.withLock {
                    if case .none = result { self.taker = taker }
                    return result
                }
                if let ready { taker.resume(with: ready) }
            }
        }
    }
}

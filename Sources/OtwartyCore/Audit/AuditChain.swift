import Foundation

/// The audit trail is a hash chain: entry n stores the SHA-256 of entry n − 1 and the SHA-256 of
/// its own canonical form, which includes that previous hash. Changing, removing or reordering an
/// entry breaks the chain at that entry (docs/security.md, "The audit trail as a hash chain").
///
/// The canonical form of an entry (version 1) is these bytes, in this order:
///
/// | part | bytes |
/// |---|---|
/// | the tag `otwarty.audit.v1` followed by a line feed | 17 (ASCII) |
/// | `sequence`, the entry's place in the chain from 1 | 8, unsigned big-endian |
/// | `at` as stored: seconds since 1970 as an IEEE 754 binary64 | 8, the bit pattern big-endian |
/// | the actor: `0x00` when none, else `0x01` and the user id | 1, or 1 + 8 (two's complement big-endian) |
/// | `action`, `subject`, `detail`, each as its UTF-8 length then its UTF-8 bytes | 8 big-endian + n, three times |
/// | the previous entry's hash (32 zero bytes before the first entry) | 32 |
///
/// Every part has a fixed width or a length in front of it, so the bytes can be read back into
/// exactly one entry: two different entries never share a canonical form.
public enum AuditChain {
    public static let tag = Array("otwarty.audit.v1\n".utf8)
    /// The previous hash of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    public static func canonicalForm(sequence: Int64, at: Double, actorUserID: Int64?, action: String,
                                     subject: String, detail: String, previousHash: String) -> [UInt8] {
        var bytes = tag
        func u64(_ value: UInt64) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
        func text(_ value: String) {
            let utf8 = Array(value.utf8)
            u64(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        u64(UInt64(bitPattern: sequence))
        u64(at.bitPattern)
        if let actorUserID {
            bytes.append(1)
            u64(UInt64(bitPattern: actorUserID))
        } else {
            bytes.append(0)
        }
        text(action)
        text(subject)
        text(detail)
        bytes.append(contentsOf: hexBytes(previousHash) ?? Array(repeating: 0xFF, count: 32))
        return bytes
    }

    /// SHA-256 of the canonical form, as lowercase hex.
    public static func hash(sequence: Int64, at: Double, actorUserID: Int64?, action: String,
                            subject: String, detail: String, previousHash: String) -> String {
        SHA256Hex.digest(canonicalForm(sequence: sequence, at: at, actorUserID: actorUserID, action: action,
                                       subject: subject, detail: detail, previousHash: previousHash))
    }

    /// 32 bytes from 64 lowercase hex digits; nil for anything else (a stored hash that was
    /// tampered into another shape then hashes differently from every well-formed one).
    static func hexBytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var i = 0
        while i < 64 {
            guard let high = value(digits[i]), let low = value(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}

/// One stored row of the chain, as read back for verification.
public struct ChainedAuditRow: Hashable, Sendable {
    /// The row's database id (shown to whoever investigates; not part of the hash).
    public var id: Int64
    public var sequence: Int64
    public var at: Double
    public var actorUserID: Int64?
    public var action: String
    public var subject: String
    public var detail: String
    public var previousHash: String
    public var hash: String

    public init(id: Int64, sequence: Int64, at: Double, actorUserID: Int64?, action: String, subject: String,
                detail: String, previousHash: String, hash: String) {
        self.id = id
        self.sequence = sequence
        self.at = at
        self.actorUserID = actorUserID
        self.action = action
        self.subject = subject
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    public var computedHash: String {
        AuditChain.hash(sequence: sequence, at: at, actorUserID: actorUserID, action: action, subject: subject,
                        detail: detail, previousHash: previousHash)
    }

    /// How the entry is named in a finding: its place in the chain, row id, action and subject.
    public var label: String { "entry \(sequence) (row id \(id), \(action) \(subject))" }
}

/// What a walk of the chain found.
public struct AuditChainReport: Hashable, Sendable {
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// The entry's content no longer gives its stored hash (changed, or moved to another place).
        case changed(sequence: Int64, rowID: Int64, label: String)
        /// The entry does not link to the one before it (that one was removed and the numbers
        /// closed up, or entries were swapped).
        case broken(sequence: Int64, rowID: Int64?, label: String)
        /// A place in the sequence is empty: the entry there was removed.
        case missing(sequence: Int64, next: String)
        /// Entries at the end are gone: the chain head records more than the table holds.
        case truncated(expectedSequence: Int64, lastSequence: Int64)
        /// The recorded chain head does not name the last entry's hash (the last entry was
        /// changed and rehashed, or the head row was edited).
        case headMismatch(sequence: Int64, hash: String)
        /// A row outside the chain (written around Otwarty, or by a version before the chain).
        case unchained(rowID: Int64, label: String)

        public var description: String {
            switch self {
            case let .changed(_, _, label): "\(label) was changed: its content does not give its stored hash"
            case let .broken(_, _, label): "\(label) does not follow the entry before it: an entry was removed or entries were reordered here"
            case let .missing(sequence, next): "entry \(sequence) is missing: it was removed (the next present is \(next))"
            case let .truncated(expected, last):
                "the chain head records \(expected) entries but the last one present is entry \(last): entries at the end were removed"
            case let .headMismatch(sequence, hash):
                "the chain head records entry \(sequence) with hash \(hash), which is not the last entry's hash: the last entry or the head was changed"
            case let .unchained(_, label): "\(label) is not part of the chain: it was written around Otwarty"
            }
        }

        /// The place in the chain the problem starts at (for ordering findings).
        public var sequence: Int64? {
            switch self {
            case let .changed(s, _, _), let .broken(s, _, _), let .missing(s, _): s
            case let .truncated(_, last): last + 1
            case let .headMismatch(s, _): s
            case .unchained: nil
            }
        }
    }

    /// Entries checked.
    public var count: Int64
    /// The hash of the last entry checked (the genesis value when there are none).
    public var headHash: String
    /// The first problem met, nil when the chain is whole.
    public var problem: Problem?
    /// How many entries wait to join the chain at the end of their day (anonymous reports).
    public var held: Int

    public init(count: Int64, headHash: String, problem: Problem?, held: Int = 0) {
        self.count = count
        self.headHash = headHash
        self.problem = problem
        self.held = held
    }

}

/// Walks rows in sequence order and stops at the first problem. Feed it pages of rows ordered by
/// sequence (then row id); it keeps only the previous hash, so any length of trail fits in memory.
public struct AuditChainWalker: Sendable {
    public private(set) var count: Int64 = 0
    public private(set) var previousHash = AuditChain.genesis
    public private(set) var problem: AuditChainReport.Problem?
    public private(set) var lastSequence: Int64 = 0

    public init() {}

    /// Checks one row; returns false once a problem is found (the walk can stop).
    @discardableResult
    public mutating func check(_ row: ChainedAuditRow) -> Bool {
        guard problem == nil else { return false }
        let expected = lastSequence + 1
        if row.sequence > expected {
            // A place in the sequence is empty: the entry there was removed.
            problem = .missing(sequence: expected, next: row.label)
            return false
        }
        if row.sequence < expected || row.previousHash != previousHash {
            // It does not link to the entry before it: that one was removed (and the numbers
            // closed up) or entries were swapped.
            problem = .broken(sequence: row.sequence, rowID: row.id, label: row.label)
            return false
        }
        guard row.computedHash == row.hash else {
            problem = .changed(sequence: row.sequence, rowID: row.id, label: row.label)
            return false
        }
        count += 1
        lastSequence = row.sequence
        previousHash = row.hash
        return true
    }

    /// Starts a walk at a known-good point (the tail check at start trusts what lies before it).
    public mutating func resume(after sequence: Int64, hash: String) {
        lastSequence = sequence
        previousHash = hash
    }

    /// Records that the table ends before the chain head says it should.
    public mutating func finish(headSequence: Int64) {
        if problem == nil, headSequence != lastSequence {
            problem = headSequence > lastSequence
                ? .truncated(expectedSequence: headSequence, lastSequence: lastSequence)
                : .broken(sequence: lastSequence, rowID: nil, label: "entry \(lastSequence) (after the recorded chain head \(headSequence))")
        }
    }

    public mutating func fail(_ problem: AuditChainReport.Problem) {
        if self.problem == nil { self.problem = problem }
    }
}

/// What the check at start found, for `/healthz` and the administrators' banner. A broken chain
/// does not stop the server: a city must not lose its incident form and its case work because
/// someone edited the database; it is reported loudly instead (docs/security.md).
public final class AuditChainMonitor: Sendable {
    private let state = AuditMonitorBox<AuditChainReport?>(nil)

    public init() {}

    public var report: AuditChainReport? { state.value }
    public var isBroken: Bool { state.value?.problem != nil }

    public func set(_ report: AuditChainReport) { state.value = report }
}

/// A value behind a lock, shared between tasks.
private final class AuditMonitorBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

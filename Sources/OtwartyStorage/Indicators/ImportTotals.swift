import OtwartyCore

/// The `activity_totals` groups of an import's records, added up on the importer's side while the
/// table's insert trigger is paused for the import's transaction (`SQLiteActivityImport`).
///
/// Why: the trigger's upsert, once per record, was a third of SQLite's work in a million-record
/// import (sqlite3, `INSERT … SELECT` of 1M records: 12.0 s with it, 7.8 s without;
/// docs/performance.md, "Import"), and it ran on the writer thread, the import's bottleneck. Here
/// the same sums are kept on the importer's side, from the very values bound for each record, and
/// written as one upsert per group (about 17,000 at a million records) before the transaction
/// commits. The groups and sums are the trigger's (`ActivityTotals.sqliteUpsert`): the key
/// columns as stored, `has_new` for a given "of whom new", a city-wide district as 0, and each
/// summed column with NULL as 0. `ActivityTotalsTests` compares the table with a full recount
/// after imports on both engines.
struct ImportTotals {
    struct Key: Hashable {
        var taskCode = ""
        var kind = ""
        var year: Int64 = 0
        var audienceMask: Int64 = 0
        var breakdownMask: Int64 = 0
        var hasNew: Int64 = 0
        var quarter: Int64 = 0
        var district: Int64 = 0

        // The texts by their UTF-8 bytes, as SQLite compares them in the table's key: String's
        // own hashing normalises to NFC first, which was most of this type's cost (perf, 1M records).
        static func == (a: Key, b: Key) -> Bool {
            a.year == b.year && a.audienceMask == b.audienceMask && a.breakdownMask == b.breakdownMask && a.hasNew == b.hasNew
                && a.quarter == b.quarter && a.district == b.district
                && a.taskCode.utf8.elementsEqual(b.taskCode.utf8) && a.kind.utf8.elementsEqual(b.kind.utf8)
        }

        func hash(into hasher: inout Hasher) {
            var task = taskCode, kind = kind
            task.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(0xFF as UInt8) // no UTF-8 text holds 0xFF: the two texts cannot run into each other
            kind.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(year)
            hasher.combine(audienceMask)
            hasher.combine(breakdownMask)
            hasher.combine(hasNew)
            hasher.combine(quarter)
            hasher.combine(district)
        }
    }

    /// What a column of `ActivityColumn.inserted` is to the totals.
    enum Slot: Equatable {
        case ignored, taskCode, kind, year, audienceMask, breakdownMask, quarter, district
        /// The n-th of `ActivityTotals.sums`.
        case sum(Int)
    }

    /// For every column of `ActivityColumn.inserted`, in order.
    static let slots: [Slot] = ActivityColumn.inserted.map { column in
        if let n = ActivityTotals.sums.firstIndex(of: column.rawValue) { return .sum(n) }
        switch column {
        case .taskCode: return .taskCode
        case .kind: return .kind
        case .year: return .year
        case .audienceMask: return .audienceMask
        case .breakdownMask: return .breakdownMask
        case .quarter: return .quarter
        case .district: return .district
        default: return .ignored
        }
    }
    /// Where `participants_new` is among the sums: a given one makes `has_new` 1.
    static let participantsNewSum = ActivityTotals.sums.firstIndex(of: "participants_new")!

    private static let empty = [Int64](repeating: 0, count: ActivityTotals.sums.count + 1)
    /// `slots`, held by each value: a static's every read checks that it was initialised (perf:
    /// ~80 ms per million records, on the import's reading side).
    private let slots = Self.slots
    /// Per group: the record count, then `ActivityTotals.sums` in order.
    private(set) var groups: [Key: [Int64]] = [:]
    private var key = Key()
    private var sums = [Int64](repeating: 0, count: ActivityTotals.sums.count)
    private var column = 0
    /// A sum that no longer fits in 64 bits (the trigger's SQLite would have turned it into a real).
    private(set) var overflowed = false

    /// Starts a record: its values follow in `ActivityColumn.inserted`'s order.
    mutating func startRecord() {
        key = Key()
        for n in sums.indices { sums[n] = 0 }
        column = 0
    }

    mutating func take(_ value: StoredValue) {
        defer { column += 1 }
        guard column < slots.count else { return }
        switch slots[column] {
        case .ignored: return
        case .taskCode: if case let .text(text) = value { key.taskCode = text }
        case .kind: if case let .text(text) = value { key.kind = text }
        case .year: key.year = value.integer
        case .audienceMask: key.audienceMask = value.integer
        case .breakdownMask: key.breakdownMask = value.integer
        case .quarter: key.quarter = value.integer
        case .district: key.district = value.integer
        case let .sum(n):
            sums[n] = value.integer
            if n == Self.participantsNewSum, case .integer = value { key.hasNew = 1 }
        }
    }

    /// Adds the record whose values were taken since `startRecord` to its group.
    mutating func endRecord() {
        var overflow = false
        groups[key, default: Self.empty].withUnsafeMutableBufferPointer { group in
            var o: Bool
            (group[0], o) = group[0].addingReportingOverflow(1)
            overflow = overflow || o
            for n in sums.indices {
                (group[n + 1], o) = group[n + 1].addingReportingOverflow(sums[n])
                overflow = overflow || o
            }
        }
        if overflow { overflowed = true }
    }
}

private extension StoredValue {
    /// An integer column's value, NULL as 0 (the trigger's COALESCE).
    var integer: Int64 {
        if case let .integer(number) = self { return number }
        return 0
    }
}

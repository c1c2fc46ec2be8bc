import Crypto
import Foundation
import OtwartyCore
import OtwartyQR

/// The recovery key's private part as it is written on paper and typed back: Crockford base32
/// (digits and capitals without I, L, O and U, so nothing reads as something else) of the 32 key
/// bytes and a 3-byte checksum — 280 bits, exactly 56 characters, printed as 14 groups of 4.
/// Typing is forgiving: case, spaces, dashes and line breaks do not matter, and O/I/L are read as
/// 0/1/1. The checksum (the first 3 bytes of SHA-256 over a label and the key) catches a mistyped
/// character before the key is used; a wrong but well-formed key is refused by the service.
public enum RecoveryKeyText {
    public static let characters = 56
    static let groupSize = 4
    static let groupsPerLine = 7
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case character(String, group: Int)
        case length(Int)
        case checksum

        public var description: String {
            switch self {
            case .empty:
                "no recovery key on standard input: type the \(RecoveryKeyText.characters) characters from the paper "
                    + "(spaces, dashes and line breaks do not matter)"
            case let .character(character, group):
                "“\(character)” in group \(group) is not a character of a recovery key "
                    + "(they are the digits 0–9 and the letters A–Z without I, L, O and U)"
            case let .length(count):
                "a recovery key has \(RecoveryKeyText.characters) characters (14 groups of 4); this has \(count)"
            case .checksum:
                "the recovery key does not check out: a character is mistyped. Compare it group by group with the paper"
            }
        }
    }

    static func checksum(_ raw: Data) -> Data {
        Data(SHA256.hash(data: Data("otwarty recovery key v1".utf8) + raw).prefix(3))
    }

    /// The 56 characters without separators (the QR code holds these).
    public static func compact(_ key: HandlerPrivateKey) -> String {
        let bytes = [UInt8](key.rawRepresentation + checksum(key.rawRepresentation))
        var out = "", buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[(buffer >> bits) & 31])
            }
        }
        return out // 280 bits: no bits left over
    }

    /// Groups of 4 joined by dashes, 7 groups a line: what is written on the paper.
    public static func lines(_ key: HandlerPrivateKey) -> [String] {
        let text = compact(key)
        let groups = stride(from: 0, to: characters, by: groupSize).map { start -> String in
            let from = text.index(text.startIndex, offsetBy: start)
            return String(text[from..<text.index(from, offsetBy: groupSize)])
        }
        return stride(from: 0, to: groups.count, by: groupsPerLine).map {
            groups[$0..<min($0 + groupsPerLine, groups.count)].joined(separator: "-")
        }
    }

    /// The characters that count in typed input: separators dropped, upper case.
    static func significant(_ input: String) -> [Character] {
        let separators: Set<Character> = ["-", "‐", "‑", "‒", "–", "—", "−", "_", "."]
        return input.filter { !$0.isWhitespace && !separators.contains($0) }.uppercased().map { $0 }
    }

    /// How many characters of a key `input` holds so far (for the prompt while typing).
    public static func count(_ input: String) -> Int { significant(input).count }

    public static func parse(_ input: String) throws -> HandlerPrivateKey {
        let typed = significant(input)
        guard !typed.isEmpty else { throw ParseError.empty }
        var values: [Int] = []
        for (index, character) in typed.enumerated() {
            let read: Character = switch character {
            case "O": "0"
            case "I", "L": "1"
            default: character
            }
            guard let value = alphabet.firstIndex(of: read) else {
                throw ParseError.character(String(character), group: index / groupSize + 1)
            }
            values.append(value)
        }
        guard values.count == characters else { throw ParseError.length(values.count) }
        var bytes: [UInt8] = [], buffer = 0, bits = 0
        for value in values {
            buffer = (buffer << 5 | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> bits) & 0xFF))
            }
        }
        let raw = Data(bytes.prefix(32))
        guard bytes.count == 35, checksum(raw) == Data(bytes.suffix(3)),
              let key = try? HandlerPrivateKey(rawRepresentation: raw) else { throw ParseError.checksum }
        return key
    }
}

/// A QR code drawn with Unicode half blocks, two modules a character cell high, with the
/// four-module quiet zone. Dark modules are ink (█▀▄); in a terminal (`colour`) each line is
/// painted black on bright white, so the symbol scans on a dark background too.
public enum TerminalQR {
    public static func lines(_ code: QRCode, colour: Bool) -> [String] {
        let quiet = 4
        let range = -quiet..<(code.size + quiet)
        var lines: [String] = []
        for y in stride(from: -quiet, to: code.size + quiet, by: 2) {
            var line = ""
            for x in range {
                switch (code[x, y], code[x, y + 1]) {
                case (true, true): line += "█"
                case (true, false): line += "▀"
                case (false, true): line += "▄"
                case (false, false): line += " "
                }
            }
            lines.append(colour ? "\u{1B}[30;107m\(line)\u{1B}[0m" : line)
        }
        return lines
    }
}

/// What `otwarty incidents recovery-key` and `otwarty incidents recover` do, callable from tests.
/// The private key is read from standard input (never the command line, which other users of the
/// machine can see in the process list and shells keep in their history).
public enum IncidentRecovery {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    public struct Made: Sendable {
        public var key: HandlerPrivateKey
        /// Cases whose content key is sealed to the new key now.
        public var covered: Int
        /// Cases not sealed to it yet (each is the next time a handler opens it).
        public var uncovered: Int
        /// Everything to print, the key included.
        public var output: String
    }

    /// Makes the recovery key, or replaces the active one: `oldKey` is asked for only when one
    /// exists and `replace` is set. With `svgPath`, the QR code is also written there (a new file,
    /// mode 0600), opened before the key is made so a bad path loses nothing. `oldIsLost` (with
    /// `replace`): the current key is lost, so nothing is asked for; its envelopes are deleted.
    public static func makeKey(services: AppServices, replace: Bool, oldIsLost: Bool = false, oldKey: () throws -> String,
                               svgPath: String? = nil, colour: Bool = false) async throws -> Made {
        let keys = services.incidentKeys
        let active = try await keys.keys.activeRecoveryKey()
        var old: HandlerPrivateKey?
        switch (active, replace) {
        case let (current?, false):
            throw Failure("a recovery key already exists (made \(services.clock.day(of: current.createdAt))). To replace it, run "
                + "`otwarty incidents recovery-key --replace` and type the current one on standard input: every case it opens "
                + "is then sealed to the new one, and the old one stops working. If it is lost: --replace --lost.")
        case (nil, true):
            throw Failure("--replace: there is no recovery key to replace yet; run `otwarty incidents recovery-key` without it")
        case (_?, true) where oldIsLost:
            break
        case let (current?, true):
            let key = try RecoveryKeyText.parse(try oldKey())
            guard key.publicKey == current.publicKey else {
                throw Failure("this is not the current recovery key (made \(services.clock.day(of: current.createdAt))): "
                    + "it may be one that was replaced. Nothing was changed.")
            }
            old = key
        case (nil, false):
            break
        }
        let svg = try svgPath.map(SVGFile.create)
        let made: (key: HandlerPrivateKey, covered: Int, uncovered: Int)
        do {
            made = try await keys.makeRecoveryKey(replacing: old, oldIsLost: oldIsLost && active != nil)
        } catch {
            svg?.discard()
            throw error
        }
        let qr = try QRCode.encode(RecoveryKeyText.compact(made.key))
        var written: String?
        if let svg {
            do {
                try svg.write(qr.svg(title: "Otwarty recovery key, \(services.clock.today)", moduleSize: 8))
                written = svg.path
            } catch {
                // The key is made and printed below: an unwritable file must not hide it.
                written = nil
            }
        }
        var out: [String] = []
        if oldIsLost {
            out.append("The lost recovery key was retired: its copies of the case keys are deleted, so whoever finds it opens "
                + "nothing stored from now on. The new key covers each case the next time a handler opens it.")
        } else {
            out.append(old == nil ? "A new recovery key for incident cases." : "The recovery key was replaced; the old one no longer opens anything.")
        }
        out.append("")
        out.append("Its private part, printed this once — it is not stored anywhere and cannot be shown again:")
        out.append("")
        for line in RecoveryKeyText.lines(made.key) { out.append("    " + line) }
        out.append("")
        out.append(contentsOf: TerminalQR.lines(qr, colour: colour))
        out.append("")
        if let svgPath {
            out.append(written != nil ? "The QR code is also in \(svgPath) (readable only by you): print it, then delete the file."
                                      : "warning: \(svgPath) could not be written; copy the key from above.")
            out.append("")
        }
        out.append("It opens \(made.covered) case(s) now. \(made.uncovered) case(s) are not covered yet: each is sealed to "
            + "the recovery key the next time a handler opens it (cases from before per-handler keys, when the first "
            + "handler signs in). A case nobody opens again stays outside recovery.")
        out.append("")
        out.append("Write the key on paper (or print this page) and keep it in a safe, away from the server: never in a "
            + "file on the server, in its backups or in an e-mail. Whoever holds it and the database can read every case "
            + "it covers. With it, `otwarty incidents recover --to EMAIL` gives every covered case to a handler when no "
            + "handler who can read them is left. Without it, cases whose handlers have all lost their passwords cannot "
            + "be read by anyone.")
        return Made(key: made.key, covered: made.covered, uncovered: made.uncovered, output: out.joined(separator: "\n"))
    }

    public struct Recovered: Sendable {
        public var user: User
        /// Cases the handler could not read before and can now.
        public var granted: Int
        /// Covered cases the handler could already read.
        public var alreadyReadable: Int
        /// Cases the recovery key does not open (reported before it existed and not opened since).
        public var notCovered: Int
        public var output: String
    }

    /// Grants every case the recovery key opens to the handler with this e-mail address. The
    /// account is checked before the key is asked for.
    public static func recover(services: AppServices, key input: () throws -> String, to email: String) async throws -> Recovered {
        let keys = services.incidentKeys
        let address = email.trimmingCharacters(in: .whitespaces)
        guard let user = try await services.repositories.users.user(email: address) else {
            throw Failure("no account has the e-mail address \(address)")
        }
        guard IncidentKeyService.roles.contains(user.role) else {
            throw Failure("\(user.email) is \(user.role.rawValue): only an incident handler or the programme coordinator can "
                + "be given cases")
        }
        guard !user.isDisabled else { throw Failure("\(user.email) is disabled: enable the account first") }
        guard try await keys.keys.handlerKey(userID: user.id) != nil else {
            throw Failure("\(user.email) has no key yet: they get one when they set their password (the invitation link) "
                + "or sign in once; then run this again")
        }
        guard let active = try await keys.keys.activeRecoveryKey() else {
            throw Failure("no recovery key was ever made on this installation (`otwarty incidents recovery-key`)")
        }
        let key = try RecoveryKeyText.parse(try input())
        guard key.publicKey == active.publicKey else {
            throw Failure("this is not the current recovery key (made \(services.clock.day(of: active.createdAt))): "
                + "it may be one that was replaced. Nothing was granted.")
        }
        let before = Set(try await keys.keys.envelopes(recipient: .user(user.id)).map(\.incidentID))
        let covered = try await keys.keys.envelopes(recipient: .recovery(active.id)).map(\.incidentID)
        _ = try await keys.recover(with: key, to: user.id)
        let granted = covered.filter { !before.contains($0) }.count
        let all = try await services.repositories.incidents.list(statuses: [], limit: Int.max / 2, offset: 0)
            .filter { $0.purgedOn == nil }.count
        let notCovered = max(0, all - covered.count)
        var out = ["\(user.email) can now read \(granted) more case(s) (\(covered.count - granted) they could already read); "
            + "the audit trail has an entry."]
        if notCovered > 0 {
            out.append("\(notCovered) case(s) are not sealed to the recovery key (reported before it was made and not opened "
                + "since): only a handler who can read them can grant them.")
        }
        return Recovered(user: user, granted: granted, alreadyReadable: covered.count - granted, notCovered: notCovered,
                         output: out.joined(separator: "\n"))
    }
}

/// A new file for the QR code: created exclusively (never over an existing file or through a
/// symbolic link) with mode 0600, before the key exists.
struct SVGFile {
    let path: String
    let descriptor: Int32

    static func create(_ path: String) throws -> SVGFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it exists already (the key is never written over another file)"
                                         : String(cString: strerror(errno))
            throw IncidentRecovery.Failure("--svg \(path): \(reason)")
        }
        _ = fchmod(descriptor, 0o600) // the umask can only narrow it; made explicit all the same
        return SVGFile(path: path, descriptor: descriptor)
    }

    func write(_ text: String) throws {
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func discard() {
        close(descriptor)
        unlink(path)
    }
}

import HTTPTypes
import Hummingbird
import NIOCore

/// `OTWARTY_TRUSTED_PROXIES`: the proxies (addresses or CIDR ranges, IPv4 and IPv6) whose
/// `X-Forwarded-For` is believed. Empty by default: then the client is always the peer, whatever
/// a request's headers say.
public struct TrustedProxies: Sendable, Equatable {
    /// One address or range: its bytes (4 or 16) and how many leading bits must match.
    public struct Range: Sendable, Equatable, CustomStringConvertible {
        let bytes: [UInt8]
        let prefix: Int
        public var description: String { "\(IPAddressText.format(bytes))/\(prefix)" }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var bits = prefix
            for (a, b) in zip(address, bytes) {
                guard bits > 0 else { return true }
                let mask: UInt8 = bits >= 8 ? 0xff : ~(0xff >> UInt8(bits))
                if a & mask != b & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    public let ranges: [Range]
    public static let none = TrustedProxies(ranges: [])

    init(ranges: [Range]) { self.ranges = ranges }

    public var isEmpty: Bool { ranges.isEmpty }

    /// A problem with one item of the list; `item` is what was written.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var item: String
        public var description: String { "\"\(item)\" is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, ::1, fd00::/8)" }
    }

    /// Reads a comma-separated list such as `127.0.0.1, 10.0.0.0/8, ::1`; empty items are skipped.
    public init(parsing text: String) throws {
        var ranges: [Range] = []
        for raw in text.split(separator: ",") {
            let item = raw.trimmingWhitespace()
            if item.isEmpty { continue }
            let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = IPAddressText.parse(String(parts[0])) else { throw Invalid(item: item) }
            var prefix = bytes.count * 8
            if parts.count == 2 {
                guard let n = Int(parts[1]), (0...bytes.count * 8).contains(n), parts[1].allSatisfy(\.isASCIIDigit) else {
                    throw Invalid(item: item)
                }
                prefix = n
            }
            ranges.append(Range(bytes: bytes, prefix: prefix))
        }
        self.ranges = ranges
    }

    public func contains(_ address: [UInt8]) -> Bool { ranges.contains { $0.contains(address) } }
}

/// Who a request is from, for throttling only (never stored in clear).
public enum ClientAddress {
    /// The peer, unless the peer is a trusted proxy: then the rightmost address of
    /// `X-Forwarded-For` that is not itself a trusted proxy (each proxy appends the address it
    /// saw, so everything left of that is what the client claimed and is ignored). When the
    /// entries read up to that point are not all addresses, or the header is missing, the
    /// answer is the peer: a bad header never fails a request, and never picks a client of the
    /// sender's choice. When every entry is a trusted proxy, the leftmost one is the client.
    public static func resolve(peer: String, forwardedFor headerValues: [String], trusted: TrustedProxies) -> String {
        guard !trusted.isEmpty, let peerBytes = IPAddressText.parse(peer), trusted.contains(peerBytes) else { return peer }
        let entries = headerValues.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingWhitespace() }
        guard !entries.isEmpty else { return peer }
        var leftmost: [UInt8]?
        for entry in entries.reversed() {
            guard let bytes = IPAddressText.parse(entry) else { return peer }
            if !trusted.contains(bytes) { return IPAddressText.format(bytes) }
            leftmost = bytes
        }
        return leftmost.map(IPAddressText.format) ?? peer
    }
}

/// Sets `clientAddress` from the peer and, behind a trusted proxy, `X-Forwarded-For`. First in
/// the chain, so every later step (throttles, the sign-in throttle) sees the same client.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: TrustedProxies
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = ClientAddress.resolve(peer: context.peerAddress, forwardedFor: request.headers[values: Self.forwardedFor],
                                                      trusted: trusted)
        return try await next(request, context)
    }
}

/// IP addresses as bytes and back, with the system's parser (inet_pton through NIO). IPv4
/// written inside IPv6 (`::ffff:192.0.2.1`, as a dual-stack socket reports IPv4 peers) reads as
/// the IPv4 address, so one client has one form whichever way it arrived.
enum IPAddressText {
    static func parse(_ text: String) -> [UInt8]? {
        var text = text
        // `[2001:db8::1]` as some proxies write IPv6.
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, text.count <= 45, text.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }),
              let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        switch address {
        case let .v4(v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case let .v6(v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff { return Array(bytes.suffix(4)) }
            return bytes
        default:
            return nil
        }
    }

    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        // Eight groups of hex; compact enough for a throttle key, and one form per address.
        return stride(from: 0, to: bytes.count, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}

private extension Substring {
    func trimmingWhitespace() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

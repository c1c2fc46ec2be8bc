import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyWeb
import Testing

/// An incoming `X-Request-Id` is kept only from a trusted proxy (`OTWARTY_TRUSTED_PROXIES`, the
/// peer's own address, never a header); from anyone else the request gets an id of our own. Before
/// issue 15 any client could set the id its requests' log lines carry (another request's id, say).
/// Live servers on loopback: the peer is 127.0.0.1 or ::1.
@Suite struct RequestIDTests {
    static let proxyID = "5f2b9c0e8a1d4b7f9e3c2a1b0d9e8f7a"

    @Test func aTrustedProxysIDIsKept() async throws {
        try await MultiInstanceTests.withInstances(1, setup: .live, configure: {
            $0.trustedProxies = try! TrustedProxies(parsing: "127.0.0.1, ::1")
        }) { _, _, clients in
            let response = try await clients[0].execute(uri: "/healthz", method: .get, headers: [RequestIDMiddleware.header: Self.proxyID])
            #expect(response.headers[RequestIDMiddleware.header] == Self.proxyID)
            // A malformed id is replaced, even from the proxy.
            let bad = try await clients[0].execute(uri: "/healthz", method: .get, headers: [RequestIDMiddleware.header: "two words"])
            let id = try #require(bad.headers[RequestIDMiddleware.header])
            #expect(id != "two words" && RequestIDMiddleware.isWellFormed(id))
        }
    }

    /// No proxy configured, or proxies that do not include the peer: the id is our own.
    @Test(arguments: ["", "10.0.0.0/8, fd00::/8"])
    func anUntrustedPeersIDIsReplaced(trusted: String) async throws {
        try await MultiInstanceTests.withInstances(1, setup: .live, configure: {
            $0.trustedProxies = try! TrustedProxies(parsing: trusted)
        }) { _, _, clients in
            var seen: Set<String> = []
            for uri in ["/healthz", "/pl/", "/no-such-address"] {
                let response = try await clients[0].execute(uri: uri, method: .get, headers: [RequestIDMiddleware.header: Self.proxyID])
                let id = try #require(response.headers[RequestIDMiddleware.header], "\(uri)")
                #expect(id != Self.proxyID, "\(uri)")
                #expect(RequestIDMiddleware.isWellFormed(id))
                seen.insert(id)
            }
            #expect(seen.count == 3, "each request has its own id")
        }
    }
}

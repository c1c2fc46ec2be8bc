import Foundation
import HummingbirdOTP
import OtwartyCore

/// Core's `OneTimePasswordAlgorithm` with HummingbirdOTP's TOTP (RFC 6238: HMAC-SHA1, 6 digits,
/// 30-second steps). It lives here, in the bootstrap, because the HummingbirdOTP module imports
/// HummingbirdAuth and so Hummingbird, which Core must not see (docs/architecture.md).
public struct HummingbirdTOTP: OneTimePasswordAlgorithm {
    public init() {}

    public func code(secret: String, step: Int64) -> Int {
        // TOTP.compute takes a date and divides by the step itself; the step's first second is exact.
        TOTP(secret: secret).compute(date: Date(timeIntervalSince1970: TimeInterval(step) * 30))
    }

    public func provisioningURI(secret: String, account: String, issuer: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "\(issuer):\(account)", issuer: issuer)
    }
}

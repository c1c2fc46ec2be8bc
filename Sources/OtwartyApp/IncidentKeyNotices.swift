import Foundation
import Logging
import OtwartyCore

/// What `serve` says at start (and the housekeeping pass when it changes) about incident keys:
/// what the server key `incident.key` still opens, and whether a recovery key and a handler with
/// a key exist. Each sentence is worded for the state it reports, so none says more than is true.
public enum IncidentKeyNotices {
    public struct Line: Sendable, Equatable {
        public var level: Logger.Level
        public var text: String
    }

    /// The facts the sentences are made of.
    struct State {
        /// Cases still sealed with the server key, and cases whose content key is escrowed under it.
        var serverKeyCases: Int
        /// Handlers from before per-handler keys who have not signed in since (enabled, in a
        /// handler role, with a password): the escrow waits for them.
        var waitingHandlers: Int
        /// Enabled handlers with a key pair.
        var handlersWithKeys: Int
        var hasRecoveryKey: Bool
    }

    static func state(_ services: AppServices) async throws -> State {
        let keys = services.incidentKeys
        let serverKeyCases: Int = switch try await keys.serverKeyUse() {
        case let .needed(cases): cases
        case .notNeeded: 0
        }
        var waiting = 0
        for id in try await keys.keys.migrationPending() {
            if let user = try await services.repositories.users.user(id: id), IncidentKeyService.roles.contains(user.role),
               !user.isDisabled, user.passwordHash != nil { waiting += 1 }
        }
        var withKeys = 0
        for pair in try await keys.keys.handlerKeys() {
            if let user = try await services.repositories.users.user(id: pair.userID), IncidentKeyService.roles.contains(user.role),
               !user.isDisabled { withKeys += 1 }
        }
        return State(serverKeyCases: serverKeyCases, waitingHandlers: waiting, handlersWithKeys: withKeys,
                     hasRecoveryKey: try await keys.keys.activeRecoveryKey() != nil)
    }

    /// At start: drops the upgrade's escrow if nobody waits for it any more, then reports.
    public static func atStart(_ services: AppServices) async throws -> [Line] {
        let dropped = try await services.incidentKeys.dropEscrowIfDone()
        let state = try await state(services)
        var lines: [Line] = []
        if dropped > 0 { lines.append(escrowDropped(dropped)) }
        lines.append(serverKey(state))
        if !state.hasRecoveryKey {
            lines.append(Line(level: .warning, text: "no recovery key: if every handler who can read a case loses their password, "
                + "nobody can read it again. Run `otwarty incidents recovery-key` and keep the printed key in a safe, away from the server"))
        }
        if state.handlersWithKeys == 0 {
            lines.append(Line(level: .warning, text: "no incident handler has a key yet, so no one can read a report: create a "
                + "handler (`otwarty user create --role incident-handler`); their key is made when they set their password or sign in"))
        }
        return lines
    }

    /// The housekeeping pass: drops the escrow once nobody waits for it (a handler from before the
    /// upgrade was disabled or left the role since); says so, with what the server key does now.
    public static func housekeeping(_ services: AppServices) async throws -> [Line] {
        let dropped = try await services.incidentKeys.dropEscrowIfDone()
        guard dropped > 0 else { return [] }
        return [escrowDropped(dropped), serverKey(try await state(services))]
    }

    static func escrowDropped(_ count: Int) -> Line {
        Line(level: .notice, text: "deleted the copies of \(count) case key(s) sealed with incident.key: no handler from before "
            + "per-handler keys waits for them any more, and a handler's key opens each of those cases")
    }

    static func serverKey(_ state: State) -> Line {
        let n = state.serverKeyCases
        if n > 0 {
            if state.waitingHandlers > 0 {
                return Line(level: .notice, text: "incident.key still opens \(n) case(s), kept for the \(state.waitingHandlers) handler(s) "
                    + "from before per-handler keys who have not signed in since the upgrade; it stops being needed for them once "
                    + "every one of them has signed in (disabling an account or changing its role counts too)")
            }
            if state.handlersWithKeys == 0 {
                return Line(level: .notice, text: "incident.key still opens \(n) case(s) reported before any handler had a key; "
                    + "the first handler to get a key gets them, and then it is no longer needed for them")
            }
            return Line(level: .notice, text: "incident.key still opens \(n) case(s) that no handler's key opens; the next handler "
                + "to get a key gets them, and then it is no longer needed for them")
        }
        if state.waitingHandlers > 0 {
            return Line(level: .notice, text: "incident.key opens no case text now, but new reports are also sealed with it until the "
                + "\(state.waitingHandlers) handler(s) from before per-handler keys have signed in, so none is lost to them")
        }
        if state.handlersWithKeys == 0 {
            return Line(level: .notice, text: "incident.key opens no case text now, but new reports are also sealed with it until a "
                + "handler has a key, so none is lost to everyone")
        }
        return Line(level: .notice, text: "incident.key no longer opens any case text; it now only seals the reporter's "
            + "10-minute receipt")
    }
}

import Foundation
import OtwartyCore
import SQLKit

/// Frozen report versions and their files.
public struct SQLReportVersionRepository: ReportVersionRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `report_versions`; the digests come from `report_files` (`DigestRow`).
    struct VersionRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, programmeSlug = "programme_slug", year, number, frozenAt = "frozen_at", frozenBy = "frozen_by"
        }
        typealias Column = CodingKeys
        var id: Int64
        var programmeSlug: String
        var year: Int
        var number: Int
        var frozenAt: Double
        var frozenBy: Int64?

        var version: ReportVersion {
            ReportVersion(id: id, programmeSlug: programmeSlug, year: year, number: number,
                          frozenAt: Date(timeIntervalSince1970: frozenAt), frozenBy: frozenBy, digests: [:])
        }
    }

    /// A file's digest, without its bytes: listing versions must not read megabytes of files.
    struct DigestRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case versionID = "version_id", format, sha256
        }
        typealias Column = CodingKeys
        var versionID: Int64
        var format: String
        var sha256: String
    }

    public func freeze(programme: String, year: Int, number: Int, files: [ReportFile], at: Date,
                       by user: UserID?) async throws -> ReportVersion {
        do {
            let id = try await database.transaction { db -> Int64 in
                try await db.insert(into: "report_versions")
                    .columns("programme_slug", "year", "number", "frozen_at", "frozen_by")
                    .values(SQLBind(programme), SQLBind(year), SQLBind(number), SQLBind(at.stored), SQLBind(user))
                    .run()
                guard let row = try await db.select().column("id").from("report_versions")
                    .where("programme_slug", .equal, programme).where("year", .equal, year)
                    .where("number", .equal, number).first() else {
                    throw DatabaseError.corrupt("report version \(programme) \(year) v\(number) vanished while being stored")
                }
                let id = try row.decode(column: "id", as: Int64.self)
                for file in files {
                    try await Self.insert(file, versionID: id, on: db)
                }
                return id
            }
            return ReportVersion(id: id, programmeSlug: programme, year: year, number: number, frozenAt: at, frozenBy: user,
                                 digests: Dictionary(files.map { ($0.format, $0.sha256) }, uniquingKeysWith: { a, _ in a }))
        } catch where ConstraintViolation.isUnique(error) {
            throw DomainError.conflict("version \(number) of the \(year) report was frozen by someone else a moment ago; reload and try again")
        }
    }

    static func insert(_ file: ReportFile, versionID: Int64, on db: any SQLDatabase) async throws {
        try await db.insert(into: "report_files").columns("version_id", "format", "bytes", "sha256")
            .values(SQLBind(versionID), SQLBind(file.format.rawValue), SQLBind(Data(file.bytes)), SQLBind(file.sha256))
            .run()
    }

    public func versions(programme: String, year: Int) async throws -> [ReportVersion] {
        try await versions(programme: programme, year: Optional(year))
    }

    public func versions(programme: String) async throws -> [ReportVersion] {
        try await versions(programme: programme, year: nil)
    }

    private func versions(programme: String, year: Int?) async throws -> [ReportVersion] {
        try await database.withConnection { db in
            var query = db.select().columns(VersionRow.columns).from("report_versions").where("programme_slug", .equal, programme)
            if let year { query = query.where("year", .equal, year) }
            var versions = try await query.orderBy("year", .descending).orderBy("number", .descending)
                .all(decoding: VersionRow.self).map(\.version)
            guard !versions.isEmpty else { return [] }
            let digests = try await db.select().columns(DigestRow.columns).from("report_files")
                .where("version_id", .in, versions.map(\.id)).all(decoding: DigestRow.self)
            var byVersion: [Int64: [ReportFormat: String]] = [:]
            for digest in digests {
                guard let format = ReportFormat(rawValue: digest.format) else { continue }
                byVersion[digest.versionID, default: [:]][format] = digest.sha256
            }
            for i in versions.indices { versions[i].digests = byVersion[versions[i].id] ?? [:] }
            return versions
        }
    }

    public func file(programme: String, year: Int, number: Int, format: ReportFormat) async throws -> ReportFile? {
        try await database.withConnection { db in
            guard let row = try await db.select().columns(SQLColumn("bytes", table: "f"), SQLColumn("sha256", table: "f"))
                .from(SQLAlias(SQLIdentifier("report_files"), as: SQLIdentifier("f")))
                .join(SQLAlias(SQLIdentifier("report_versions"), as: SQLIdentifier("v")), method: SQLJoinMethod.inner,
                      on: SQLColumn("id", table: "v"), .equal, SQLColumn("version_id", table: "f"))
                .where(SQLColumn("programme_slug", table: "v"), .equal, SQLBind(programme))
                .where(SQLColumn("year", table: "v"), .equal, SQLBind(year))
                .where(SQLColumn("number", table: "v"), .equal, SQLBind(number))
                .where(SQLColumn("format", table: "f"), .equal, SQLBind(format.rawValue))
                .first() else { return nil }
            let bytes = [UInt8](try row.decode(column: "bytes", as: Data.self))
            let stored = try row.decode(column: "sha256", as: String.self)
            let file = ReportFile(format: format, bytes: bytes)
            // A frozen file is only served when it is still the file that was frozen.
            guard file.sha256 == stored else {
                throw DatabaseError.corrupt("report \(programme) \(year) v\(number) \(format.rawValue): SHA-256 differs from the one stored at freezing")
            }
            return file
        }
    }

    public func addFile(_ file: ReportFile, programme: String, year: Int, number: Int) async throws -> ReportFile {
        if let existing = try await self.file(programme: programme, year: year, number: number, format: file.format) {
            return existing
        }
        do {
            try await database.transaction { db in
                guard let row = try await db.select().column("id").from("report_versions")
                    .where("programme_slug", .equal, programme).where("year", .equal, year)
                    .where("number", .equal, number).first() else {
                    throw DomainError.notFound("version \(number) of the \(year) report")
                }
                try await Self.insert(file, versionID: try row.decode(column: "id", as: Int64.self), on: db)
            }
            return file
        } catch where ConstraintViolation.isUnique(error) {
            // Another request stored it first; theirs is the one kept.
            return try await self.file(programme: programme, year: year, number: number, format: file.format) ?? file
        }
    }
}

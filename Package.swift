// swift-tools-version: 6.1
import PackageDescription

// Target boundaries (see docs/architecture.md):
//   OtwartyCore    – the domain; imports no web framework and no database driver.
//   OtwartyStorage – SQL implementations of Core's storage protocols (SQLKit over SQLite/PostgreSQL).
//   OtwartyDocuments – writes OpenDocument text (ODT); no domain knowledge.
//   OtwartyWeb     – HTTP: routes, controllers, page models, templates; sees storage only via Core's protocols.
//   OtwartyApp     – the bootstrap: configuration, buildApplication, CLI commands; the one place that links everything.
//   otwarty        – the executable, a thin shell over OtwartyApp.
let package = Package(
    name: "otwarty",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "otwarty", targets: ["otwarty"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Already in the graph through the packages above; named so that every module a target
        // imports is declared (CI builds with --explicit-target-dependency-import-check error).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // /metrics: Prometheus text over swift-metrics, which Hummingbird's MetricsMiddleware reports to.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        // Small-count suppression for public statistics; pure Swift, no dependencies.
        .target(name: "OtwartySuppression"),
        // QR codes drawn as SVG (second-factor enrolment); pure Swift, no dependencies.
        .target(name: "OtwartyQR"),
        // The few C entry points of the SQLite that sqlite-nio bundles, for the import's
        // prepared-statement path (declarations only: sqlite-nio's C module is not a product).
        .target(name: "CSQLiteDirect"),
        .target(
            name: "OtwartyCore",
            dependencies: [
                "OtwartySuppression",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt, the memory-hard KDF that wraps incident handlers' private keys (docs/incidents.md).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        // The synthetic history of `otwarty demo` and `otwarty bench`: invented organisations, texts
        // and records generated from a seed; only its storing (DemoDataLoader) is in Core.
        .target(name: "OtwartyDemo", dependencies: ["OtwartyCore"], resources: [.copy("Resources")]),
        .target(
            name: "OtwartyStorage",
            dependencies: [
                "OtwartyCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                // The import: COPY FROM STDIN (PostgresConnection.copyFrom); CSQLiteDirect its SQLite path.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "CSQLiteDirect",
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // OpenDocument text files; knows nothing of the programme (the web layer lays reports out).
        .target(
            name: "OtwartyDocuments",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "OtwartyWeb",
            dependencies: [
                "OtwartyCore", "OtwartyDocuments", "OtwartyQR", "OtwartySuppression",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "OtwartyApp",
            dependencies: [
                "OtwartyCore", "OtwartyStorage", "OtwartyWeb", "OtwartyDemo", "OtwartyQR",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "otwarty", dependencies: ["OtwartyApp"]),
        // What the test suites share (the settable clock); built only for the tests.
        .target(name: "OtwartyTestSupport", dependencies: ["OtwartyCore"], path: "Tests/OtwartyTestSupport"),
        .testTarget(
            name: "OtwartyCoreTests",
            dependencies: ["OtwartyCore", "OtwartySuppression", "OtwartyTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "OtwartyDemoTests", dependencies: ["OtwartyDemo", "OtwartyCore"]),
        .testTarget(name: "OtwartySuppressionTests", dependencies: ["OtwartySuppression", "OtwartyTestSupport"]),
        .testTarget(name: "OtwartyQRTests", dependencies: ["OtwartyQR"]),
        .testTarget(
            name: "OtwartyDocumentsTests",
            dependencies: ["OtwartyDocuments", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(
            name: "OtwartyStorageTests",
            dependencies: [
                "OtwartyCore", "OtwartyStorage", "OtwartyDemo", "OtwartyTestSupport",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "OtwartyAppTests",
            dependencies: [
                "OtwartyCore", "OtwartyStorage", "OtwartyWeb", "OtwartyApp", "OtwartyDocuments", "OtwartyTestSupport", "OtwartyQR",
                // The incident-key tests attack sealed values with swift-crypto itself.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

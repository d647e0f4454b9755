// swift-tools-version:6.2
import PackageDescription

/// Our own targets build in Swift 6 language mode with every warning treated as an error.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "Lembra",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lembra", targets: ["lembra"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    ],
    targets: [
        // libcurl as a system library, with typed wrappers over its variadic C functions.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // libpq, PostgreSQL's C client, as a system library.
        .systemLibrary(name: "CLibpq", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // SQLite's C API, the one GRDB links: the tick's hottest statements bind values to it directly.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Pure domain: no I/O, every decision takes `now`.
        .target(name: "LembraCore", swiftSettings: strict),
        // The SQLite ledger. SQL lives here and nowhere else.
        .target(name: "LembraStore", dependencies: [
            "LembraCore", "CSQLite",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        // The PostgreSQL ledger shared by several daemons: libpq, schema, leases, every ledger role.
        .target(name: "LembraPostgres", dependencies: ["CLibpq", "LembraCore", "LembraStore"], swiftSettings: strict),
        // libcurl channels (SMTP, webhook) and the outbox. curl lives here and nowhere else.
        // LembraCore only for the one e-mail address rule shared with CSV import.
        .target(name: "LembraDelivery", dependencies: [
            "LembraCore", "CCurl",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // The payments HTTP ingress (Hummingbird): parses and verifies confirmations and hands
        // them to the ledger off the event loops. Standard Webhooks verification is LembraDelivery's.
        .target(name: "LembraIngress", dependencies: [
            "LembraCore", "LembraStore", "LembraDelivery",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // Config, templates, the tick, the run loop.
        .target(name: "LembraDaemon", dependencies: [
            "LembraCore", "LembraStore", "LembraDelivery", "LembraIngress", "LembraPostgres",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // `make bench`: benchmark harness and data generators (not installed).
        .executableTarget(name: "lembra-bench", dependencies: ["LembraCore", "LembraStore", "LembraDelivery", "LembraDaemon"], path: "bench/LembraBench",
                          swiftSettings: strict),
        .executableTarget(name: "lembra", dependencies: [
            "LembraDaemon", "LembraCore", "LembraStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),

        // Shared helpers for tests: real servers (aiosmtpd, webhook receiver), temp dirs, the built binary.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "LembraCoreTests", dependencies: ["LembraCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "LembraStoreTests", dependencies: ["LembraStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: strict),
        .testTarget(name: "LembraPostgresTests", dependencies: ["LembraPostgres", "LembraStore", "TestSupport"], swiftSettings: strict),
        // Every ledger behaviour the tick, imports and controls rely on, run against SQLite and PostgreSQL.
        .testTarget(name: "LedgerContractTests", dependencies: ["LembraCore", "LembraStore", "LembraPostgres", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "LembraDeliveryTests", dependencies: ["LembraDelivery", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "LembraIngressTests", dependencies: ["LembraIngress", "LembraStore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "LembraDaemonTests", dependencies: [
            "LembraDaemon", "TestSupport",
            .product(name: "Mustache", package: "swift-mustache"), // the original [String: Any] context, as a test oracle
            .product(name: "GRDB", package: "GRDB.swift"), // a second connection holding the ledger's write lock
        ], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], swiftSettings: strict),
    ]
)

// swift-tools-version: 6.2
//
// Merit: customer-experience data → weighted, auditable performance ratings,
// bonuses and training recommendations (see README.md and docs/).
//
// Layout (data flows one way: read → validate → evaluate → render/write):
//   MeritEngine  pure rules: periods, metrics, curves, totals, bands, money, bonus, training, next band
//   MeritInput   adapters that read: streaming CSV, value parsers, mapping, datasets, rubric YAML
//   MeritReport  renderers: the JSON conformance document, the terminal table, the scorecard
//   MeritWorkbook the HR workbook (docs/reference.md §14), over CXLSXWriter (libxlsxwriter)
//   MeritDemo    the reproducible sample company (demo, tests, benchmarks)
//   MeritSQL     the store's one interface: values, rows, transactions (both databases implement it)
//   MeritStore   workspaces (docs/reference.md §10): lifecycle, audit, history, access; the SQLite backend
//   MeritPostgres the PostgreSQL backend: location, credentials, migrations, transactions over postgres-nio
//   MeritServer  `merit serve`: finalized scorecards over HTTP (Hummingbird)
//   merit        the CLI: parse arguments, call the modules, map errors to exit codes
//   merit-fuzz   libFuzzer targets for every reader (make fuzz); the ordinary build replays saved inputs
//
// Built and tested on Linux (Debian 12) with Swift 6.2 and later: the code uses Glibc and InlineArray, so no
// Apple platform is declared.
import PackageDescription

/// The hot loops of the engine and the readers run over millions of rows; the
/// compiler already proves exclusive access statically, and the run-time
/// re-check of every captured variable cost about 5 % of a large review
/// (measured with perf, issue: company scale). Debug builds keep the check.
let hotLoopSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Merit",
    products: [
        .executable(name: "merit", targets: ["merit"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already Hummingbird's; named for the server's connection guard (a channel handler of HTTP parts).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // Already Hummingbird's; named for the server's request log (docs/server.md "Operating the server").
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The server's /metrics in Prometheus's text format, from a registry each server owns (no global bootstrap).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The PostgreSQL backend's wire protocol and connection pool (issue 19, docs/postgresql.md).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The engine's per-row cache prefetch hint (C, header-only); no I/O, no state.
        .target(name: "CMeritHints"),
        // The CSV split's SIMD block marks (C, header-only), for MeritInput's scanner alone; no I/O, no state.
        .target(name: "CCSVScan"),
        .target(name: "MeritEngine", dependencies: ["CMeritHints"], swiftSettings: hotLoopSettings),
        .target(
            name: "MeritInput",
            dependencies: [
                "MeritEngine", "CCSVScan",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: hotLoopSettings
        ),
        .target(name: "MeritReport", dependencies: ["MeritEngine", .product(name: "Rainbow", package: "Rainbow")]),
        // libxlsxwriter, the C library that writes the HR workbook (Debian: libxlsxwriter-dev).
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // The workbook's zip parts deflated at zlib level 1 (libxlsxwriter has no option for it; see the C file).
        .target(name: "CWorkbookDeflate", linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("z"), .linkedLibrary("pthread")]),
        // Removes a half-written output when a signal stops the process (async-signal-safe, so in C).
        .target(name: "CPartialFile"),
        // CWorkbookDeflate is never imported: it is linked for its symbols (the deflate interposition, ARCHITECTURE.md).
        .target(name: "MeritWorkbook", dependencies: ["MeritEngine", "MeritReport", "CXLSXWriter", "CWorkbookDeflate", "CPartialFile"]),
        .target(name: "MeritDemo", dependencies: ["MeritEngine", "MeritReport"]),
        // The store's one interface (docs/postgresql.md "One store, two databases"): values, rows, transactions.
        .target(name: "MeritSQL"),
        // The workspace (docs/reference.md §10): imported data, reviews and the audit log, in an embedded SQLite store
        // or in PostgreSQL.
        .target(
            name: "MeritStore",
            dependencies: [
                "MeritEngine", "MeritInput", "MeritReport", "MeritSQL", "MeritPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The PostgreSQL backend (issue 19, docs/postgresql.md): where the server is, its password, the schema as
        // migrations, and the store's interface over postgres-nio. Independent of GRDB and of MeritStore.
        .target(
            name: "MeritPostgres",
            dependencies: [
                "MeritSQL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Self-service scorecards over HTTP (issue 6): routes, token authentication, the failure limiter.
        .target(
            name: "MeritServer",
            dependencies: [
                "MeritReport", "MeritStore", "MeritSQL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "merit",
            dependencies: [
                "MeritEngine", "MeritInput", "MeritReport", "MeritDemo", "MeritWorkbook", "MeritStore", "MeritServer", "MeritPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // ~/.config/merit/client.yaml, the client's server and token file
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // libFuzzer targets for the readers (`make fuzz`, docs/fuzzing.md); the ordinary build replays saved inputs.
        .executableTarget(name: "merit-fuzz", dependencies: ["MeritEngine", "MeritInput"]),
        // Speed and memory measurements for `make bench` (never a timed unit test).
        .executableTarget(name: "merit-bench", dependencies: ["MeritEngine", "MeritInput", "MeritWorkbook", "MeritDemo"]),
        // What several test targets share (issue 15): the built binary run as a user would, the scorecard workspace,
        // the tests' own CSV reader and column checks. A library, not a test target, so test targets can depend on it.
        .target(name: "MeritTestSupport", dependencies: ["MeritReport"], path: "Tests/MeritTestSupport"),
        .testTarget(
            name: "MeritEngineTests",
            dependencies: [
                "MeritEngine", "MeritDemo",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "MeritReportTests", dependencies: ["MeritReport", "MeritEngine", "MeritTestSupport"]),
        .testTarget(
            name: "MeritInputTests",
            dependencies: [
                "MeritInput", "MeritEngine", "MeritDemo", "MeritReport", "CCSVScan",
                // hostile workbooks (zip bombs, huge cells) are built in the tests, not stored as fixtures
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MeritWorkbookTests",
            dependencies: [
                "MeritWorkbook", "MeritInput", "MeritEngine", "MeritReport", "CWorkbookDeflate",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(name: "MeritDemoTests", dependencies: ["MeritDemo"]),
        .testTarget(
            name: "MeritStoreTests",
            dependencies: [
                "MeritStore", "MeritSQL", "MeritInput", "MeritEngine", "MeritPostgres", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // Against a real PostgreSQL server (MERIT_TEST_DATABASE_URL, set by scripts/with-postgres.sh under make test).
        .testTarget(
            name: "MeritPostgresTests",
            dependencies: [
                "MeritPostgres", "MeritSQL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `merit migrate-store` end to end: the real binary, real SQLite files and the PostgreSQL test server (fresh
        // databases made and dropped over PostgresNIO), the copies read back through MeritStore and, to tamper, GRDB.
        .testTarget(
            name: "MeritMigrateStoreTests",
            dependencies: [
                "MeritStore", "MeritSQL", "MeritPostgres", "MeritTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MeritServerTests",
            dependencies: [
                "MeritServer", "MeritStore", "MeritTestSupport",
                // token rows read back as stored (expiry, last use)
                .product(name: "GRDB", package: "GRDB.swift"),
                // the routes answered in-process (app.test(.router)), on a store the real binary built
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // the request log read back through a LogHandler of the test's own
                .product(name: "Logging", package: "swift-log"),
                // docs/openapi.yaml read back, route by route
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "MeritCLITests",
            dependencies: [
                // MeritReport: display widths, to check that tables fit 80 columns
                "MeritInput", "MeritReport", "MeritTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // the workspace-equals-evaluate property (random companies imported in overlapping batches)
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)

// swift-tools-version:6.1
import PackageDescription

// Module map (a folder per module under Sources/):
//   CLibPQ          system library over libpq
//   BatonJSON       the JSON value every other module passes around (ordered objects, exact integers)
//   BatonPostgres   the only way Baton talks to PostgreSQL (libpq on threads Baton owns)
//   BatonSchema     migrations in sql/ and the schema-version check
//   ASLExpressions  reference paths, JSONPath, payload templates, intrinsic functions (pure)
//   ASLChoice       Choice rules (pure)
//   ASLDocument     loading a definition (JSON/YAML, substitutions) and validating it with locations (pure)
//   ASLCore         the typed definition and the interpreter: events in, actions out (pure)
//   JSONata         the JSONata evaluator (pure)
//   BatonQueue      the task queue and worker registry in SQL: enqueue, claim (SKIP LOCKED), lease, result, rescue
//   BatonFunctions  running a function as `/bin/sh -c COMMAND` (process group, bounded output, timeout)
//   BatonWorker     the worker runtime: a Swift library for function authors, and `baton worker --exec`
//   BatonEngine     the coordinator: applies inbox work to executions through ASLCore, one transaction per step
//   BatonServer     the AWS Step Functions API over HTTP (AWS JSON 1.0, SigV4), webhooks, health
//   BatonBench      `baton bench`: throughput, latency, fan-out and memory of the engine with a no-op worker fleet
//   BatonLocal      the in-process runner that drives ASLCore with a clock and subprocesses
//   BatonTestSupport  (Tests/Support) helpers for integration tests: a database per suite, waiting with a deadline
//   BatonCLI        the `baton` commands; `baton` is a thin executable over it
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
        .executable(name: "baton-noop-worker", targets: ["baton-noop-worker"]),
        .library(name: "ASLCore", targets: ["ASLCore"]),
        .library(name: "BatonPostgres", targets: ["BatonPostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "BatonJSON",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strict
        ),
        .target(
            name: "BatonPostgres",
            dependencies: ["CLibPQ", "BatonJSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "BatonSchema",
            dependencies: ["BatonPostgres", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "ASLExpressions",
            dependencies: ["BatonJSON", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "ASLChoice",
            dependencies: ["BatonJSON", "ASLExpressions"],
            swiftSettings: strict
        ),
        .target(
            name: "ASLDocument",
            dependencies: ["BatonJSON", "ASLExpressions", "ASLChoice", "JSONata", "Yams"],
            swiftSettings: strict
        ),
        .target(
            name: "ASLCore",
            dependencies: ["BatonJSON", "ASLExpressions", "ASLChoice", "ASLDocument", "JSONata"],
            swiftSettings: strict
        ),
        .target(
            name: "JSONata",
            dependencies: ["BatonJSON"],
            swiftSettings: strict
        ),
        .target(
            name: "BatonFunctions",
            dependencies: [],
            swiftSettings: strict
        ),
        .target(
            name: "BatonQueue",
            dependencies: ["BatonJSON", "BatonPostgres", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "BatonWorker",
            dependencies: [
                "BatonJSON", "BatonPostgres", "BatonQueue", "BatonSchema", "BatonFunctions",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BatonEngine",
            dependencies: [
                "BatonJSON", "BatonPostgres", "BatonSchema", "BatonQueue", "ASLExpressions", "ASLDocument", "ASLCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BatonServer",
            dependencies: [
                "BatonJSON", "BatonPostgres", "BatonSchema", "BatonQueue", "BatonEngine", "ASLDocument", "ASLCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BatonBench",
            dependencies: [
                "BatonJSON", "BatonPostgres", "BatonSchema", "BatonEngine", "BatonWorker", "ASLCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BatonLocal",
            dependencies: ["BatonJSON", "ASLCore", "BatonFunctions", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "BatonCLI",
            dependencies: [
                "BatonJSON", "BatonPostgres", "BatonSchema", "ASLDocument", "ASLCore", "BatonLocal", "JSONata",
                "BatonQueue", "BatonWorker", "BatonEngine", "BatonServer", "BatonBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BatonTestSupport",
            dependencies: ["BatonPostgres", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support",
            swiftSettings: strict
        ),
        .executableTarget(name: "baton", dependencies: ["BatonCLI"], swiftSettings: strict),
        // The benchmark's worker process: a function author's smallest worker executable (BatonWorker only).
        .executableTarget(
            name: "baton-noop-worker",
            dependencies: [
                "BatonWorker", "BatonPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "BatonJSONTests", dependencies: ["BatonJSON"], swiftSettings: strict),
        .testTarget(name: "BatonPostgresTests", dependencies: ["BatonPostgres", "BatonTestSupport"], swiftSettings: strict),
        .testTarget(name: "BatonSchemaTests", dependencies: ["BatonSchema", "BatonPostgres", "BatonTestSupport"], swiftSettings: strict),
        .testTarget(name: "ASLExpressionsTests", dependencies: ["ASLExpressions", "BatonJSON"], swiftSettings: strict),
        .testTarget(name: "ASLChoiceTests", dependencies: ["ASLChoice", "BatonJSON"], swiftSettings: strict),
        .testTarget(name: "ASLDocumentTests", dependencies: ["ASLDocument", "BatonJSON"], swiftSettings: strict),
        .testTarget(name: "ASLCoreTests", dependencies: ["ASLCore", "ASLDocument", "JSONata", "BatonJSON"], swiftSettings: strict),
        .testTarget(name: "BatonCLITests", dependencies: ["BatonTestSupport"], swiftSettings: strict),
        .testTarget(name: "JSONataTests", dependencies: ["JSONata", "BatonJSON", "BatonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "BatonWorkerTests",
            dependencies: ["BatonWorker", "BatonQueue", "BatonSchema", "BatonPostgres", "BatonTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BatonEngineTests",
            dependencies: ["BatonEngine", "BatonQueue", "BatonWorker", "BatonSchema", "BatonPostgres", "BatonTestSupport", "ASLCore", "BatonLocal"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BatonServerTests",
            dependencies: [
                "BatonServer", "BatonEngine", "BatonSchema", "BatonPostgres", "BatonTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["BatonJSON", "BatonTestSupport"],
            exclude: ["lambdas", "conformance-floor.txt", "conformance-jsonata-floor.txt"],  // read at run time, not compiled
            swiftSettings: strict
        ),
    ]
)

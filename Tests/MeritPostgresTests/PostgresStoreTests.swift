import Foundation
import MeritPostgres
import MeritSQL
import Synchronization
import XCTest

/// `PostgresStore` against a real server (scripts/with-postgres.sh): values round-trip bit for bit, transactions are
/// all or nothing, reads see one snapshot, writers take turns, bulk inserts batch, and leases never leak.
final class PostgresStoreTests: XCTestCase {
    /// Every storage class reads back as the very value written: the audit chain and seals hash these values.
    func testEveryValueKindRoundTripsExactly() async throws {
        var random = SystemRandomNumberGenerator()
        let mebibyte = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) })
        let integers: [Int64] = [.min, .max, 0, -1, 1]
        let reals: [Double] = [0.1, 1e308, -0.0, 0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -2.5]
        let texts = ["", "a", "héllo wörld", "👩‍👩‍👧 ✓ 日本語", "it's \"quoted\" ? -- not a comment", String(repeating: "x", count: 100_000)]
        let blobs = [Data(), Data([0]), Data([0, 1, 254, 255]), mebibyte]
        try await TestServer.withStore { store, _ in
            try store.write { db in
                try db.execute(sql: "CREATE TABLE v (id bigint PRIMARY KEY, i bigint, r double precision, t text, b bytea)")
                var id: Int64 = 0
                for value in integers {
                    id += 1
                    try db.execute(sql: "INSERT INTO v (id, i) VALUES (?, ?)", arguments: [id, value])
                }
                for value in reals {
                    id += 1
                    try db.execute(sql: "INSERT INTO v (id, r) VALUES (?, ?)", arguments: [id, value])
                }
                for value in texts {
                    id += 1
                    try db.execute(sql: "INSERT INTO v (id, t) VALUES (?, ?)", arguments: [id, value])
                }
                for value in blobs {
                    id += 1
                    try db.execute(sql: "INSERT INTO v (id, b) VALUES (?, ?)", arguments: [id, value])
                }
                try db.execute(sql: "INSERT INTO v (id, i, r, t, b) VALUES (?, ?, ?, ?, ?)", arguments: [0, nil, nil, nil, nil])
            }
            try store.read { db in
                let rows = try db.fetchAll(sql: "SELECT id, i, r, t, b FROM v ORDER BY id")
                XCTAssertEqual(rows.count, integers.count + reals.count + texts.count + blobs.count + 1)
                XCTAssertEqual(rows[0].values, [.integer(0), .null, .null, .null, .null], "NULL stays NULL in every column")
                var index = 1
                for value in integers {
                    XCTAssertEqual(rows[index][value: "i"], .integer(value))
                    index += 1
                }
                for value in reals {
                    guard case .real(let read) = rows[index][value: "r"] else {
                        XCTFail("\(value) read back as \(rows[index][value: "r"])")
                        index += 1
                        continue
                    }
                    XCTAssertEqual(read.bitPattern, value.bitPattern, "\(value) read back as \(read)")
                    index += 1
                }
                for value in texts {
                    XCTAssertEqual(rows[index][value: "t"], .text(value), "empty text is not NULL")
                    index += 1
                }
                for value in blobs {
                    XCTAssertEqual(rows[index][value: "b"], .blob(value), "empty blob is not NULL")
                    index += 1
                }
                // Bound and returned without a table: the parameter's own type comes back.
                let echoed = try db.fetchAll(
                    sql: "SELECT ? AS i, ? AS r, ? AS t, ? AS b", arguments: [Int64.min, -0.0, "", Data([7])])
                XCTAssertEqual(echoed.first?.values, [.integer(.min), .real(-0.0), .text(""), .blob(Data([7]))])
                XCTAssertEqual(echoed.first?.columns.names, ["i", "r", "t", "b"])
            }
        }
    }

    /// Expressions give types the schema's columns do not have; they read as SQLite would give them.
    func testExpressionTypesReadAsTheStoresValues() async throws {
        try await TestServer.withStore { store, _ in
            try store.read { db in
                let row = try XCTUnwrap(
                    db.fetchOne(
                        sql: """
                            SELECT 7::int2 AS a, -8::int4 AS b, true AS c, false AS d, 12.00::numeric AS e, -12.5::numeric AS f,
                                   'NaN'::numeric AS g, 'x'::varchar AS h, 'ab'::char(3) AS i, 1.5::float4 AS j, NULL::int4 AS k,
                                   123456789012345678901234567890::numeric AS l, 0.000123::numeric AS m, current_user::name AS n
                            """))
                var comparable = Array(row.values.prefix(13))
                comparable[6] = .null  // NaN is never equal to itself: checked below
                XCTAssertEqual(
                    comparable,
                    [
                        .integer(7), .integer(-8), .integer(1), .integer(0), .integer(12), .real(-12.5), .null, .text("x"), .text("ab "),
                        .real(1.5), .null, .real(123456789012345678901234567890.0), .real(0.000123),
                    ])
                guard case .real(let nan) = row.values[6] else { return XCTFail("NaN numeric: \(row.values[6])") }
                XCTAssertTrue(nan.isNaN)
                XCTAssertEqual(row.columns.names, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n"])
                XCTAssertEqual(
                    try scalar(db, "SELECT sum(x) FROM (VALUES (9223372036854775807::bigint), (1::bigint)) t(x)"), .real(9223372036854775808.0))
                XCTAssertEqual(try scalar(db, "SELECT sum(x) FROM (VALUES (40::bigint), (2::bigint)) t(x)"), .integer(42))
                XCTAssertEqual(try scalar(db, "SELECT count(*) FROM (VALUES (1), (2)) t(x)"), .integer(2))
            }
            // A type the store does not read is refused by column and type, and the store goes on.
            let error = expectStoreError { _ = try store.read { db in try db.fetchAll(sql: "SELECT now() AS stamp") } }
            XCTAssertTrue("\(error as Any)".contains("column stamp has type timestamptz"), "\(error as Any)")
            XCTAssertEqual(try store.read { db in try scalar(db, "SELECT 1::bigint") }, .integer(1))
        }
    }

    func testExecuteReturnsTheRowsItChanged() async throws {
        try await TestServer.withStore { store, _ in
            try store.write { db in
                XCTAssertEqual(try db.execute(sql: "CREATE TABLE c (id bigint PRIMARY KEY, n bigint)"), 0)
                XCTAssertEqual(try db.execute(sql: "INSERT INTO c VALUES (?, ?), (?, ?), (?, ?)", arguments: [1, 10, 2, 20, 3, 30]), 3)
                XCTAssertEqual(try db.execute(sql: "UPDATE c SET n = n + 1 WHERE n >= ?", arguments: [20]), 2)
                XCTAssertEqual(try db.execute(sql: "UPDATE c SET n = 0 WHERE id = ?", arguments: [99]), 0)
                XCTAssertEqual(try db.execute(sql: "INSERT INTO c VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [1, 0]), 0)
                XCTAssertEqual(try db.insertReturningID(sql: "INSERT INTO c (id, n) VALUES (?, ?)", arguments: [4, 40]), 4)
                XCTAssertEqual(try db.execute(sql: "DELETE FROM c"), 4)
            }
        }
    }

    /// A throw inside `write` undoes everything the body did, tables included, and arrives as the body's own error.
    func testAThrowInsideWriteRollsBackEverything() async throws {
        struct Mine: Error, Equatable { var code: Int }
        try await TestServer.withStore { store, _ in
            try store.write { db in _ = try db.execute(sql: "CREATE TABLE r (id bigint PRIMARY KEY)") }
            do {
                try store.write { db in
                    try db.execute(sql: "INSERT INTO r VALUES (1), (2)")
                    try db.execute(sql: "CREATE TABLE s (id bigint)")
                    throw Mine(code: 42)
                }
                XCTFail("the body's error was lost")
            } catch let error as Mine {
                XCTAssertEqual(error, Mine(code: 42))
            }
            try store.read { db in
                XCTAssertEqual(try scalar(db, "SELECT count(*) FROM r"), .integer(0))
                XCTAssertEqual(try scalar(db, "SELECT to_regclass('s') IS NULL"), .integer(1))
            }
            // A failed statement the body swallowed must not pass for a commit (PostgreSQL answers COMMIT with ROLLBACK).
            let error = expectStoreError {
                try store.write { db in
                    try db.execute(sql: "INSERT INTO r VALUES (3)")
                    _ = try? db.execute(sql: "INSERT INTO r VALUES (3)")
                }
            }
            XCTAssertEqual(error, .io("the transaction was rolled back: a statement in it had failed"))
            XCTAssertEqual(try store.read { db in try scalar(db, "SELECT count(*) FROM r") }, .integer(0))
        }
    }

    func testConstraintAndTriggerViolationsAreRefusals() async throws {
        try await TestServer.withStore { store, _ in
            try store.write { db in _ = try db.execute(sql: "CREATE TABLE u (id bigint PRIMARY KEY, name text NOT NULL)") }
            try store.write { db in _ = try db.execute(sql: "INSERT INTO u VALUES (1, 'a')") }
            let duplicate = expectStoreError {
                try store.write { db in _ = try db.execute(sql: "INSERT INTO u VALUES (?, ?)", arguments: [1, "b"]) }
            }
            guard case .refused(let message) = duplicate else { return XCTFail("\(duplicate as Any)") }
            XCTAssertTrue(message.contains("duplicate key value violates unique constraint \"u_pkey\""), message)
            let null = expectStoreError { try store.write { db in _ = try db.execute(sql: "INSERT INTO u VALUES (2, NULL)") } }
            guard case .refused = null else { return XCTFail("\(null as Any)") }
            let syntax = expectStoreError { try store.write { db in _ = try db.execute(sql: "SELEC 1") } }
            guard case .io(let text) = syntax else { return XCTFail("\(syntax as Any)") }
            XCTAssertTrue(text.contains("syntax error"), text)
            let arity = expectStoreError { try store.read { db in _ = try db.execute(sql: "SELECT ?", arguments: [1, 2]) } }
            XCTAssertEqual(arity, .usage("the statement takes 1 arguments, 2 were given: SELECT ?"))
            let many = expectStoreError {
                _ = try store.read { db in
                    try db.execute(
                        sql: "SELECT " + Array(repeating: "?", count: 70_000).joined(separator: ", "),
                        arguments: StoreArguments(Array(repeating: .integer(1), count: 70_000)))
                }
            }
            XCTAssertEqual(many, .usage("a statement has more than 65,535 parameters, PostgreSQL's limit"))
        }
    }

    /// The migrated schema's guard triggers surface as `.refused` with the trigger's own message, as on SQLite.
    func testTheMigratedAuditLogRefusesAnUpdate() async throws {
        try await TestServer.withFreshDatabase { location in
            try await withPostgres(location, password: nil) { client in
                try await PostgresMigrator().migrate(client, logger: TestServer.logger)
            }
            try await onThread {
                let store = try PostgresStore(location: location, password: nil)
                defer { store.close() }
                let id = try store.write { db in
                    try db.insertReturningID(
                        sql: "INSERT INTO audit_log (at, by, action) VALUES (?, ?, ?)", arguments: ["2026-01-01T00:00:00Z", "hr", "import"])
                }
                let error = expectStoreError {
                    try store.write { db in _ = try db.execute(sql: "UPDATE audit_log SET reason = ? WHERE id = ?", arguments: ["edited", id]) }
                }
                XCTAssertEqual(error, .refused("the audit log is append-only"))
                let deleted = expectStoreError { try store.write { db in _ = try db.execute(sql: "DELETE FROM audit_log") } }
                XCTAssertEqual(deleted, .refused("the audit log is append-only"))
                XCTAssertEqual(try store.read { db in try scalar(db, "SELECT count(*) FROM audit_log WHERE reason IS NULL") }, .integer(1))
            }
        }
    }

    /// A read keeps its snapshot while a write commits on another thread; the next read sees the write.
    func testAReadSeesOneSnapshotWhileAWriteCommits() async throws {
        try await TestServer.withStore { store, _ in
            try store.write { db in
                try db.execute(sql: "CREATE TABLE s (id bigint PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO s VALUES (1)")
            }
            let readStarted = DispatchSemaphore(value: 0)
            let writeCommitted = DispatchSemaphore(value: 0)
            let reader = Worker { () throws -> [StoreValue] in
                try store.read { db in
                    let before = try scalar(db, "SELECT count(*) FROM s")
                    readStarted.signal()
                    guard writeCommitted.wait(timeout: .now() + 20) == .success else { throw StoreTestFailure("the write never committed") }
                    let after = try scalar(db, "SELECT count(*) FROM s")
                    let rows = try db.fetchAll(sql: "SELECT id FROM s ORDER BY id").map { $0.values[0] }
                    return [before, after] + rows
                }
            }
            let writer = Worker {
                guard readStarted.wait(timeout: .now() + 20) == .success else { throw StoreTestFailure("the read never started") }
                try store.write { db in _ = try db.execute(sql: "INSERT INTO s VALUES (2), (3)") }
                writeCommitted.signal()
            }
            try writer.join()
            XCTAssertEqual(try reader.join(), [.integer(1), .integer(1), .integer(1)], "the read saw only its snapshot")
            XCTAssertEqual(try store.read { db in try scalar(db, "SELECT count(*) FROM s") }, .integer(3))
        }
    }

    /// A second writer waits for the first, says so once, and then sees what the first committed.
    func testASecondWriterWaitsItsTurnAndSaysSoOnce() async throws {
        try await TestServer.withFreshDatabase { location in
            try await onThread {
                let notices = Counter()
                let first = try PostgresStore(location: location, password: nil)
                let second = try PostgresStore(location: location, password: nil, waitingNotice: { notices.increment() })
                defer {
                    first.close()
                    second.close()
                }
                try first.write { db in
                    try db.execute(sql: "CREATE TABLE k (id bigint PRIMARY KEY, n bigint NOT NULL)")
                    try db.execute(sql: "INSERT INTO k VALUES (1, 0)")
                }
                let holding = DispatchSemaphore(value: 0)
                let holder = Worker {
                    try first.write { db in
                        try db.execute(sql: "UPDATE k SET n = 10")
                        holding.signal()
                        Thread.sleep(forTimeInterval: 0.5)
                    }
                }
                guard holding.wait(timeout: .now() + 20) == .success else { throw StoreTestFailure("the first writer never began") }
                let seen = try second.write { db -> StoreValue in
                    let n = try scalar(db, "SELECT n FROM k")
                    try db.execute(sql: "UPDATE k SET n = n + 1")
                    return n
                }
                try holder.join()
                XCTAssertEqual(seen, .integer(10), "the second writer ran after the first committed")
                XCTAssertEqual(notices.count, 1)
                XCTAssertEqual(try second.read { db in try scalar(db, "SELECT n FROM k") }, .integer(11))
                try second.write { _ in }
                XCTAssertEqual(notices.count, 1, "no notice when the lock is free")
            }
        }
    }

    /// Read-modify-write from two threads: without the writer lock READ COMMITTED would lose increments.
    func testTwoWritersNeverLoseAnUpdate() async throws {
        try await TestServer.withStore { store, _ in
            try store.write { db in
                try db.execute(sql: "CREATE TABLE k (id bigint PRIMARY KEY, n bigint NOT NULL)")
                try db.execute(sql: "INSERT INTO k VALUES (1, 0)")
            }
            let workers = (0..<2).map { _ in
                Worker {
                    for _ in 0..<50 {
                        try store.write { db in
                            guard case .integer(let n) = try scalar(db, "SELECT n FROM k WHERE id = 1") else { throw StoreTestFailure("no n") }
                            try db.execute(sql: "UPDATE k SET n = ? WHERE id = 1", arguments: [n + 1])
                        }
                    }
                }
            }
            for worker in workers { try worker.join() }
            XCTAssertEqual(try store.read { db in try scalar(db, "SELECT n FROM k") }, .integer(100))
        }
    }

    /// A serialization failure or deadlock is retried (the whole transaction), up to three attempts in all.
    func testASerializationFailureIsRetried() async throws {
        try await TestServer.withStore { store, _ in
            try store.write { db in _ = try db.execute(sql: "CREATE TABLE t (id bigint)") }
            let raise = "DO $$ BEGIN RAISE EXCEPTION USING MESSAGE = 'could not serialize', ERRCODE = 'serialization_failure'; END $$"
            let attempts = Counter()
            try store.write { db in
                attempts.increment()
                try db.execute(sql: "INSERT INTO t VALUES (1)")
                if attempts.count == 1 { try db.execute(sql: raise) }
            }
            XCTAssertEqual(attempts.count, 2)
            XCTAssertEqual(try store.read { db in try scalar(db, "SELECT count(*) FROM t") }, .integer(1), "the failed attempt left nothing")
            let always = Counter()
            let error = expectStoreError {
                try store.write { db in
                    always.increment()
                    try db.execute(sql: raise.replacingOccurrences(of: "serialization_failure", with: "deadlock_detected"))
                }
            }
            XCTAssertEqual(always.count, 3)
            XCTAssertEqual(error, .busy("could not serialize; try again"))
        }
    }

    /// 5,000 rows of 7 columns in one call (five statements of 1,000 rows), an ON CONFLICT suffix kept, a table wide
    /// enough that 1,000 rows would pass PostgreSQL's 65,535 parameters, and a statement that is not an INSERT.
    func testExecuteManyInsertsInBatches() async throws {
        try await TestServer.withStore { store, _ in
            let rows: [[StoreValue]] = (0..<5_000).map { (i: Int) -> [StoreValue] in
                let n = Int64(i)
                let odd: StoreValue = i % 2 == 0 ? .null : .integer(-n)
                return [
                    .integer(n), .real(Double(i) / 3), .text("name \(i) ✓"), .blob(Data([UInt8(i % 256), 0])), odd, .text(""),
                    .integer(Int64.max - n),
                ]
            }
            try store.write { db in
                try db.execute(
                    sql: "CREATE TABLE m (id bigint PRIMARY KEY, r double precision, t text, b bytea, o bigint, e text, x bigint)")
                try db.executeMany(sql: "INSERT INTO m (id, r, t, b, o, e, x) VALUES (?, ?, ?, ?, ?, ?, ?)", rows: rows)
            }
            try store.read { db in
                XCTAssertEqual(try scalar(db, "SELECT count(*) FROM m"), .integer(5_000))
                XCTAssertEqual(try scalar(db, "SELECT sum(id) FROM m"), .integer(4_999 * 5_000 / 2))
                let read = try db.fetchAll(sql: "SELECT id, r, t, b, o, e, x FROM m ORDER BY id").map(\.values)
                XCTAssertEqual(read.count, rows.count)
                XCTAssertTrue(read == rows, "every value of every row as written")
            }
            try store.write { db in
                let again = (4_995..<5_005).map { i -> [StoreValue] in
                    [.integer(Int64(i)), .real(0), .text("new"), .blob(Data()), .null, .text(""), .integer(0)]
                }
                try db.executeMany(sql: "INSERT INTO m (id, r, t, b, o, e, x)\n VALUES (?,?,?,?,?,?,?)  ON CONFLICT DO NOTHING", rows: again)
                XCTAssertEqual(try scalar(db, "SELECT count(*) FROM m"), .integer(5_005))
                XCTAssertEqual(try scalar(db, "SELECT count(*) FROM m WHERE t = 'new'"), .integer(5), "the existing five were left alone")
                try db.executeMany(sql: "UPDATE m SET t = ? WHERE id = ?", rows: [[.text("one"), .integer(1)], [.text("two"), .integer(2)]])
                XCTAssertEqual(
                    try db.fetchAll(sql: "SELECT t FROM m WHERE id IN (1, 2) ORDER BY id").map { $0.values[0] }, [.text("one"), .text("two")])
                let columns = (0..<70).map { "c\($0)" }
                try db.execute(sql: "CREATE TABLE w (\(columns.map { "\($0) bigint" }.joined(separator: ", ")))")
                let wide = (0..<1_000).map { r in (0..<70).map { c in StoreValue.integer(Int64(r * 70 + c)) } }
                try db.executeMany(
                    sql: "INSERT INTO w (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: 70).joined(separator: ", ")))",
                    rows: wide)
                XCTAssertEqual(try scalar(db, "SELECT count(*) FROM w"), .integer(1_000))
                let expected: Int64 = (0..<1_000).reduce(0) { (sum: Int64, r: Int) in sum + Int64(r * 70 + 69) }
                XCTAssertEqual(try scalar(db, "SELECT sum(c69) FROM w"), .integer(expected))
                let short = expectStoreError { try db.executeMany(sql: "INSERT INTO w (c0, c1) VALUES (?, ?)", rows: [[.integer(1)]]) }
                guard case .usage = short else { return XCTFail("\(short as Any)") }
            }
        }
    }

    /// With every connection taken, a transaction fails after the lease deadline instead of hanging; the abandoned
    /// lease does not leak, so the one connection serves again once it is free.
    func testALeaseThatNeverComesFailsAndLeaksNothing() async throws {
        try await TestServer.withStore(maximumConnections: 1, leaseTimeout: .milliseconds(500)) { store, _ in
            try store.write { db in _ = try db.execute(sql: "CREATE TABLE l (id bigint)") }
            let holding = DispatchSemaphore(value: 0)
            let finish = DispatchSemaphore(value: 0)
            let holder = Worker {
                try store.write { db in
                    try db.execute(sql: "INSERT INTO l VALUES (1)")
                    holding.signal()
                    _ = finish.wait(timeout: .now() + 20)
                }
            }
            guard holding.wait(timeout: .now() + 20) == .success else { throw StoreTestFailure("the holder never began") }
            let started = Date()
            let error = expectStoreError { _ = try store.read { db in try db.fetchAll(sql: "SELECT 1") } }
            let waited = Date().timeIntervalSince(started)
            finish.signal()
            try holder.join()
            guard case .io(let message) = error else { return XCTFail("\(error as Any)") }
            XCTAssertTrue(message.contains("no database connection within 500 ms"), message)
            XCTAssertGreaterThanOrEqual(waited, 0.45)
            XCTAssertLessThan(waited, 5)
            for _ in 0..<3 {
                XCTAssertEqual(try store.read { db in try scalar(db, "SELECT count(*) FROM l") }, .integer(1))
            }
        }
    }

    /// Opening and closing a store twenty times leaves no session on the server; close() twice is harmless, and a
    /// closed store refuses work rather than hanging.
    func testStoresCloseWithoutLeakingConnections() async throws {
        try await TestServer.withFreshDatabase { location in
            try await onThread {
                for i in 0..<20 {
                    let store = try PostgresStore(location: location, password: nil, maximumConnections: 2)
                    if i == 0 { try store.write { db in _ = try db.execute(sql: "CREATE TABLE o (id bigint)") } }
                    try store.write { db in _ = try db.execute(sql: "INSERT INTO o VALUES (?)", arguments: [i]) }
                    XCTAssertEqual(try store.read { db in try scalar(db, "SELECT count(*) FROM o") }, .integer(Int64(i + 1)))
                    store.close()
                    store.close()
                    if i == 19 {
                        let closed = expectStoreError { try store.read { _ in } }
                        XCTAssertEqual(closed, .io("\(location): the store is closed"))
                    }
                }
                let watcher = try PostgresStore(location: location, password: nil, maximumConnections: 1)
                defer { watcher.close() }
                let others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                var count = StoreValue.null
                for _ in 0..<40 {
                    count = try watcher.read { db in try scalar(db, others) }
                    if count == .integer(0) { break }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                XCTAssertEqual(count, .integer(0), "sessions left open by closed stores")
            }
        }
    }

    /// A database that does not exist fails the store's creation within seconds, with the server's reason.
    func testAMissingDatabaseFailsAtOnce() async throws {
        var location = try TestServer.location()
        location.database = "no_such_database_\(UInt32.random(in: 0...UInt32.max))"
        let target = location
        let error = try await onThread { () -> PostgresStoreError? in
            expectStoreError { _ = try PostgresStore(location: target, password: nil) }
        }
        guard case .io(let message) = error else { return XCTFail("\(error as Any)") }
        XCTAssertTrue(message.contains("cannot connect: database \"\(target.database)\" does not exist"), message)
    }
}

import MeritPostgres
import MeritSQL
import XCTest

/// `readOne` (docs/postgresql.md "Several servers"): one SELECT without a transaction round it, for the server's
/// per-request reads; it sees what is committed, never a writer's uncommitted rows, and runs nothing but a SELECT.
final class PostgresReadOneTests: XCTestCase {
    func testOneSelectSeesWhatIsCommittedAndNothingElseRuns() async throws {
        try await TestServer.withStore { store, _ in
            _ = try store.write { db in
                try db.execute(sql: "CREATE TABLE t (id bigint PRIMARY KEY, name text)")
                return try db.execute(sql: "INSERT INTO t VALUES (?, ?), (?, ?)", arguments: [1, "one", 2, "two"])
            }
            let rows = try store.readOne(sql: "SELECT id, name FROM t WHERE id >= ? ORDER BY id", arguments: [1])
            XCTAssertEqual(rows.map(\.values), [[.integer(1), .text("one")], [.integer(2), .text("two")]])
            XCTAssertEqual(rows.first?.columns.names, ["id", "name"])
            // A writer's rows are not seen before it commits.
            let seenInside: [StoreRow] = try store.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (3, 'three')")
                return try store.readOne(sql: "  select count(*) FROM t", arguments: [])
            }
            XCTAssertEqual(seenInside.first?.values, [.integer(2)])
            XCTAssertEqual(try store.readOne(sql: "SELECT count(*) FROM t", arguments: []).first?.values, [.integer(3)])
            for sql in ["DELETE FROM t", "UPDATE t SET name = 'x'", "INSERT INTO t VALUES (4, 'four')"] {
                guard case .usage? = expectStoreError({ _ = try store.readOne(sql: sql, arguments: []) }) else {
                    return XCTFail("not refused as a usage error: \(sql)")
                }
            }
            XCTAssertEqual(try store.readOne(sql: "SELECT count(*) FROM t", arguments: []).first?.values, [.integer(3)])
        }
    }
}

import XCTest

@testable import MeritPostgres

/// SQLite's `?` placeholders numbered for PostgreSQL, and the multi-row INSERT that executeMany sends (no server).
final class PostgresPlaceholderTests: XCTestCase {
    private func translated(_ sql: String) throws -> String { try PostgresPlaceholders.translate(sql).sql }

    func testPlaceholdersAreNumberedInOrder() throws {
        XCTAssertEqual(try translated("SELECT * FROM t WHERE a = ? AND b = ?"), "SELECT * FROM t WHERE a = $1 AND b = $2")
        XCTAssertEqual(try PostgresPlaceholders.translate("INSERT INTO t VALUES (?,?,?)").count, 3)
        XCTAssertEqual(try translated("SELECT 1"), "SELECT 1")
        XCTAssertEqual(try PostgresPlaceholders.translate("SELECT 1").count, 0)
        XCTAssertEqual(try translated("SELECT ??"), "SELECT $1$2", "?? is two placeholders, as on SQLite")
        XCTAssertEqual(try translated("?"), "$1")
        XCTAssertEqual(try PostgresPlaceholders.scan("a = ? , b = ?", first: 5).sql, "a = $5 , b = $6")
    }

    func testAQuestionMarkInAStringIdentifierOrCommentIsLeftAlone() throws {
        XCTAssertEqual(try translated("SELECT '?', ? FROM t"), "SELECT '?', $1 FROM t")
        XCTAssertEqual(try translated("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1")
        XCTAssertEqual(try translated("SELECT \"a?b\", ? FROM t"), "SELECT \"a?b\", $1 FROM t")
        XCTAssertEqual(try translated("SELECT \"a\"\"?\", ?"), "SELECT \"a\"\"?\", $1")
        XCTAssertEqual(try translated("SELECT ? -- why? because\n, ?"), "SELECT $1 -- why? because\n, $2")
        XCTAssertEqual(try translated("SELECT ? /* a ? here */ , ?"), "SELECT $1 /* a ? here */ , $2")
        XCTAssertEqual(try translated("SELECT '-- ?' , ?"), "SELECT '-- ?' , $1", "a comment marker inside a string")
        XCTAssertEqual(try translated("SELECT ? - -1"), "SELECT $1 - -1", "a lone minus is no comment")
        XCTAssertEqual(try translated("SELECT '日本 ?', ? -- ✓?"), "SELECT '日本 ?', $1 -- ✓?")
        XCTAssertEqual(try translated("SELECT 'unterminated ?"), "SELECT 'unterminated ?")
    }

    func testNumberedPlaceholdersAreRefused() {
        XCTAssertThrowsError(try translated("SELECT ?1")) { error in
            XCTAssertTrue("\(error)".contains("numbered placeholders"), "\(error)")
        }
    }

    func testTheCacheGivesTheSameAnswer() throws {
        let sql = "SELECT ? AS cached_\(UInt32.random(in: 0...UInt32.max))"
        let first = try PostgresPlaceholders.translate(sql)
        XCTAssertEqual(try PostgresPlaceholders.translate(sql), first)
        XCTAssertEqual(first.count, 1)
    }

    func testAnInsertIsTakenApartForManyRows() throws {
        let insert = try XCTUnwrap(MultiRowInsert("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING"))
        XCTAssertEqual(insert.width, 2)
        XCTAssertEqual(insert.sql(rows: 3), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6) ON CONFLICT DO NOTHING")
        XCTAssertEqual(MultiRowInsert("insert into t values(?)")?.sql(rows: 2), "insert into t values ($1), ($2)")
        XCTAssertNil(MultiRowInsert("UPDATE t SET a = ? WHERE b = ?"))
        XCTAssertNil(MultiRowInsert("INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET b = ?"), "a placeholder outside the row")
        XCTAssertNil(MultiRowInsert("INSERT INTO t (a, b) VALUES (?, 1)"), "a row that is not only placeholders")
        XCTAssertEqual(MultiRowInsert("INSERT INTO \"values\" (a) VALUES (?)")?.head, "INSERT INTO \"values\" (a) VALUES")
        XCTAssertEqual(MultiRowInsert("INSERT INTO t (valuesx) VALUES (?)")?.head, "INSERT INTO t (valuesx) VALUES")
    }
}

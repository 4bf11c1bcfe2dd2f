import Foundation
import MeritPostgres
import XCTest

/// The password comes from PGPASSWORD or a ~/.pgpass-style file, as libpq takes it
/// (https://www.postgresql.org/docs/15/libpq-pgpass.html; docs/postgresql.md "Location and password").
final class PostgresPasswordTests: XCTestCase {
    var home: URL!
    let location = PostgresLocation(user: "merit", host: "db.example.com", port: 5432, database: "hr")

    override func setUp() {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("merit-pgpass-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    func write(_ text: String, to name: String = ".pgpass", mode: Int = 0o600) throws -> String {
        let path = home.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func testPGPASSWORDWinsOverTheFile() throws {
        _ = try write("*:*:*:*:fromfile\n")
        let found = PostgresPassword.resolve(for: location, environment: ["PGPASSWORD": "fromenv", "HOME": home.path])
        XCTAssertEqual(found, PostgresPassword(password: "fromenv"))
    }

    func testTheHomeFileAndPGPASSFILE() throws {
        _ = try write("db.example.com:5432:hr:merit:fromhome\n")
        XCTAssertEqual(PostgresPassword.resolve(for: location, environment: ["HOME": home.path]).password, "fromhome")
        let other = try write("*:*:*:*:fromother\n", to: "other")
        XCTAssertEqual(PostgresPassword.resolve(for: location, environment: ["HOME": home.path, "PGPASSFILE": other]).password, "fromother")
        XCTAssertEqual(PostgresPassword.resolve(for: location, environment: ["HOME": home.path + "/nowhere"]), PostgresPassword(password: nil))
        XCTAssertEqual(PostgresPassword.resolve(for: location, environment: [:]), PostgresPassword(password: nil))
    }

    /// libpq ignores a password file that group or others may read, and warns; so does Merit.
    func testAFileOthersCanReadIsIgnoredWithAWarning() throws {
        for mode in [0o640, 0o604, 0o660] {
            let path = try write("*:*:*:*:leaked\n", mode: mode)
            let found = PostgresPassword.resolve(for: location, environment: ["HOME": home.path])
            XCTAssertNil(found.password, String(mode, radix: 8))
            XCTAssertEqual(found.warnings.count, 1)
            XCTAssertTrue(found.warnings[0].contains("group or world access"), found.warnings[0])
            XCTAssertTrue(found.warnings[0].contains("chmod 0600 \(path)"), found.warnings[0])
        }
        _ = try write("*:*:*:*:kept\n", mode: 0o400)
        XCTAssertEqual(PostgresPassword.resolve(for: location, environment: ["HOME": home.path]), PostgresPassword(password: "kept"))
    }

    func testTheFirstMatchingLineWinsWithWildcardsCommentsAndEscapes() {
        let text = """
            # a comment: *:*:*:*:never
            other.example.com:5432:hr:merit:wrong-host
            db.example.com:6432:hr:merit:wrong-port
            db.example.com:5432:*:someone:wrong-user

            db.example.com:*:hr:merit:a\\:b\\\\c:d
            *:*:*:*:too-late
            """
        XCTAssertEqual(PostgresPassword.lookup(text, for: location), "a:b\\c:d", "\\: and \\\\ escaped, later colons kept")
        XCTAssertEqual(PostgresPassword.lookup("*:*:*:*:any\r\n", for: location), "any", "a CRLF line")
        XCTAssertNil(PostgresPassword.lookup("db.example.com:5432:hr:other:x\n", for: location))
        XCTAssertNil(PostgresPassword.lookup("db.example.com:5432:hr\n", for: location), "too few fields")
        XCTAssertNil(PostgresPassword.lookup("\\*:*:*:*:x\n", for: location), "an escaped * is a literal asterisk")
        let colonUser = PostgresLocation(user: "a:b", host: "h", database: "d")
        XCTAssertEqual(PostgresPassword.lookup("h:5432:d:a\\:b:pw\n", for: colonUser), "pw")
    }
}

import MeritPostgres
import XCTest

/// `store: postgresql://USER@HOST:PORT/DB` (issue 19, docs/postgresql.md "Location and password"): parsed, and
/// refused with a message that says what to write instead.
final class PostgresLocationTests: XCTestCase {
    func testParsesTheDocumentedShapeAndBothSchemes() throws {
        let expected = PostgresLocation(user: "merit", host: "db.example.com", port: 6432, database: "hr")
        XCTAssertEqual(try PostgresLocation.parse("postgresql://merit@db.example.com:6432/hr"), expected)
        XCTAssertEqual(try PostgresLocation.parse("postgres://merit@db.example.com:6432/hr"), expected)
        XCTAssertEqual(try PostgresLocation.parse("  PostgreSQL://merit@db.example.com:6432/hr "), expected)
    }

    func testDefaultsThePortAndDecodesEscapesAndIPv6() throws {
        XCTAssertEqual(try PostgresLocation.parse("postgresql://merit@localhost/hr").port, 5432)
        let v6 = try PostgresLocation.parse("postgresql://merit@[::1]:5433/hr")
        XCTAssertEqual(v6.host, "::1")
        XCTAssertEqual(v6.port, 5433)
        let escaped = try PostgresLocation.parse("postgresql://hr%40acme@db/merit%20prod")
        XCTAssertEqual(escaped.user, "hr@acme")
        XCTAssertEqual(escaped.database, "merit prod")
    }

    func testTLSModesAsLibpqNamesThem() throws {
        XCTAssertEqual(try PostgresLocation.parse("postgresql://m@h/d").tls, .prefer)
        XCTAssertEqual(try PostgresLocation.parse("postgresql://m@h/d?sslmode=disable").tls, .disable)
        XCTAssertEqual(try PostgresLocation.parse("postgresql://m@h/d?sslmode=verify-full").tls, .verifyFull)
        XCTAssertThrowsError(try PostgresLocation.parse("postgresql://m@h/d?sslmode=verify-ca")) {
            XCTAssertTrue("\($0)".contains("sslmode=verify-ca is not supported"), "\($0)")
        }
        XCTAssertThrowsError(try PostgresLocation.parse("postgresql://m@h/d?application_name=x")) {
            XCTAssertTrue("\($0)".contains("application_name is not supported"), "\($0)")
        }
    }

    /// The printed form is the URL again, so messages can name the location; it parses back to the same value.
    func testDescriptionRoundTrips() throws {
        for text in ["postgresql://merit@db:5432/hr", "postgresql://hr%40acme@[::1]:5433/merit%20prod?sslmode=require"] {
            let location = try PostgresLocation.parse(text)
            XCTAssertEqual(location.description, text)
            XCTAssertEqual(try PostgresLocation.parse(location.description), location)
        }
    }

    /// A password in the URL is refused, the message says where it goes instead, and never repeats it.
    func testAPasswordInTheURLIsRefusedWithoutBeingPrinted() {
        for text in ["postgresql://merit:s3cret@db:5432/hr", "postgresql://merit:@db/hr", "postgresql://merit@db/hr?password=s3cret"] {
            XCTAssertThrowsError(try PostgresLocation.parse(text), text) { error in
                guard case .usage(let message) = error as? PostgresStoreError else { return XCTFail("\(error)") }
                XCTAssertTrue(message.contains("PGPASSWORD"), message)
                XCTAssertTrue(message.contains("~/.pgpass"), message)
                XCTAssertFalse(message.contains("s3cret"), message)
            }
        }
    }

    func testMalformedLocationsSayWhatIsMissing() {
        let cases: [(String, String)] = [
            ("sqlite:///tmp/x", "not a PostgreSQL location"),
            ("db.example.com:5432/hr", "not a PostgreSQL location"),
            ("postgresql://merit@db:5432", "the database name is missing"),
            ("postgresql://merit@db:5432/", "the database name is missing"),
            ("postgresql://db:5432/hr", "the user is missing"),
            ("postgresql://@db:5432/hr", "the user is missing"),
            ("postgresql://merit@:5432/hr", "the host is missing"),
            ("postgresql://merit@db:99999/hr", "not a number from 1 to 65535"),
            ("postgresql://merit@db:port/hr", "not a number from 1 to 65535"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try PostgresLocation.parse(text), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
                XCTAssertTrue("\(error)".contains("expected postgresql://USER@HOST:PORT/DB") || expected.contains("65535"), "\(text): \(error)")
            }
        }
    }
}

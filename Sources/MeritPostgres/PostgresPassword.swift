import Foundation

/// Where the password for a `PostgresLocation` comes from (docs/postgresql.md "Location and password"): `PGPASSWORD`,
/// else the first matching line of a `~/.pgpass`-style file (`PGPASSFILE`, else `~/.pgpass`), as libpq looks it up
/// (https://www.postgresql.org/docs/15/libpq-pgpass.html), so one secret serves `psql`, `pg_dump` and Merit.
///
/// The lookup is a pure function of the environment and the file system it is given: no global state, so tests pass
/// their own environment and home directory.
public struct PostgresPassword: Sendable, Equatable {
    /// The password, or nil when none is configured (the server may not ask: `trust` or peer authentication).
    public var password: String?
    /// What the user should know but that does not stop the connection: a password file ignored because others can
    /// read it, as libpq warns.
    public var warnings: [String]

    public init(password: String?, warnings: [String] = []) {
        self.password = password
        self.warnings = warnings
    }

    /// Looks up the password for `location` in `environment` (`PGPASSWORD`, `PGPASSFILE`, `HOME`).
    public static func resolve(for location: PostgresLocation, environment: [String: String]) -> PostgresPassword {
        if let password = environment["PGPASSWORD"], !password.isEmpty {
            return PostgresPassword(password: password)
        }
        let path: String
        if let file = environment["PGPASSFILE"], !file.isEmpty {
            path = file
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.pgpass"
        } else {
            return PostgresPassword(password: nil)
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return PostgresPassword(password: nil) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return PostgresPassword(password: nil, warnings: ["password file \"\(path)\" is not a plain file; ignored"])
        }
        // libpq ignores a password file others can read or write (it would leak, or be planted): so does Merit.
        if info.st_mode & (S_IRWXG | S_IRWXO) != 0 {
            return PostgresPassword(
                password: nil,
                warnings: [
                    "password file \"\(path)\" has group or world access and is ignored; permissions should be u=rw (chmod 0600 \(path))"
                ])
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return PostgresPassword(password: nil, warnings: ["password file \"\(path)\" could not be read; ignored"])
        }
        return PostgresPassword(password: lookup(text, for: location))
    }

    /// The password of the first line of a `.pgpass` text that matches `location`: `host:port:database:user:password`,
    /// each of the first four a literal or `*`, `\:` and `\\` escaping a colon and a backslash; `#` lines are comments.
    public static func lookup(_ text: String, for location: PostgresLocation) -> String? {
        let wanted = [location.host, String(location.port), location.database, location.user]
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.hasPrefix("#") { continue }
            guard let fields = split(line), fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ field, value in field.text == value || (field.text == "*" && !field.escaped) }) {
                return fields[4].text
            }
        }
        return nil
    }

    private struct Field {
        var text = ""
        /// Whether an escape occurred: `\*` is a literal asterisk, not the wildcard.
        var escaped = false
    }

    /// A line split at unescaped colons into the four keys and the password (which keeps any further colons, as
    /// libpq reads it: the rest of the line). Nil for a line with fewer than five fields.
    private static func split(_ line: Substring) -> [Field]? {
        var fields: [Field] = []
        var current = Field()
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if c == "\\", let next = iterator.next() {
                current.text.append(next)
                current.escaped = true
            } else if c == ":" && fields.count < 4 {
                fields.append(current)
                current = Field()
            } else {
                current.text.append(c)
            }
        }
        fields.append(current)
        return fields.count == 5 ? fields : nil
    }
}

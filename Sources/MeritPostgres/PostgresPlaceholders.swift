import Synchronization

/// The store's statements are written once for both databases with SQLite's `?` placeholders (docs/postgresql.md
/// "One store, two databases"); PostgreSQL's extended query protocol numbers them `$1…$n`. This turns one into the
/// other, leaving alone a `?` that is not a placeholder: inside a single-quoted string, a double-quoted identifier,
/// a `--` line comment or a `/* */` block comment.
///
/// Every `?` elsewhere is one placeholder, `??` two: SQLite has no escape for a literal question mark either, so a
/// statement means the same on both databases. SQLite's numbered `?NNN` has no faithful translation (`?1` would read
/// as `$11`), and no store statement uses it, so it is refused rather than guessed at. Dollar-quoted strings are not
/// recognised: the store's statements never contain them (the schema's functions are migrations, sent as written).
enum PostgresPlaceholders {
    /// A statement in PostgreSQL's numbering and how many parameters it takes.
    struct Translation: Sendable, Equatable {
        var sql: String
        var count: Int
    }

    /// The store sends the same few hundred statement texts over and over; translating each once keeps the scan off
    /// the per-row path of a bulk read. Bounded, so a caller that builds statement texts dynamically cannot grow it
    /// without end.
    private static let cache = Mutex<[String: Translation]>([:])
    private static let cacheLimit = 2_000

    /// `sql` with its `?` placeholders numbered, from the cache when it was translated before.
    static func translate(_ sql: String) throws(PostgresStoreError) -> Translation {
        if let known = cache.withLock({ $0[sql] }) { return known }
        let translation = try scan(sql)
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[sql] = translation
        }
        return translation
    }

    /// The translation itself, numbering from `first` (executeMany numbers each row's placeholders after the last).
    static func scan(_ sql: String, first: Int = 1) throws(PostgresStoreError) -> Translation {
        enum Context { case code, string, identifier, lineComment, blockComment }
        var context = Context.code
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var next = first
        let scalars = Array(sql.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            let following: Unicode.Scalar? = i + 1 < scalars.count ? scalars[i + 1] : nil
            switch context {
            case .code:
                if c == "?" {
                    if let following, ("0"..."9").contains(following) {
                        throw .usage("numbered placeholders (?\(following)…) are not supported; use ? in order: \(sql)")
                    }
                    out += "$\(next)"
                    next += 1
                    i += 1
                    continue
                }
                if c == "'" {
                    context = .string
                } else if c == "\"" {
                    context = .identifier
                } else if c == "-" && following == "-" {
                    context = .lineComment
                } else if c == "/" && following == "*" {
                    context = .blockComment
                    out.unicodeScalars.append(c)
                    out.unicodeScalars.append("*")
                    i += 2
                    continue
                }
            case .string:
                // A doubled quote ('it''s') closes and reopens: the same as staying inside.
                if c == "'" { context = .code }
            case .identifier:
                if c == "\"" { context = .code }
            case .lineComment:
                if c == "\n" { context = .code }
            case .blockComment:
                if c == "*" && following == "/" {
                    context = .code
                    out.unicodeScalars.append(c)
                    out.unicodeScalars.append("/")
                    i += 2
                    continue
                }
            }
            out.unicodeScalars.append(c)
            i += 1
        }
        return Translation(sql: out, count: next - first)
    }
}

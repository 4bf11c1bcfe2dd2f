/// One step of the PostgreSQL schema (`PostgresSchema.migrations`): a name, the same as the SQLite store's step it
/// ports, and the statements that make it, each sent alone (the extended query protocol takes one statement at a time).
public struct PostgresMigration: Sendable, Equatable {
    public var name: String
    public var statements: [String]

    public init(name: String, statements: [String]) {
        self.name = name
        self.statements = statements
    }
}

import MeritPostgres

extension Store {
    /// Opens the store in the PostgreSQL database at `location` (docs/postgresql.md).
    public convenience init(postgres location: PostgresLocation, create: Bool = false, readOnly: Bool = false) throws(StoreError) {
        throw .unusable("\(location): PostgreSQL stores are not wired yet")
    }
}

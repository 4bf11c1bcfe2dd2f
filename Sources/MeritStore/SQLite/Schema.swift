import GRDB
import MeritSQL

/// The store's schema, as migrations from the first version on (GRDB's
/// `DatabaseMigrator`): a workspace written by an older Merit is brought up to
/// date when opened; one written by a newer Merit is refused.
enum Schema {
    /// `PRAGMA application_id` of a Merit store ("MERI"), so a foreign SQLite file is told apart.
    static let applicationID: Int32 = 0x4D45_5249

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(
                sql: """
                    -- Imported data (docs/reference.md §2, §10): one row per record, its spec columns' cell texts as a JSON array
                    -- in DatasetSchema order; keyed by the dataset's natural key, so a re-import replaces instead of
                    -- duplicating. seq keeps the order records arrived in (import, then line).
                    CREATE TABLE imports (
                        id INTEGER PRIMARY KEY,
                        dataset TEXT NOT NULL,
                        source TEXT NOT NULL,
                        source_sha256 TEXT NOT NULL,
                        rows_read INTEGER NOT NULL,
                        rows_loaded INTEGER NOT NULL,
                        rows_rejected INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    );
                    CREATE TABLE records (
                        dataset TEXT NOT NULL,
                        key TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        cells TEXT NOT NULL,
                        import_id INTEGER NOT NULL REFERENCES imports(id),
                        source_line INTEGER NOT NULL,
                        PRIMARY KEY (dataset, key)
                    ) WITHOUT ROWID;
                    CREATE INDEX records_order ON records(dataset, seq);

                    -- Content-addressed texts a review was computed from: the rubric files and the datasets as CSV.
                    CREATE TABLE blobs (
                        sha256 TEXT PRIMARY KEY,
                        data BLOB NOT NULL
                    ) WITHOUT ROWID;

                    -- Reviews (docs/reference.md §10): a version per period; the latest is the current one.
                    CREATE TABLE reviews (
                        id INTEGER PRIMARY KEY,
                        period TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
                        amends INTEGER REFERENCES reviews(id),
                        amend_reason TEXT,
                        inputs_sha256 TEXT NOT NULL,
                        zone_offset INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        computed_at TEXT NOT NULL,
                        computed_by TEXT NOT NULL,
                        finalized_at TEXT,
                        finalized_by TEXT,
                        UNIQUE (period, version)
                    );
                    CREATE TABLE review_rubrics (
                        review_id INTEGER NOT NULL REFERENCES reviews(id),
                        position INTEGER NOT NULL,
                        rubric_id TEXT NOT NULL,
                        rubric_version INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        file TEXT NOT NULL,
                        roles TEXT,
                        document TEXT NOT NULL,
                        PRIMARY KEY (review_id, rubric_id)
                    );
                    CREATE TABLE review_inputs (
                        review_id INTEGER NOT NULL REFERENCES reviews(id),
                        dataset TEXT NOT NULL,
                        blob TEXT NOT NULL REFERENCES blobs(sha256),
                        rows INTEGER NOT NULL,
                        PRIMARY KEY (review_id, dataset)
                    );
                    CREATE TABLE review_results (
                        review_id INTEGER NOT NULL REFERENCES reviews(id),
                        employee_id TEXT NOT NULL,
                        rubric_id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        team TEXT,
                        rated INTEGER NOT NULL,
                        total_exact REAL,
                        total_tenths INTEGER,
                        band TEXT,
                        multiplier TEXT,
                        bonus TEXT,
                        currency TEXT NOT NULL,
                        metrics TEXT NOT NULL,
                        adjusted_band TEXT,
                        adjusted_multiplier TEXT,
                        adjusted_bonus TEXT,
                        PRIMARY KEY (review_id, employee_id)
                    );
                    -- The band overrides in force on a review version; their history is the audit log.
                    CREATE TABLE adjustments (
                        review_id INTEGER NOT NULL REFERENCES reviews(id),
                        employee_id TEXT NOT NULL,
                        band TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        PRIMARY KEY (review_id, employee_id)
                    );

                    -- Append-only (docs/reference.md §10: nothing ever deletes an adjustment's record).
                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        by TEXT NOT NULL,
                        action TEXT NOT NULL,
                        period TEXT,
                        review_version INTEGER,
                        employee_id TEXT,
                        old_value TEXT,
                        new_value TEXT,
                        reason TEXT
                    );
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

                    -- A finalized review never changes (docs/reference.md §10), whatever the code above it does.
                    CREATE TRIGGER final_review_frozen BEFORE UPDATE ON reviews WHEN OLD.status = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_kept BEFORE DELETE ON reviews WHEN OLD.status = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_results_frozen BEFORE UPDATE ON review_results
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_results_kept BEFORE DELETE ON review_results
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_results_added BEFORE INSERT ON review_results
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_adjustments_frozen BEFORE INSERT ON adjustments
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_adjustments_kept BEFORE DELETE ON adjustments
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_adjustments_changed BEFORE UPDATE ON adjustments
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    """)
        }
        // Self-service (issue 6): personal access tokens for `merit serve`. Only the SHA-256 of a token's secret
        // is kept; a token is revoked by stamping it, never deleted, so the audit log's token ids stay meaningful.
        migrator.registerMigration("v2-access-tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE access_tokens (
                        id TEXT PRIMARY KEY,
                        employee_id TEXT NOT NULL,
                        secret_sha256 BLOB NOT NULL,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        revoked_at TEXT,
                        revoked_by TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX access_tokens_employee ON access_tokens(employee_id);
                    CREATE TRIGGER access_tokens_kept BEFORE DELETE ON access_tokens
                    BEGIN SELECT RAISE(ABORT, 'access tokens are revoked, never deleted'); END;
                    """)
        }
        // Company scale (issue 16, docs/workspace.md "How data is stored"): datasets as versions of content-addressed
        // chunks of canonical records, read by reviews in place; every result a view needs stored with the review.
        migrator.registerMigration("v3-stored-datasets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE chunks (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        sha256 BLOB NOT NULL UNIQUE,
                        size INTEGER NOT NULL,
                        bytes BLOB NOT NULL
                    );
                    CREATE TABLE dataset_versions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        dataset TEXT NOT NULL,
                        import_id INTEGER REFERENCES imports(id),
                        records INTEGER NOT NULL,
                        digest TEXT NOT NULL
                    );
                    CREATE TABLE version_chunks (
                        version_id INTEGER NOT NULL REFERENCES dataset_versions(id),
                        position INTEGER NOT NULL,
                        chunk_id INTEGER NOT NULL REFERENCES chunks(id),
                        records INTEGER NOT NULL,
                        lines INTEGER NOT NULL,
                        import_id INTEGER REFERENCES imports(id),
                        source_lines BLOB NOT NULL,
                        PRIMARY KEY (version_id, position)
                    ) WITHOUT ROWID;
                    CREATE INDEX version_chunks_chunk ON version_chunks(chunk_id);
                    CREATE TABLE current_datasets (
                        dataset TEXT PRIMARY KEY,
                        version_id INTEGER NOT NULL REFERENCES dataset_versions(id)
                    ) WITHOUT ROWID;
                    -- The dataset versions a review read (they are kept as long as the review).
                    CREATE TABLE review_datasets (
                        review_id INTEGER NOT NULL REFERENCES reviews(id),
                        dataset TEXT NOT NULL,
                        version_id INTEGER NOT NULL REFERENCES dataset_versions(id),
                        records INTEGER NOT NULL,
                        PRIMARY KEY (review_id, dataset)
                    ) WITHOUT ROWID;
                    CREATE INDEX review_datasets_version ON review_datasets(version_id);
                    -- Each result as its views need it (StoredEvaluation): computed, and with the adjustments applied.
                    ALTER TABLE review_results ADD COLUMN detail BLOB;
                    ALTER TABLE review_results ADD COLUMN adjusted_detail BLOB;
                    ALTER TABLE review_rubrics ADD COLUMN evaluation BLOB;
                    ALTER TABLE review_rubrics ADD COLUMN adjusted_evaluation BLOB;
                    CREATE INDEX review_results_employee ON review_results(employee_id);
                    """)
            try LegacyRecords.migrate(db)
            try db.execute(
                sql: """
                    DROP TABLE records;
                    DROP TABLE review_inputs;
                    DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM review_rubrics);
                    CREATE TRIGGER final_review_datasets_kept BEFORE DELETE ON review_datasets
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    """)
        }
        // Pay safety (issue 17, docs/workspace.md "Bonus cadence"): the cadence a review was computed under, so that
        // it is recomputed (merit verify) paying exactly what it paid. NULL: computed before Merit had one, and paid.
        migrator.registerMigration("v4-pay-safety") { db in
            try db.execute(sql: "ALTER TABLE reviews ADD COLUMN bonus_period TEXT")
        }
        // Pay safety (issue 17, docs/workspace.md "Tamper evidence"). Must stay after v4-pay-safety, registered above
        // by its own change.
        // 1. INSERT OR REPLACE deletes the row it collides with without firing a DELETE trigger (while
        //    recursive_triggers is off, SQLite's default), so it got round the append-only and final_* triggers: an
        //    audit entry rewritten in place, a finalized review turned back into a draft. BEFORE INSERT triggers now
        //    refuse any insert over an existing audit entry or finalized review, and the tables of a finalized review
        //    that had no INSERT or UPDATE guard (review_rubrics, review_datasets) get them; Store also turns
        //    recursive_triggers on for every connection, so REPLACE's delete fires the DELETE triggers too.
        //    review_results and adjustments already refuse every INSERT into a finalized review.
        // 2. The audit log becomes a hash chain, and finalized reviews carry a seal of their results (ResultsDigest):
        //    entries and reviews written before this migration are chained and sealed here, once.
        migrator.registerMigration("v5-tamper-evident") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit_log ADD COLUMN prev_sha256 TEXT;
                    ALTER TABLE audit_log ADD COLUMN sha256 TEXT;
                    ALTER TABLE reviews ADD COLUMN results_sha256 TEXT;

                    CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
                        WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER final_review_not_replaced BEFORE INSERT ON reviews
                        WHEN EXISTS (SELECT 1 FROM reviews WHERE status = 'final' AND (id = NEW.id OR (period = NEW.period AND version = NEW.version)))
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_rubrics_frozen BEFORE UPDATE ON review_rubrics
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_rubrics_kept BEFORE DELETE ON review_rubrics
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_rubrics_added BEFORE INSERT ON review_rubrics
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_datasets_frozen BEFORE UPDATE ON review_datasets
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_datasets_added BEFORE INSERT ON review_datasets
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    -- A revoked token stays revoked: neither replaced by a row of the same id nor un-stamped.
                    CREATE TRIGGER access_tokens_not_replaced BEFORE INSERT ON access_tokens
                        WHEN EXISTS (SELECT 1 FROM access_tokens WHERE id = NEW.id)
                    BEGIN SELECT RAISE(ABORT, 'access tokens are revoked, never replaced'); END;
                    CREATE TRIGGER access_tokens_revocation_kept BEFORE UPDATE ON access_tokens WHEN OLD.revoked_at IS NOT NULL
                    BEGIN SELECT RAISE(ABORT, 'a revoked access token stays revoked'); END;
                    """)
            let (chained, head) = try AuditLog.chainExisting(db)
            let finals = try Int64.fetchAll(db, sql: "SELECT id FROM reviews WHERE status = 'final' ORDER BY id")
            try withoutTriggers(db, ["final_review_frozen"]) {
                for id in finals {
                    try db.execute(
                        sql: "UPDATE reviews SET results_sha256 = ? WHERE id = ?",
                        arguments: [try ResultsDigest.sha256(SQLiteTransaction(db), reviewID: id, calibrationAndDisputes: false), id])
                }
            }
            if chained > 0 {
                try AuditLog.append(
                    SQLiteTransaction(db), action: "tamper-evidence",
                    newValue:
                        "the audit log is a hash chain from here on: \(chained) earlier entr\(chained == 1 ? "y" : "ies") chained (head sha256 \(head ?? "-")) and \(finals.count) finalized review\(finals.count == 1 ? "" : "s") sealed as they stood at this upgrade"
                )
            }
        }
        // Tokens grown up (issue 18, docs/server.md "Access tokens"): a token expires (`expires_at`, the default lifetime
        // 180 days) and says when it last let its holder in (`last_used_at`, written at most once a minute). Active
        // tokens issued before expiry existed get the default lifetime counted from this upgrade, so that none lives for
        // ever and none stops working the moment Merit is upgraded; revoked ones are left as they are (their row is
        // frozen). An expiry is never moved later, nor removed, once set: only a new grant gives a longer one.
        migrator.registerMigration("v6-token-lifecycle") { db in
            try db.execute(
                sql: """
                    ALTER TABLE access_tokens ADD COLUMN expires_at TEXT;
                    ALTER TABLE access_tokens ADD COLUMN last_used_at TEXT;
                    CREATE TRIGGER access_tokens_expiry_kept BEFORE UPDATE OF expires_at ON access_tokens
                        WHEN OLD.expires_at IS NOT NULL AND (NEW.expires_at IS NULL OR NEW.expires_at > OLD.expires_at)
                    BEGIN SELECT RAISE(ABORT, 'an access token expiry is never extended'); END;
                    """)
            let expires = AccessTokens.timestamp(seconds: Clock.nowSeconds + AccessTokens.defaultLifetimeDays * 86_400)
            try db.execute(sql: "UPDATE access_tokens SET expires_at = ? WHERE revoked_at IS NULL", arguments: [expires])
            let given = db.changesCount
            if given > 0 {
                try AuditLog.append(
                    SQLiteTransaction(db), action: "token-lifecycle",
                    newValue:
                        "\(given) access token\(given == 1 ? "" : "s") issued without an expiry now expire\(given == 1 ? "s" : "") \(expires) (\(AccessTokens.defaultLifetimeDays) days from this upgrade)"
                )
            }
        }
        // A finalized review's rows stay its own (found by the PostgreSQL port, issue 19): the UPDATE triggers above
        // looked only at the row's review before the change, so a draft's row could be moved into a finalized review
        // with `UPDATE … SET review_id`. Now the review a row would move to is checked too.
        migrator.registerMigration("v7-final-rows-stay") { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER final_results_moved_in BEFORE UPDATE OF review_id ON review_results
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_adjustments_moved_in BEFORE UPDATE OF review_id ON adjustments
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_rubrics_moved_in BEFORE UPDATE OF review_id ON review_rubrics
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_datasets_moved_in BEFORE UPDATE OF review_id ON review_datasets
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    """)
        }
        // Calibration and disputes (issue 20, docs/calibration.md, docs/disputes.md): adjustments grouped by
        // calibration session; disputes of a finalized result, which are resolved once and never deleted; the records an
        // accepted dispute excludes from later reviews; and, per review, the exclusions it applied and the disputes an
        // amendment answers, frozen with it when it is finalized.
        migrator.registerMigration("v8-calibration-disputes") { db in
            try db.execute(
                sql: """
                    ALTER TABLE adjustments ADD COLUMN session TEXT;
                    CREATE TABLE disputes (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        period TEXT NOT NULL,
                        review_version INTEGER NOT NULL,
                        employee_id TEXT NOT NULL,
                        manager_id TEXT,
                        metric TEXT,
                        records TEXT NOT NULL,
                        message TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'rejected', 'withdrawn')),
                        opened_at TEXT NOT NULL,
                        opened_by TEXT NOT NULL,
                        resolved_at TEXT,
                        resolved_by TEXT,
                        comment TEXT
                    );
                    CREATE INDEX disputes_employee ON disputes(employee_id, period);
                    CREATE TRIGGER disputes_kept BEFORE DELETE ON disputes
                    BEGIN SELECT RAISE(ABORT, 'disputes are never deleted'); END;
                    CREATE TRIGGER disputes_resolved_once BEFORE UPDATE ON disputes WHEN OLD.state <> 'open'
                    BEGIN SELECT RAISE(ABORT, 'a resolved dispute cannot change'); END;
                    CREATE TRIGGER disputes_said_kept BEFORE UPDATE ON disputes
                        WHEN NEW.id IS NOT OLD.id OR NEW.period IS NOT OLD.period OR NEW.review_version IS NOT OLD.review_version
                            OR NEW.employee_id IS NOT OLD.employee_id OR NEW.manager_id IS NOT OLD.manager_id
                            OR NEW.metric IS NOT OLD.metric OR NEW.records IS NOT OLD.records OR NEW.message IS NOT OLD.message
                            OR NEW.opened_at IS NOT OLD.opened_at OR NEW.opened_by IS NOT OLD.opened_by
                    BEGIN SELECT RAISE(ABORT, 'what a dispute says cannot change'); END;

                    CREATE TABLE exclusions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        dataset TEXT NOT NULL,
                        record_key TEXT NOT NULL,
                        employee_id TEXT NOT NULL,
                        dispute_id INTEGER NOT NULL REFERENCES disputes(id),
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        UNIQUE (dataset, record_key, employee_id)
                    );
                    CREATE TRIGGER exclusions_kept BEFORE DELETE ON exclusions
                    BEGIN SELECT RAISE(ABORT, 'exclusions are never deleted'); END;
                    CREATE TRIGGER exclusions_frozen BEFORE UPDATE ON exclusions
                    BEGIN SELECT RAISE(ABORT, 'exclusions are never changed'); END;

                    CREATE TABLE review_exclusions (
                        review_id INTEGER NOT NULL REFERENCES reviews(id),
                        dataset TEXT NOT NULL,
                        record_key TEXT NOT NULL,
                        employee_id TEXT NOT NULL,
                        dispute_id INTEGER NOT NULL,
                        PRIMARY KEY (review_id, dataset, record_key, employee_id)
                    );
                    CREATE TABLE review_disputes (
                        review_id INTEGER NOT NULL REFERENCES reviews(id),
                        dispute_id INTEGER NOT NULL REFERENCES disputes(id),
                        PRIMARY KEY (review_id, dispute_id)
                    );
                    CREATE TRIGGER final_review_exclusions_added BEFORE INSERT ON review_exclusions
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_exclusions_kept BEFORE DELETE ON review_exclusions
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_exclusions_frozen BEFORE UPDATE ON review_exclusions
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_exclusions_moved_in BEFORE UPDATE OF review_id ON review_exclusions
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_disputes_added BEFORE INSERT ON review_disputes
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_disputes_kept BEFORE DELETE ON review_disputes
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_disputes_frozen BEFORE UPDATE ON review_disputes
                        WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    CREATE TRIGGER final_review_disputes_moved_in BEFORE UPDATE OF review_id ON review_disputes
                        WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'final'
                    BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
                    """)
        }
        return migrator
    }

    /// Runs `body` with the named triggers lifted, then puts them back exactly as they were (their stored SQL), in the
    /// caller's transaction: for the rare change a trigger guards against that Merit itself must make (chaining the
    /// audit entries of an older store, filling in the full results an earlier Merit did not store).
    ///
    /// Only on SQLite: only stores written by an earlier Merit need it, and those are SQLite files. A PostgreSQL store
    /// is copied from a SQLite one that `merit verify` has brought up to date (`merit migrate-store` refuses another).
    static func withoutTriggers(_ db: any StoreTransaction, _ names: [String], _ body: () throws -> Void) throws {
        guard let sqlite = db as? SQLiteTransaction else {
            throw StoreError.unusable("this change needs the store's triggers lifted, which Merit only does on an SQLite store")
        }
        try withoutTriggers(sqlite.db, names, body)
    }

    static func withoutTriggers(_ db: Database, _ names: [String], _ body: () throws -> Void) throws {
        var saved: [String] = []
        for name in names {
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", arguments: [name])
            else { continue }
            saved.append(sql)
            try db.execute(sql: "DROP TRIGGER \(name)")
        }
        try body()
        for sql in saved { try db.execute(sql: sql) }
    }
}

extension AuditLog {
    /// Chains the entries written before the log was a chain (migration `v5-tamper-evident`), oldest first. The chain
    /// vouches for them from the migration on: what was changed in them before it cannot be told.
    static func chainExisting(_ db: Database) throws -> (entries: Int, head: String?) {
        let rows = try SQLiteTransaction(db).fetchAll(sql: "SELECT * FROM audit_log ORDER BY id")
        guard !rows.isEmpty else { return (0, nil) }
        var prev: String?
        try Schema.withoutTriggers(db, ["audit_log_no_update"]) {
            for row in rows {
                let sha = hash(row, prev: prev)
                try db.execute(
                    sql: "UPDATE audit_log SET prev_sha256 = ?, sha256 = ? WHERE id = ?", arguments: [prev, sha, row["id"] as Int64])
                prev = sha
            }
        }
        return (rows.count, prev)
    }
}

import GRDB

/// The database schema as named, append-only migrations. A landed migration is never edited:
/// add a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-29-runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        id            TEXT PRIMARY KEY NOT NULL,
                        workflow      TEXT NOT NULL,
                        workflow_file TEXT,
                        trigger       TEXT NOT NULL CHECK (trigger IN ('manual','schedule','api','ci','retry')),
                        status        TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled','interrupted')),
                        params        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
                        scheduled_for TEXT,
                        schedule_key  TEXT,
                        retry_of      TEXT REFERENCES runs(id),
                        workspace     TEXT NOT NULL,
                        reason        TEXT,
                        pid           INTEGER,
                        host          TEXT,
                        created_at    TEXT NOT NULL,
                        started_at    TEXT,
                        finished_at   TEXT,
                        CHECK ((scheduled_for IS NULL) = (schedule_key IS NULL))
                    );
                    -- One run per schedule and fire time, whatever happens to the daemon.
                    CREATE UNIQUE INDEX runs_one_per_fire_time ON runs(workflow, schedule_key, scheduled_for)
                        WHERE scheduled_for IS NOT NULL;
                    CREATE INDEX runs_by_workflow ON runs(workflow, created_at);
                    CREATE INDEX runs_by_status ON runs(status);

                    CREATE TABLE step_runs (
                        run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        step_id     TEXT NOT NULL,
                        position    INTEGER NOT NULL,
                        status      TEXT NOT NULL CHECK (status IN ('pending','running','succeeded','failed','skipped','cancelled','timed_out','interrupted')),
                        attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                        exit_code   INTEGER,
                        signal      INTEGER,
                        reason      TEXT,
                        reused_from TEXT REFERENCES runs(id),
                        started_at  TEXT,
                        finished_at TEXT,
                        PRIMARY KEY (run_id, step_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE attempts (
                        run_id      TEXT NOT NULL,
                        step_id     TEXT NOT NULL,
                        attempt     INTEGER NOT NULL CHECK (attempt >= 1),
                        status      TEXT NOT NULL CHECK (status IN ('running','succeeded','failed','cancelled','timed_out','interrupted')),
                        exit_code   INTEGER,
                        signal      INTEGER,
                        pid         INTEGER,
                        reason      TEXT,
                        started_at  TEXT NOT NULL,
                        finished_at TEXT,
                        PRIMARY KEY (run_id, step_id, attempt),
                        FOREIGN KEY (run_id, step_id) REFERENCES step_runs(run_id, step_id) ON DELETE CASCADE
                    ) WITHOUT ROWID;

                    CREATE TABLE logs (
                        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        step_id   TEXT NOT NULL,
                        attempt   INTEGER NOT NULL,
                        stream    TEXT NOT NULL CHECK (stream IN ('stdout','stderr','system')),
                        time      TEXT NOT NULL,
                        line      BLOB NOT NULL,
                        continued INTEGER NOT NULL DEFAULT 0 CHECK (continued IN (0, 1))
                    );
                    CREATE INDEX logs_by_run ON logs(run_id, step_id, seq);

                    CREATE TABLE outputs (
                        run_id  TEXT NOT NULL,
                        step_id TEXT NOT NULL,
                        name    TEXT NOT NULL,
                        value   TEXT NOT NULL,
                        PRIMARY KEY (run_id, step_id, name),
                        FOREIGN KEY (run_id, step_id) REFERENCES step_runs(run_id, step_id) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("2026-11-29-deployments") { db in
            // Every deployment a `deploy` step made, kept after its run is deleted (no foreign
            // key to runs: the history of what served traffic outlives run retention).
            try db.execute(
                sql: """
                    CREATE TABLE deployments (
                        id              INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id          TEXT NOT NULL,
                        step_id         TEXT NOT NULL,
                        project         TEXT NOT NULL,
                        strategy        TEXT NOT NULL CHECK (strategy IN ('recreate','blue-green')),
                        colour          TEXT CHECK (colour IN ('blue','green')),
                        previous_colour TEXT CHECK (previous_colour IN ('blue','green')),
                        image           TEXT NOT NULL,
                        image_digest    TEXT,
                        result          TEXT NOT NULL CHECK (result IN ('succeeded','failed','rolled_back')),
                        reason          TEXT,
                        started_at      TEXT NOT NULL,
                        finished_at     TEXT NOT NULL,
                        CHECK ((strategy = 'blue-green') = (colour IS NOT NULL))
                    );
                    CREATE INDEX deployments_by_project ON deployments(project, id);
                    """)
        }
        migrator.registerMigration("2026-11-29-crawl-state") { db in
            // What the `crawl` kind saw last time, per crawl (`scope`: workflow/step) and URL,
            // for conditional requests (ETag / Last-Modified) and change detection (SHA-256).
            // Bodies are kept once per hash so that a 304 can still hand the page on.
            try db.execute(
                sql: """
                    CREATE TABLE crawl_state (
                        scope         TEXT NOT NULL,
                        url           TEXT NOT NULL,
                        role          TEXT NOT NULL CHECK (role IN ('page','sitemap','robots','skipped')),
                        status        INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),
                        content_type  TEXT,
                        etag          TEXT,
                        last_modified TEXT,
                        hash          TEXT NOT NULL CHECK (length(hash) = 64),
                        size          INTEGER NOT NULL CHECK (size >= 0),
                        fetched_at    TEXT NOT NULL,
                        checked_at    TEXT NOT NULL,
                        PRIMARY KEY (scope, url)
                    ) WITHOUT ROWID;
                    CREATE INDEX crawl_state_by_hash ON crawl_state(hash);

                    CREATE TABLE crawl_bodies (
                        hash TEXT PRIMARY KEY NOT NULL CHECK (length(hash) = 64),
                        body BLOB NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("2026-11-29-schedule-state") { db in
            // The daemon's watermark per schedule: every fire time at or before
            // handled_through has been started, queued or deliberately skipped.
            try db.execute(
                sql: """
                    CREATE TABLE schedule_state (
                        workflow        TEXT NOT NULL,
                        schedule_key    TEXT NOT NULL,
                        handled_through TEXT NOT NULL,
                        last_fire_time  TEXT,
                        paused          INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
                        updated_at      TEXT NOT NULL,
                        PRIMARY KEY (workflow, schedule_key)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("2026-11-29-metrics-and-promotions") { db in
            // Every value an `evaluate` step measured, and every decision a `promote` step took
            // (with the numbers behind it). Both outlive run retention: no foreign key to runs.
            try db.execute(
                sql: """
                    CREATE TABLE metrics (
                        id          INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id      TEXT NOT NULL,
                        step_id     TEXT NOT NULL,
                        workflow    TEXT NOT NULL,
                        collection  TEXT,
                        mode        TEXT NOT NULL CHECK (mode IN ('vector','bm25','hybrid','generation')),
                        gold_set    TEXT,
                        metric      TEXT NOT NULL CHECK (length(metric) > 0),
                        value       REAL NOT NULL,
                        samples     INTEGER CHECK (samples >= 0),
                        recorded_at TEXT NOT NULL,
                        CHECK ((mode = 'generation') OR (collection IS NOT NULL))
                    );
                    CREATE INDEX metrics_by_collection ON metrics(collection, mode, id);
                    CREATE INDEX metrics_by_run ON metrics(run_id, step_id);

                    CREATE TABLE promotions (
                        id          INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id      TEXT NOT NULL,
                        step_id     TEXT NOT NULL,
                        workflow    TEXT NOT NULL,
                        alias       TEXT NOT NULL CHECK (length(alias) > 0),
                        gate        TEXT NOT NULL CHECK (gate IN ('offline','online')),
                        candidate   TEXT NOT NULL,
                        previous    TEXT,
                        promoted    INTEGER NOT NULL CHECK (promoted IN (0, 1)),
                        reason      TEXT NOT NULL,
                        evidence    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(evidence)),
                        decided_at  TEXT NOT NULL
                    );
                    CREATE INDEX promotions_by_alias ON promotions(alias, id);
                    """)
        }
        return migrator
    }
}

import GRDB

/// The vector database's schema (`VectorDatabase`) as named, append-only migrations. A landed
/// migration is never edited: add a new one.
///
/// Besides these tables, each collection has an FTS5 table `point_terms_<collection id>`
/// (one column `terms`: the point's BM25 terms joined by spaces, tokenised by FTS5's `ascii`
/// tokenizer with `tokenchars '_'` so that it splits exactly at those spaces) and its
/// `fts5vocab` table `point_terms_<collection id>_vocab` of type `instance`, which yields the
/// postings BM25 is computed from. They are created and dropped with the collection.
enum VectorSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-29-vectors") { db in
            try db.execute(
                sql: """
                    CREATE TABLE collections (
                        id            INTEGER PRIMARY KEY,
                        name          TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                        dimension     INTEGER NOT NULL CHECK (dimension >= 1),
                        distance      TEXT NOT NULL CHECK (distance IN ('cosine','dot')),
                        text_analysis TEXT NOT NULL CHECK (text_analysis IN ('english','simple')),
                        -- Bumped by every write to the collection's points, so that a reader holding
                        -- the vectors in memory knows when to load them again.
                        version       INTEGER NOT NULL DEFAULT 0,
                        created_at    TEXT NOT NULL
                    );

                    CREATE TABLE points (
                        rowid         INTEGER PRIMARY KEY,
                        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
                        id            TEXT NOT NULL,
                        document_id   TEXT NOT NULL,
                        -- dimension little-endian float32 values (L2-normalised for cosine).
                        vector        BLOB NOT NULL,
                        payload       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
                        text          TEXT NOT NULL,
                        -- Number of BM25 terms of text (the document length |D|).
                        term_count    INTEGER NOT NULL CHECK (term_count >= 0),
                        UNIQUE (collection_id, id)
                    );
                    CREATE INDEX points_by_document ON points(collection_id, document_id);

                    CREATE TABLE aliases (
                        alias         TEXT PRIMARY KEY NOT NULL CHECK (length(alias) > 0),
                        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
                        updated_at    TEXT NOT NULL
                    );
                    """)
        }
        return migrator
    }
}

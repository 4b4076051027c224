"""The workspace schema, as a list of migration steps.

``PRAGMA user_version`` holds the number of steps applied. Opening a workspace applies
the missing steps in order, each in its own transaction, so a database from any earlier
release is brought up to date with every row kept. Steps are only ever appended; a
released step is never edited.
"""

from __future__ import annotations

from typing import Final

# Step 1: datasets, guideline rules with their versions, adjudicated final labels.
_V1: Final = """
CREATE TABLE datasets (
    fingerprint TEXT PRIMARY KEY,
    name        TEXT,
    n_rows      INTEGER,
    first_seen  TEXT NOT NULL
);
CREATE TABLE rules (
    rule_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint    TEXT REFERENCES datasets(fingerprint),
    source_cluster TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT
);
CREATE TABLE rule_versions (
    rule_id          INTEGER NOT NULL REFERENCES rules(rule_id),
    version          INTEGER NOT NULL CHECK (version >= 1),
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    decision         TEXT NOT NULL CHECK (decision IN ('prefer', 'new_label')),
    label_a          TEXT,
    label_b          TEXT,
    new_label        TEXT,
    example_item_ids TEXT NOT NULL DEFAULT '[]',
    status           TEXT NOT NULL CHECK (status IN ('draft', 'accepted')),
    author           TEXT,
    saved_at         TEXT NOT NULL,
    PRIMARY KEY (rule_id, version)
);
CREATE TABLE adjudications (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL REFERENCES datasets(fingerprint),
    item_id     TEXT NOT NULL,
    label       TEXT,
    note        TEXT NOT NULL DEFAULT '',
    author      TEXT,
    decided_at  TEXT NOT NULL
);
CREATE INDEX adjudications_item ON adjudications (fingerprint, item_id, decision_id);
"""

# Step 2: the round (batch) where a guideline version took effect; label-error reviews.
_V2: Final = """
ALTER TABLE rule_versions ADD COLUMN batch TEXT;
CREATE TABLE label_error_reviews (
    review_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL REFERENCES datasets(fingerprint),
    item_id     TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('confirmed_error', 'not_error')),
    note        TEXT NOT NULL DEFAULT '',
    author      TEXT,
    decided_at  TEXT NOT NULL
);
CREATE INDEX label_error_reviews_item ON label_error_reviews (fingerprint, item_id, review_id);
CREATE INDEX rule_versions_status ON rule_versions (status, batch);
"""

# Step 3: adjudicated final spans of span (NER) datasets; spans as JSON text
# ``[[start, end, "TYPE"], ...]`` (code points, end exclusive), NULL when cleared.
_V3: Final = """
CREATE TABLE span_adjudications (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL REFERENCES datasets(fingerprint),
    item_id     TEXT NOT NULL,
    spans       TEXT,
    note        TEXT NOT NULL DEFAULT '',
    author      TEXT,
    decided_at  TEXT NOT NULL
);
CREATE INDEX span_adjudications_item ON span_adjudications (fingerprint, item_id, decision_id);
"""

MIGRATIONS: Final[tuple[str, ...]] = (_V1, _V2, _V3)
SCHEMA_VERSION: Final[int] = len(MIGRATIONS)

READ_ONLY_FROM: Final[int] = 2
"""The oldest schema step a read-only open reads without upgrading: the later steps only
add tables, which read as empty there (so ``gold export`` on a workspace of the previous
release works before the dashboard has upgraded it)."""



def statements(script: str) -> list[str]:
    """Split a migration script into single statements (none of ours contains ';').

    Examples
    --------
    >>> statements("CREATE TABLE a (x);\\nCREATE TABLE b (y);")
    ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']
    """
    return [part.strip() for part in script.split(";") if part.strip()]


def _created_tables(script: str) -> frozenset[str]:
    return frozenset(
        statement.split()[2] for statement in statements(script)
        if statement.upper().startswith("CREATE TABLE")
    )


SCHEMA_TABLES: Final[tuple[frozenset[str], ...]] = tuple(
    _created_tables(script) for script in MIGRATIONS
)
"""The tables each migration step creates; a workspace at step ``n`` holds the union of
the first ``n`` (how a foreign SQLite file is told apart)."""

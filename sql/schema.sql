-- mod_testapi schema for MariaDB 10.5+ / MySQL 8 (InnoDB, utf8mb4): the
-- newest version, whole.  It makes a NEW database and records its version
-- (schema_version, at the end); on a database that has tables already its
-- first CREATE TABLE fails and nothing changes.  An existing database is
-- brought to this version by `testapi-admin schema upgrade`, which applies
-- the numbered migrations of sql/migrations/ that it lacks.  A change of
-- the schema is made in both places (README, "Schema versions").
--
-- Names compare byte for byte (utf8mb4_nopad_bin: 'X' <> 'x', 'a' <> 'a ');
-- their 1..255-byte limit is checked by the module.  Times are
-- microseconds since the epoch (UTC), formatted by the module, so that no
-- session time zone can shift them.  _id values are ObjectId hex strings
-- made by the module.

CREATE TABLE pods (
    id      INT UNSIGNED NOT NULL AUTO_INCREMENT,
    oid     CHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    mode    TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    details TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    role    TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created BIGINT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY oid (oid),
    UNIQUE KEY name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE projects (
    id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
    oid         CHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name        VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    description TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created     BIGINT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY oid (oid),
    UNIQUE KEY name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A testcase belongs to a project by id: renaming the project is one row,
-- and a project with testcases cannot be deleted (RESTRICT).
CREATE TABLE testcases (
    id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
    oid         CHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    project_id  INT UNSIGNED NOT NULL,
    name        VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    description TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    url         TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created     BIGINT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY oid (oid),
    UNIQUE KEY name (project_id, name),
    -- referenced by results (testcase_id, project_id): see below
    UNIQUE KEY id_project (id, project_id),
    -- results queried by case name without the project
    KEY case_name (name),
    CONSTRAINT testcase_project FOREIGN KEY (project_id) REFERENCES projects (id)
        ON DELETE RESTRICT ON UPDATE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Results point at their pod and testcase by id (so renames are one row,
-- and deleting what results refer to is refused by the database).
-- project_id repeats the testcase's project so that "newest N of a
-- project" reads the project_time index instead of sorting every result
-- of the project; the foreign key (testcase_id, project_id) keeps it equal
-- to the testcase's: moving a testcase cascades to its results within the
-- same UPDATE statement (atomic, no transaction to manage).
-- t is the result's time: start_date parsed, or the time of receipt.
-- start_date, stop_date and details are kept exactly as sent; details is
-- JSON text the database never parses.  trust is the trust_indicator
-- object as JSON text; trust_current its "current", for filtering.
CREATE TABLE results (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    oid           CHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    pod_id        INT UNSIGNED NOT NULL,
    testcase_id   INT UNSIGNED NOT NULL,
    project_id    INT UNSIGNED NOT NULL,
    installer     TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
    version       TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
    scenario      TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
    build_tag     TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
    criteria      TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
    start_date    TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    stop_date     TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    t             BIGINT NOT NULL,
    trust_current DOUBLE NOT NULL,
    trust         TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    details       LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    PRIMARY KEY (id),
    UNIQUE KEY oid (oid),
    -- newest-first reads: by testcase, by project, by pod, or all
    KEY testcase_time (testcase_id, t, oid),
    KEY project_time (project_id, t, oid),
    KEY pod_time (pod_id, t, oid),
    KEY time (t, oid),
    CONSTRAINT result_pod FOREIGN KEY (pod_id) REFERENCES pods (id)
        ON DELETE RESTRICT ON UPDATE RESTRICT,
    CONSTRAINT result_testcase FOREIGN KEY (testcase_id) REFERENCES testcases (id)
        ON DELETE RESTRICT ON UPDATE RESTRICT,
    CONSTRAINT result_project FOREIGN KEY (testcase_id, project_id)
        REFERENCES testcases (id, project_id)
        ON DELETE RESTRICT ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Accounts for writes, checked by the module's authentication provider
-- (AuthBasicProvider testapi) or by mod_authn_dbd (AuthDBDUserPWQuery).
-- password holds a bcrypt hash (testapi-admin, or `htpasswd -nbB`).  An
-- admin may write everything; any other account only the testcases and
-- results of the projects it is granted.
CREATE TABLE accounts (
    name     VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    password VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    admin    TINYINT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which projects an account may write to (its testcases and results).
-- By project id: a renamed project keeps its grants; removing the account
-- or the project removes them.
CREATE TABLE grants (
    account    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    project_id INT UNSIGNED NOT NULL,
    PRIMARY KEY (account, project_id),
    KEY project (project_id),
    CONSTRAINT grant_account FOREIGN KEY (account) REFERENCES accounts (name)
        ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT grant_project FOREIGN KEY (project_id) REFERENCES projects (id)
        ON DELETE CASCADE ON UPDATE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The schema version of the database: one row per version it reached, made
-- by this file (a new database) or by `testapi-admin schema upgrade` (one
-- row per migration of sql/migrations/ applied).  The database's version is
-- the highest; a database without this table is at version 1, the schema
-- before versions were recorded.  The module answers 503 while the
-- database is older than the version it needs (TESTAPI_SCHEMA_VERSION).
CREATE TABLE schema_version (
    version    INT UNSIGNED NOT NULL,
    applied    DATETIME(6) NOT NULL, -- UTC
    applied_by VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO schema_version (version, applied, applied_by)
VALUES (2, UTC_TIMESTAMP(6), 'sql/schema.sql');

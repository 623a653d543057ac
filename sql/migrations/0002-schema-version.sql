-- Version 2: the database records its schema version (schema_version).
--
-- Applied by `testapi-admin schema upgrade` to a database at version 1
-- (sql/schema.sql of before versions were recorded), which then records
-- version 2.  Like every migration it may run again (an upgrade that
-- stopped half way is simply run again): DDL commits on its own in
-- MariaDB, so each statement is idempotent, and each is short (Galera runs
-- DDL on the whole cluster at once, writes wait).

-- A database made before accounts had the admin flag, where sql/schema.sql
-- used to add it: its accounts could write everything, so they become
-- admins (added with default 1); new accounts are not, unless made so.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS
    admin TINYINT UNSIGNED NOT NULL DEFAULT 1 AFTER password;
ALTER TABLE accounts ALTER COLUMN admin SET DEFAULT 0;

CREATE TABLE IF NOT EXISTS schema_version (
    version    INT UNSIGNED NOT NULL,
    applied    DATETIME(6) NOT NULL, -- UTC
    applied_by VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

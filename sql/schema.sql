-- mod_testapi schema for MariaDB 10.5+ / MySQL 8 (InnoDB, utf8mb4).
-- Safe to run again: every statement is idempotent.
--
-- Names compare byte for byte (utf8mb4_nopad_bin: 'X' <> 'x', 'a' <> 'a ');
-- their 1..255-byte limit is checked by the module.  Times are
-- microseconds since the epoch (UTC), formatted by the module, so that no
-- session time zone can shift them.  _id values are ObjectId hex strings
-- made by the module.

CREATE TABLE IF NOT EXISTS pods (
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

-- Accounts for writes, read by mod_authn_dbd (AuthDBDUserPWQuery).
-- password holds a bcrypt hash as made by `htpasswd -nbB`.
CREATE TABLE IF NOT EXISTS accounts (
    name     VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    password VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Security (issue 11). Runs unchanged on H2 and PostgreSQL: keep to the SQL both accept.

-- What an audited call did beyond its path: where a connection test went, which fields of a
-- connection changed, a sign-in lockout.
ALTER TABLE siphon_audit ADD COLUMN detail VARCHAR(1000);

-- Grows with every change of a user's password or role: a session remembers the version it was
-- made with, and ends when it no longer matches.
ALTER TABLE siphon_user ADD COLUMN credentials_version INT DEFAULT 0 NOT NULL;

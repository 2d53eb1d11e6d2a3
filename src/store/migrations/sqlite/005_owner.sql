-- 005_owner.sql: the API key that started each job. With keys configured, a
-- key sees only its own jobs; '' is a job started with no keys configured.
ALTER TABLE jobs ADD COLUMN owner TEXT NOT NULL DEFAULT '';

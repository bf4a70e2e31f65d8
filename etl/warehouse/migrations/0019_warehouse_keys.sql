-- Secrets that belong to this warehouse alone. One row per purpose; migrate() (migrations.ts) writes a purpose's
-- row once, from Node's cryptographic random source, when the warehouse has none, and nothing changes it after.
-- 'account_ref': the key of the account reference (macros/account_ref.sql), a keyed hash of the PM account
-- number that the worklists show in its place (docs/security.md). It is no patient identifier and carries no
-- practice: the raw export copies it with the rest of raw, so Spark computes the same references.
create table raw.warehouse_keys (
      key_name   varchar primary key,
      key_value  varchar not null,     -- 64 hex digits (256 random bits)
      created_at timestamp not null    -- UTC
    );

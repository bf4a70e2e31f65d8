-- What each inbox file's content hashed to when a load last read it, beside what the file system said of the file
-- then (etl/warehouse/inbox-file-hashes.ts). An inbox that keeps its history is mostly files loaded before; one
-- whose device, inode, size, modification and change times are all the ones recorded is not read again to be
-- found already loaded. No tool can set a file's change time back, so rewriting a file always misses. Only the
-- check for files already loaded uses it: a file to load is read and hashed as it is loaded, as before. Paths and
-- hashes only, no content; kept apart from `raw`, which holds what was loaded.
create schema load_state;
create table load_state.inbox_file_hashes (
      file_path varchar not null,   -- absolute, as the load listed it
      device    ubigint not null,
      inode     ubigint not null,
      size      bigint not null,
      mtime_ns  bigint not null,    -- nanoseconds since 1970-01-01 UTC
      ctime_ns  bigint not null,
      sha256    varchar not null
    );

-- Run by the Evidence DuckDB connector before each source query.
-- Reports are built offline: never let DuckDB download an extension.
SET autoinstall_known_extensions = false;

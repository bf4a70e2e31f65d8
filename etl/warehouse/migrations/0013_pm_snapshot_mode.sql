-- How a CSV export replaces earlier ones (docs/inputs.md §4), as its profile declares: 'full', a snapshot of
-- its range (rows of earlier exports in that range it no longer lists are deleted), or 'incremental', a batch
-- (its rows replace earlier versions of the same keys and delete nothing). Exports loaded before this
-- migration have none and count as full, the one rule there was.
alter table raw.pm_exports add column snapshot_mode varchar;

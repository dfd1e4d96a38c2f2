-- Recordings removed by retention keep their row (the CDR still points at it).
ALTER TABLE recordings ADD COLUMN deleted_at TEXT;

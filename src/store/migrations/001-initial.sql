-- The journal: append-only call, queue, agent and system events. CDRs and
-- reports are derived from it, so it is never updated or deleted in place.
CREATE TABLE journal (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,                -- wall time, ISO 8601 UTC
  engine_ms INTEGER,               -- engine time, when the event came from a line
  journey TEXT,                    -- call journey id, NULL for system events
  kind TEXT NOT NULL CHECK (kind IN ('call', 'queue', 'agent', 'system')),
  event TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}'  -- JSON object
);
CREATE INDEX journal_journey ON journal(journey);
CREATE INDEX journal_kind_at ON journal(kind, at);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

-- One row per call journey, from the first ring; updated at answer and end.
CREATE TABLE cdr (
  journey TEXT PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
  caller TEXT NOT NULL DEFAULT '',
  caller_name TEXT NOT NULL DEFAULT '',
  callee TEXT NOT NULL DEFAULT '',
  trunk TEXT,
  port INTEGER,
  did TEXT,
  started_at TEXT NOT NULL,
  answered_at TEXT,
  ended_at TEXT,
  start_ms INTEGER,                -- engine time at the first ring, for durations
  answer_ms INTEGER,
  talk_s INTEGER,
  wait_s INTEGER,
  disposition TEXT NOT NULL DEFAULT 'in_progress',
  hangup_side TEXT,
  hangup_cause TEXT,
  route TEXT,
  ivr_path TEXT,
  queue TEXT,
  agent TEXT,
  extension TEXT,
  recordings TEXT NOT NULL DEFAULT '[]',   -- JSON array of recording ids
  legs TEXT NOT NULL DEFAULT '[]',         -- JSON array of engine channels the call holds now
  tags TEXT NOT NULL DEFAULT '[]'          -- JSON array
);
CREATE INDEX cdr_started ON cdr(started_at);
CREATE INDEX cdr_caller ON cdr(caller);
CREATE INDEX cdr_open ON cdr(disposition) WHERE disposition = 'in_progress';

CREATE TABLE recordings (
  id INTEGER PRIMARY KEY,
  journey TEXT NOT NULL,
  path TEXT NOT NULL,
  channel INTEGER,
  stereo INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  duration_ms INTEGER,
  status TEXT NOT NULL DEFAULT 'recording' CHECK (status IN ('recording', 'finished', 'interrupted'))
);
CREATE INDEX recordings_journey ON recordings(journey);

-- Configuration documents, one JSON object per (kind, id), validated by the
-- supervisor's schemas before they are written.
CREATE TABLE config (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  doc TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (kind, id)
);

CREATE TABLE voicemail (
  id INTEGER PRIMARY KEY,
  box TEXT NOT NULL,
  journey TEXT,
  caller TEXT NOT NULL DEFAULT '',
  caller_name TEXT NOT NULL DEFAULT '',
  received_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  path TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'saved', 'deleted')),
  emailed_at TEXT,
  email_error TEXT
);
CREATE INDEX voicemail_box ON voicemail(box, status);

-- An agent's wrap-up of a call: a note and disposition tags, one per call
-- (saving again replaces it). The tags are also journaled as CallTagged and
-- kept on the CDR; the note reaches the customer's history when the caller
-- matched a customer (customer_note_id).
CREATE TABLE call_wrapups (
  journey TEXT PRIMARY KEY,
  agent TEXT,
  author TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '[]',
  customer_id INTEGER,
  customer_note_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

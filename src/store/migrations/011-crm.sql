-- CRM: customers with several numbers, tags, an owner agent and notes. The
-- contact history is computed: calls come from the CDRs by number.
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customers_name ON customers(name);
CREATE INDEX customers_owner ON customers(owner_id);

CREATE TABLE customer_phones (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  number TEXT NOT NULL,          -- as entered
  norm TEXT NOT NULL,            -- national form, for matching caller ID
  label TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_phones_customer ON customer_phones(customer_id);
CREATE INDEX customer_phones_norm ON customer_phones(norm);

CREATE TABLE customer_tags (
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tag ON customer_tags(tag);

CREATE TABLE customer_notes (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX customer_notes_customer ON customer_notes(customer_id, created_at);

-- A customer's calls are found by callee as well as caller.
CREATE INDEX cdr_callee ON cdr(callee);

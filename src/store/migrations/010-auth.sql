-- Panel and API accounts. No default account exists: the first start asks for
-- the admin's password (auth/setup/create-admin), the serial console resets it.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent')),
  password_hash TEXT NOT NULL,             -- scrypt$N$r$p$salt$hash (base64)
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);

-- Browser sessions; the cookie holds a random token, this table its SHA-256.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,                     -- sha256(token), hex
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Integration tokens (Authorization: Bearer): shown once, stored hashed, each with a role.
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent')),
  token_hash TEXT NOT NULL UNIQUE,         -- sha256(token), hex
  prefix TEXT NOT NULL,                    -- first characters, to tell tokens apart in lists
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);

-- Failed sign-ins per user name and per address, for throttling and lockout.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,                    -- 'user:<name>' or 'ip:<address>'
  failures INTEGER NOT NULL DEFAULT 0,
  window_start TEXT NOT NULL,
  locked_until TEXT
);

-- Who changed what: every configuration change and supervision action.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,                     -- user name, 'token:<name>' or 'console'
  actor_user_id INTEGER,
  via TEXT NOT NULL,                       -- http, ws, console
  ip TEXT NOT NULL DEFAULT '',
  command TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_command ON audit_log(command);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- ACD report rollup, kept by triggers on the journal in the same transaction
-- as the entry itself, so it cannot drift from it. It holds only what a fold
-- of the journal gives (src/reports/acd-fold.ts is that fold, and
-- recomputeAcdRollup() rebuilds both tables from the journal to compare).
--
-- acd_rollup: additive counters per 15-minute slot (every real UTC offset is a
-- multiple of 15 minutes, so hours and days of any zone are whole slots) and
-- per queue or agent. Durations in tenths of a second, so sums are exact.
-- wait_hist: answered calls by whole seconds waited (rounded up, 601 = longer
-- than any service level), so service level works for any serviceLevelSec.
CREATE TABLE acd_rollup (
  slot INTEGER NOT NULL,             -- unix seconds of the slot's start
  dim TEXT NOT NULL CHECK (dim IN ('queue', 'agent')),
  id TEXT NOT NULL,
  offered INTEGER NOT NULL DEFAULT 0,
  answered INTEGER NOT NULL DEFAULT 0,
  answered_ds INTEGER NOT NULL DEFAULT 0,
  wait_hist TEXT NOT NULL DEFAULT '{}',
  abandoned INTEGER NOT NULL DEFAULT 0,
  abandoned_ds INTEGER NOT NULL DEFAULT 0,
  exited INTEGER NOT NULL DEFAULT 0,
  ovf_max_wait INTEGER NOT NULL DEFAULT 0,
  ovf_max_length INTEGER NOT NULL DEFAULT 0,
  ovf_no_agents INTEGER NOT NULL DEFAULT 0,
  ovf_service_level INTEGER NOT NULL DEFAULT 0,
  ovf_leave_when_empty INTEGER NOT NULL DEFAULT 0,
  ovf_other INTEGER NOT NULL DEFAULT 0,
  handled INTEGER NOT NULL DEFAULT 0,
  talk_ds INTEGER NOT NULL DEFAULT 0,
  wrap_n INTEGER NOT NULL DEFAULT 0,
  wrap_ds INTEGER NOT NULL DEFAULT 0,
  transfers INTEGER NOT NULL DEFAULT 0,
  offers INTEGER NOT NULL DEFAULT 0,
  offers_missed INTEGER NOT NULL DEFAULT 0,
  cb_requested INTEGER NOT NULL DEFAULT 0,
  cb_answered INTEGER NOT NULL DEFAULT 0,
  cb_no_answer INTEGER NOT NULL DEFAULT 0,
  cb_failed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (slot, dim, id)
) WITHOUT ROWID;

-- Agent attendance as intervals: logged in, and paused (with reason) inside a
-- login. end_at NULL: still open. Times are the journal entries' `at`.
CREATE TABLE acd_interval (
  id INTEGER PRIMARY KEY,
  agent TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('login', 'pause')),
  reason TEXT,
  start_at TEXT NOT NULL,
  end_at TEXT
);
CREATE INDEX acd_interval_end ON acd_interval(end_at);
CREATE INDEX acd_interval_open ON acd_interval(agent, kind) WHERE end_at IS NULL;

-- A malformed entry is skipped here (and by the fold), never refused: the
-- journal write must not fail because of a report.
CREATE TRIGGER acd_queue_joined AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueJoined' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, offered)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''), 1)
  ON CONFLICT (slot, dim, id) DO UPDATE SET offered = offered + 1;
END;

CREATE TRIGGER acd_queue_offered AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueOffered' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, offers)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'agent', COALESCE(json_extract(NEW.data, '$.agent'), ''), 1)
  ON CONFLICT (slot, dim, id) DO UPDATE SET offers = offers + 1;
END;

CREATE TRIGGER acd_queue_offer_missed AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueOfferMissed' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, offers_missed)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'agent', COALESCE(json_extract(NEW.data, '$.agent'), ''), 1)
  ON CONFLICT (slot, dim, id) DO UPDATE SET offers_missed = offers_missed + 1;
END;

CREATE TRIGGER acd_queue_answered AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueAnswered' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, answered, answered_ds, wait_hist)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''), 1,
    MAX(0, CAST(ROUND(COALESCE(json_extract(NEW.data, '$.waitSec'), 0) * 10) AS INTEGER)),
    json_object(CAST(MIN(601, (MAX(0, CAST(ROUND(COALESCE(json_extract(NEW.data, '$.waitSec'), 0) * 10) AS INTEGER)) + 9) / 10) AS TEXT), 1))
  ON CONFLICT (slot, dim, id) DO UPDATE SET answered = answered + 1, answered_ds = answered_ds + excluded.answered_ds,
    wait_hist = json_set(wait_hist, '$."' || MIN(601, (excluded.answered_ds + 9) / 10) || '"',
      COALESCE(json_extract(wait_hist, '$."' || MIN(601, (excluded.answered_ds + 9) / 10) || '"'), 0) + 1);
  INSERT INTO acd_rollup (slot, dim, id, answered)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'agent', COALESCE(json_extract(NEW.data, '$.agent'), ''), 1)
  ON CONFLICT (slot, dim, id) DO UPDATE SET answered = answered + 1;
END;

CREATE TRIGGER acd_queue_abandoned AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueAbandoned' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, abandoned, abandoned_ds)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''), 1,
    MAX(0, CAST(ROUND(COALESCE(json_extract(NEW.data, '$.waitSec'), 0) * 10) AS INTEGER)))
  ON CONFLICT (slot, dim, id) DO UPDATE SET abandoned = abandoned + 1, abandoned_ds = abandoned_ds + excluded.abandoned_ds;
END;

CREATE TRIGGER acd_queue_overflowed AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueOverflowed' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, ovf_max_wait, ovf_max_length, ovf_no_agents, ovf_service_level, ovf_leave_when_empty, ovf_other)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''),
    json_extract(NEW.data, '$.why') IS 'maxWait', json_extract(NEW.data, '$.why') IS 'maxLength', json_extract(NEW.data, '$.why') IS 'noAgents',
    json_extract(NEW.data, '$.why') IS 'serviceLevel', json_extract(NEW.data, '$.why') IS 'leaveWhenEmpty',
    COALESCE(json_extract(NEW.data, '$.why') NOT IN ('maxWait', 'maxLength', 'noAgents', 'serviceLevel', 'leaveWhenEmpty'), 1))
  ON CONFLICT (slot, dim, id) DO UPDATE SET ovf_max_wait = ovf_max_wait + excluded.ovf_max_wait, ovf_max_length = ovf_max_length + excluded.ovf_max_length,
    ovf_no_agents = ovf_no_agents + excluded.ovf_no_agents, ovf_service_level = ovf_service_level + excluded.ovf_service_level,
    ovf_leave_when_empty = ovf_leave_when_empty + excluded.ovf_leave_when_empty, ovf_other = ovf_other + excluded.ovf_other;
END;

CREATE TRIGGER acd_queue_exited AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueExited' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, exited)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''), 1)
  ON CONFLICT (slot, dim, id) DO UPDATE SET exited = exited + 1;
END;

CREATE TRIGGER acd_queue_call_completed AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueCallCompleted' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, handled, talk_ds)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''), 1,
    MAX(0, CAST(ROUND(COALESCE(json_extract(NEW.data, '$.talkSec'), 0) * 10) AS INTEGER)))
  ON CONFLICT (slot, dim, id) DO UPDATE SET handled = handled + 1, talk_ds = talk_ds + excluded.talk_ds;
  INSERT INTO acd_rollup (slot, dim, id, handled, talk_ds)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'agent', COALESCE(json_extract(NEW.data, '$.agent'), ''), 1,
    MAX(0, CAST(ROUND(COALESCE(json_extract(NEW.data, '$.talkSec'), 0) * 10) AS INTEGER)))
  ON CONFLICT (slot, dim, id) DO UPDATE SET handled = handled + 1, talk_ds = talk_ds + excluded.talk_ds;
END;

CREATE TRIGGER acd_queue_transferred AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'QueueTransferred' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, transfers)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''), 1)
  ON CONFLICT (slot, dim, id) DO UPDATE SET transfers = transfers + 1;
  INSERT INTO acd_rollup (slot, dim, id, transfers)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'agent', COALESCE(json_extract(NEW.data, '$.agent'), ''), 1)
  ON CONFLICT (slot, dim, id) DO UPDATE SET transfers = transfers + 1;
END;

CREATE TRIGGER acd_callback_requested AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'CallbackRequested' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, cb_requested)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''), 1)
  ON CONFLICT (slot, dim, id) DO UPDATE SET cb_requested = cb_requested + 1;
END;

-- An outcome other than answered / no-answer counts as failed.
CREATE TRIGGER acd_callback_served AFTER INSERT ON journal
WHEN NEW.kind = 'queue' AND NEW.event = 'CallbackServed' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, cb_answered, cb_no_answer, cb_failed)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''),
    json_extract(NEW.data, '$.outcome') IS 'answered', json_extract(NEW.data, '$.outcome') IS 'no-answer',
    COALESCE(json_extract(NEW.data, '$.outcome') NOT IN ('answered', 'no-answer'), 1))
  ON CONFLICT (slot, dim, id) DO UPDATE SET cb_answered = cb_answered + excluded.cb_answered, cb_no_answer = cb_no_answer + excluded.cb_no_answer,
    cb_failed = cb_failed + excluded.cb_failed;
  INSERT INTO acd_rollup (slot, dim, id, cb_answered, cb_no_answer, cb_failed)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'agent', COALESCE(json_extract(NEW.data, '$.agent'), ''),
    json_extract(NEW.data, '$.outcome') IS 'answered', json_extract(NEW.data, '$.outcome') IS 'no-answer',
    COALESCE(json_extract(NEW.data, '$.outcome') NOT IN ('answered', 'no-answer'), 1))
  ON CONFLICT (slot, dim, id) DO UPDATE SET cb_answered = cb_answered + excluded.cb_answered, cb_no_answer = cb_no_answer + excluded.cb_no_answer,
    cb_failed = cb_failed + excluded.cb_failed;
END;

-- Wrap-up counts for the agent and, when it names one, the queue of the call.
CREATE TRIGGER acd_agent_wrap_up_ended AFTER INSERT ON journal
WHEN NEW.kind = 'agent' AND NEW.event = 'AgentWrapUpEnded' AND json_valid(NEW.data) AND strftime('%s', NEW.at) IS NOT NULL
BEGIN
  INSERT INTO acd_rollup (slot, dim, id, wrap_n, wrap_ds)
  VALUES ((CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'agent', COALESCE(json_extract(NEW.data, '$.agent'), ''), 1,
    MAX(0, CAST(ROUND(COALESCE(json_extract(NEW.data, '$.sec'), 0) * 10) AS INTEGER)))
  ON CONFLICT (slot, dim, id) DO UPDATE SET wrap_n = wrap_n + 1, wrap_ds = wrap_ds + excluded.wrap_ds;
  INSERT INTO acd_rollup (slot, dim, id, wrap_n, wrap_ds)
  SELECT (CAST(strftime('%s', NEW.at) AS INTEGER) / 900) * 900, 'queue', COALESCE(json_extract(NEW.data, '$.queue'), ''), 1,
    MAX(0, CAST(ROUND(COALESCE(json_extract(NEW.data, '$.sec'), 0) * 10) AS INTEGER))
  WHERE COALESCE(json_extract(NEW.data, '$.queue'), '') <> ''
  ON CONFLICT (slot, dim, id) DO UPDATE SET wrap_n = wrap_n + 1, wrap_ds = wrap_ds + excluded.wrap_ds;
END;

-- Attendance: a login opens once (a second login at another phone continues
-- it); logging out closes the login and any pause; a pause needs an open
-- login and replaces the pause before it; resuming closes it.
CREATE TRIGGER acd_agent_logged_in AFTER INSERT ON journal
WHEN NEW.kind = 'agent' AND NEW.event = 'AgentLoggedIn' AND json_valid(NEW.data)
BEGIN
  INSERT INTO acd_interval (agent, kind, reason, start_at)
  SELECT COALESCE(json_extract(NEW.data, '$.agent'), ''), 'login', NULL, NEW.at
  WHERE NOT EXISTS (SELECT 1 FROM acd_interval WHERE agent = COALESCE(json_extract(NEW.data, '$.agent'), '') AND kind = 'login' AND end_at IS NULL);
END;

CREATE TRIGGER acd_agent_logged_out AFTER INSERT ON journal
WHEN NEW.kind = 'agent' AND NEW.event = 'AgentLoggedOut' AND json_valid(NEW.data)
BEGIN
  UPDATE acd_interval SET end_at = NEW.at WHERE agent = COALESCE(json_extract(NEW.data, '$.agent'), '') AND kind = 'pause' AND end_at IS NULL;
  UPDATE acd_interval SET end_at = NEW.at WHERE agent = COALESCE(json_extract(NEW.data, '$.agent'), '') AND kind = 'login' AND end_at IS NULL;
END;

CREATE TRIGGER acd_agent_paused AFTER INSERT ON journal
WHEN NEW.kind = 'agent' AND NEW.event = 'AgentPaused' AND json_valid(NEW.data)
  AND EXISTS (SELECT 1 FROM acd_interval WHERE agent = COALESCE(json_extract(NEW.data, '$.agent'), '') AND kind = 'login' AND end_at IS NULL)
BEGIN
  UPDATE acd_interval SET end_at = NEW.at WHERE agent = COALESCE(json_extract(NEW.data, '$.agent'), '') AND kind = 'pause' AND end_at IS NULL;
  INSERT INTO acd_interval (agent, kind, reason, start_at)
  VALUES (COALESCE(json_extract(NEW.data, '$.agent'), ''), 'pause', COALESCE(json_extract(NEW.data, '$.reason'), ''), NEW.at);
END;

CREATE TRIGGER acd_agent_resumed AFTER INSERT ON journal
WHEN NEW.kind = 'agent' AND NEW.event = 'AgentResumed' AND json_valid(NEW.data)
BEGIN
  UPDATE acd_interval SET end_at = NEW.at WHERE agent = COALESCE(json_extract(NEW.data, '$.agent'), '') AND kind = 'pause' AND end_at IS NULL;
END;

-- Backfill: entries journaled before this migration, counted as the triggers
-- would have (a test builds a journal without this migration, applies it, and
-- compares with the fold).
CREATE TEMP TABLE acd_ev AS
SELECT (CAST(strftime('%s', at) AS INTEGER) / 900) * 900 AS slot, kind, event,
  CAST(COALESCE(json_extract(data, '$.queue'), '') AS TEXT) AS queue,
  CAST(COALESCE(json_extract(data, '$.agent'), '') AS TEXT) AS agent,
  MAX(0, CAST(ROUND(COALESCE(json_extract(data, '$.waitSec'), 0) * 10) AS INTEGER)) AS wait_ds,
  MAX(0, CAST(ROUND(COALESCE(json_extract(data, '$.talkSec'), 0) * 10) AS INTEGER)) AS talk_ds,
  MAX(0, CAST(ROUND(COALESCE(json_extract(data, '$.sec'), 0) * 10) AS INTEGER)) AS sec_ds,
  json_extract(data, '$.why') AS why, json_extract(data, '$.outcome') AS outcome
FROM journal
WHERE ((kind = 'queue' AND event IN ('QueueJoined', 'QueueOffered', 'QueueOfferMissed', 'QueueAnswered', 'QueueAbandoned', 'QueueOverflowed',
    'QueueExited', 'QueueCallCompleted', 'QueueTransferred', 'CallbackRequested', 'CallbackServed'))
  OR (kind = 'agent' AND event = 'AgentWrapUpEnded'))
  AND json_valid(data) AND strftime('%s', at) IS NOT NULL;
CREATE INDEX temp.acd_ev_answered ON acd_ev(event, slot, queue);

INSERT INTO acd_rollup (slot, dim, id, offered, answered, answered_ds, abandoned, abandoned_ds, exited, ovf_max_wait, ovf_max_length, ovf_no_agents,
  ovf_service_level, ovf_leave_when_empty, ovf_other, handled, talk_ds, wrap_n, wrap_ds, transfers, offers, offers_missed, cb_requested, cb_answered,
  cb_no_answer, cb_failed)
SELECT slot, dim, id, SUM(offered), SUM(answered), SUM(answered_ds), SUM(abandoned), SUM(abandoned_ds), SUM(exited), SUM(ovf_max_wait), SUM(ovf_max_length),
  SUM(ovf_no_agents), SUM(ovf_service_level), SUM(ovf_leave_when_empty), SUM(ovf_other), SUM(handled), SUM(talk_ds), SUM(wrap_n), SUM(wrap_ds),
  SUM(transfers), SUM(offers), SUM(offers_missed), SUM(cb_requested), SUM(cb_answered), SUM(cb_no_answer), SUM(cb_failed)
FROM (
  SELECT slot, 'queue' AS dim, queue AS id,
    event = 'QueueJoined' AS offered,
    event = 'QueueAnswered' AS answered,
    CASE WHEN event = 'QueueAnswered' THEN wait_ds ELSE 0 END AS answered_ds,
    event = 'QueueAbandoned' AS abandoned,
    CASE WHEN event = 'QueueAbandoned' THEN wait_ds ELSE 0 END AS abandoned_ds,
    event = 'QueueExited' AS exited,
    event = 'QueueOverflowed' AND why IS 'maxWait' AS ovf_max_wait,
    event = 'QueueOverflowed' AND why IS 'maxLength' AS ovf_max_length,
    event = 'QueueOverflowed' AND why IS 'noAgents' AS ovf_no_agents,
    event = 'QueueOverflowed' AND why IS 'serviceLevel' AS ovf_service_level,
    event = 'QueueOverflowed' AND why IS 'leaveWhenEmpty' AS ovf_leave_when_empty,
    event = 'QueueOverflowed' AND COALESCE(why NOT IN ('maxWait', 'maxLength', 'noAgents', 'serviceLevel', 'leaveWhenEmpty'), 1) AS ovf_other,
    event = 'QueueCallCompleted' AS handled,
    CASE WHEN event = 'QueueCallCompleted' THEN talk_ds ELSE 0 END AS talk_ds,
    event = 'AgentWrapUpEnded' AS wrap_n,
    CASE WHEN event = 'AgentWrapUpEnded' THEN sec_ds ELSE 0 END AS wrap_ds,
    event = 'QueueTransferred' AS transfers,
    0 AS offers, 0 AS offers_missed,
    event = 'CallbackRequested' AS cb_requested,
    event = 'CallbackServed' AND outcome IS 'answered' AS cb_answered,
    event = 'CallbackServed' AND outcome IS 'no-answer' AS cb_no_answer,
    event = 'CallbackServed' AND COALESCE(outcome NOT IN ('answered', 'no-answer'), 1) AS cb_failed
  FROM acd_ev
  WHERE event IN ('QueueJoined', 'QueueAnswered', 'QueueAbandoned', 'QueueOverflowed', 'QueueExited', 'QueueCallCompleted', 'QueueTransferred',
      'CallbackRequested', 'CallbackServed')
    OR (event = 'AgentWrapUpEnded' AND queue <> '')
  UNION ALL
  SELECT slot, 'agent', agent,
    0, event = 'QueueAnswered', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    event = 'QueueCallCompleted', CASE WHEN event = 'QueueCallCompleted' THEN talk_ds ELSE 0 END,
    event = 'AgentWrapUpEnded', CASE WHEN event = 'AgentWrapUpEnded' THEN sec_ds ELSE 0 END,
    event = 'QueueTransferred', event = 'QueueOffered', event = 'QueueOfferMissed', 0,
    event = 'CallbackServed' AND outcome IS 'answered',
    event = 'CallbackServed' AND outcome IS 'no-answer',
    event = 'CallbackServed' AND COALESCE(outcome NOT IN ('answered', 'no-answer'), 1)
  FROM acd_ev
  WHERE event IN ('QueueOffered', 'QueueOfferMissed', 'QueueAnswered', 'QueueCallCompleted', 'QueueTransferred', 'CallbackServed', 'AgentWrapUpEnded')
)
GROUP BY slot, dim, id;

UPDATE acd_rollup SET wait_hist = (
  SELECT json_group_object(bin, n) FROM (
    SELECT MIN(601, (e.wait_ds + 9) / 10) AS bin, COUNT(*) AS n FROM acd_ev AS e
    WHERE e.event = 'QueueAnswered' AND e.slot = acd_rollup.slot AND e.queue = acd_rollup.id GROUP BY 1))
WHERE dim = 'queue' AND answered > 0;
DROP TABLE temp.acd_ev;

-- Attendance replayed in order: a login opens at an AgentLoggedIn when the
-- agent's last login/logout before it was a logout (or none) and ends at the
-- next logout; a pause opens at an AgentPaused while logged in and ends at
-- the agent's next pause, resume or logout.
CREATE TEMP TABLE acd_att AS
SELECT id, at, event, agent, reason,
  MAX(CASE WHEN event IN ('AgentLoggedIn', 'AgentLoggedOut') THEN id END)
    OVER (PARTITION BY agent ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_io
FROM (SELECT id, at, event, CAST(COALESCE(json_extract(data, '$.agent'), '') AS TEXT) AS agent,
        CAST(COALESCE(json_extract(data, '$.reason'), '') AS TEXT) AS reason
      FROM journal WHERE kind = 'agent' AND event IN ('AgentLoggedIn', 'AgentLoggedOut', 'AgentPaused', 'AgentResumed') AND json_valid(data));
CREATE INDEX temp.acd_att_agent ON acd_att(agent, id);

INSERT INTO acd_interval (agent, kind, reason, start_at, end_at)
SELECT agent, kind, reason, start_at, end_at FROM (
  SELECT a.id, a.agent, 'login' AS kind, NULL AS reason, a.at AS start_at,
    (SELECT o.at FROM acd_att AS o WHERE o.agent = a.agent AND o.id > a.id AND o.event = 'AgentLoggedOut' ORDER BY o.id LIMIT 1) AS end_at
  FROM acd_att AS a
  WHERE a.event = 'AgentLoggedIn'
    AND (a.prev_io IS NULL OR (SELECT p.event FROM acd_att AS p WHERE p.agent = a.agent AND p.id = a.prev_io) = 'AgentLoggedOut')
  UNION ALL
  SELECT a.id, a.agent, 'pause', a.reason, a.at,
    (SELECT o.at FROM acd_att AS o WHERE o.agent = a.agent AND o.id > a.id AND o.event IN ('AgentPaused', 'AgentResumed', 'AgentLoggedOut') ORDER BY o.id LIMIT 1)
  FROM acd_att AS a
  WHERE a.event = 'AgentPaused'
    AND (SELECT p.event FROM acd_att AS p WHERE p.agent = a.agent AND p.id = a.prev_io) = 'AgentLoggedIn'
)
ORDER BY id;
DROP TABLE temp.acd_att;

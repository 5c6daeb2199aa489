// The SQLite schema, one numbered migration at a time.
//
// Conventions: instants are INTEGER unix seconds (UTC); money (arr) is REAL;
// booleans are INTEGER 0/1; "JSON" columns hold the formats of
// json_codec.h. Text ids (customer, person, response) are TEXT; numeric ids
// (case, timer, ...) are INTEGER PRIMARY KEY, i.e. the rowid.
//
// customers          one row per account, upserted by every import
//   id               TEXT PK: the customer id of the source system
//   name, segment    TEXT
//   arr              REAL: annual revenue
//   account_owner    TEXT: person id, '' if none
//   lost             INTEGER 0/1: a churn event was received
//
// responses          NPS answers; response_id is the idempotency key
//   response_id      TEXT PK
//   customer_id, customer_name, segment   TEXT, as received
//   arr              REAL
//   score            INTEGER 0..10
//   comment          TEXT ('' if none)
//   responded_at     INTEGER: when the customer answered
//   received_at      INTEGER: when Turnaround imported it
//   case_id          INTEGER NULL -> cases: the case the response is part of,
//                    set by insert_case/update_case from Case::responses
//   indexes          (customer_id), (responded_at, score), (segment,
//                    responded_at, score) (the last two: migration 7)
//
// churn_events       customers lost; (customer_id, lost_at) is the key
//   id               INTEGER PK
//   customer_id      TEXT
//   lost_at          INTEGER
//   reason           TEXT ('' if none)
//   arr              REAL: revenue lost
//   received_at      INTEGER
//
// cases              one follow-up running one workflow version
//   id               INTEGER PK (rowid; ids are never reused: rows are not deleted)
//   workflow         TEXT, workflow_version INTEGER: the definition it runs
//   state            TEXT
//   owner            TEXT: person id, '' when unassigned
//   queue            TEXT: role whose members may claim it, '' when none
//   priority         INTEGER: 0 low, 1 normal, 2 high, 3 urgent
//   customer_id, customer_name, segment   TEXT; arr REAL
//   score            INTEGER NULL: lowest score of its responses
//   responses        JSON array of response ids
//   responded_at     INTEGER NULL: of the first response
//   opened_at, state_entered_at   INTEGER
//   closed_at        INTEGER NULL: NULL while open
//   version          INTEGER: 1 on insert, +1 per change (optimistic locking)
//   data             JSON object: the workflow's data fields
//   deadlines        JSON array of CaseDeadline
//   overdue_since    INTEGER NULL, derived from deadlines on every write: the
//                    case is overdue at T iff overdue_since < T. NULL when
//                    closed or when no deadline can become overdue without
//                    another write (all done, met or paused); the smallest
//                    integer for a missed deadline (overdue at every T);
//                    else the earliest due_at of a pending, unpaused one.
//   indexes          (customer_id, workflow, closed_at): find_open_case and
//                    the customer filter; (state); (owner, closed_at): the
//                    owner filter and open_case_counts; (segment);
//                    (queue) WHERE open and unowned: claimable queues;
//                    (overdue_since) WHERE open and not NULL: the overdue view
//
// case_history       append-only log of a case, read in seq order; WITHOUT
//                    ROWID, clustered by case (migration 10): a case's
//                    entries are one range of the table
//   case_id, seq     INTEGER: PK; seq counts up within the case (new
//                    entries take max(seq) + 1 of their case)
//   at               INTEGER
//   event            TEXT: "opened", a workflow event, "reminder", ...
//   from_state, to_state   TEXT ('' from_state for "opened")
//   actor            TEXT: person id or "system"
//   data             JSON object: event fields
//   index            (event, at, case_id): outreach and the agenda
//
// timers             durable "at due_at, something happens to this case"
//   id               INTEGER PK
//   case_id          INTEGER -> cases
//   deadline         TEXT: the case deadline it belongs to
//   kind             TEXT: reminder | deadline | escalation
//   level            INTEGER: escalation level or reminder repetition
//   due_at           INTEGER
//   misfire          TEXT: fire_once | fire_all | skip
//   status           TEXT: pending | fired | cancelled
//   fired_at         INTEGER NULL; lateness_s INTEGER NULL (fired_at - due_at)
//   indexes          (due_at, id) WHERE pending: the due scan, in firing
//                    order; (case_id) WHERE pending: cancel and case_timers
//
// people             who works on cases
//   id               TEXT PK; name TEXT
//   roles            JSON array of role names; teams JSON array of strings
//   capacity         INTEGER: max open cases owned, 0 = unlimited
//   active           INTEGER 0/1
//
// counters           key TEXT PK, value INTEGER: round-robin cursors
//
// notifications      outbox of messages (reminders, escalations)
//   id               INTEGER PK
//   case_id          INTEGER NULL -> cases
//   recipient        TEXT: person id or "role:NAME"
//   kind, message    TEXT
//   created_at       INTEGER
//   delivered_at     INTEGER NULL: NULL until delivered
//   attempts         INTEGER: delivery attempts so far
//   index            (id) WHERE not delivered: the outbox scan
//
// workflows          every loaded version of every workflow file
//   name TEXT, version INTEGER: PK (name, version)
//   content_hash     TEXT; source TEXT: the YAML; file TEXT: its path
//   loaded_at        INTEGER
//
// settings           key TEXT PK, value TEXT: small installation settings
//
// tokens             API bearer tokens (migration 2), stored hashed only
//   hash             TEXT PK: lowercase hex SHA-256 of the token text
//   person_id        TEXT -> people: whom the token authenticates
//   created_at       INTEGER
//   revoked_at       INTEGER NULL: NULL while the token is live
//   index            (person_id) WHERE live: revoke_tokens
//
// Migration 3: analytics summaries (analytics_schema.cpp), kept current by
// triggers in the same statement as the rows they summarise. "Local day" =
// days since 1970-01-01 of the company's local date, computed in SQL from
// zone_offsets.
//
// cases (added)      themes TEXT: JSON array, Case::themes (the engine derives
//                    it from the workflow's theme fields); first_contact_at
//                    INTEGER NULL: Case::first_contact_at
//   indexes          cases_timing (workflow, opened_at, first_contact_at,
//                    closed_at, segment): timing and cases opened;
//                    cases_closed (workflow, closed_at) WHERE closed;
//                    cases_open_by_state (workflow, state) WHERE open;
//                    cases_first_contact (first_contact_at, id) WHERE set
//
// zone_offsets       the company zone's UTC offset history (from tzdb, written
//                    by the engine): since INTEGER PK, offset_s INTEGER
//
// response_days      responses per local day x segment x score
//   day, segment, score  PK; responses INTEGER; arr REAL (sum)
//
// case_themes        one row per case x theme (from cases.themes)
//   case_id, theme   PK; segment, workflow, customer_id, arr, score,
//                    opened_at, closed_at: copies of the case's
//   indexes          (theme, segment); (theme, segment, workflow) WHERE open
//
// theme_days         case_themes per local day of opening x theme x segment x
//                    workflow: cases, detractors (score 0..6), arr,
//                    detractor_arr
//
// case_deadlines     one row per case x deadline (from cases.deadlines)
//   case_id, name    PK; workflow; owner: the case's owner while pending,
//                    frozen when met/missed/cancelled; due_at; status;
//                    resolved_at
//   index            (due_at)
//
// deadline_days      case_deadlines per (name, workflow, owner, status, local
//                    day of due_at): count (keyed by step first)
//
// open_themes        open cases per theme x segment x workflow (from
//                    case_themes): cases, detractors, arr, detractor_arr
//
// timing_months      cases per workflow x local month of opening (year * 12
//                    + month - 1) x segment x metric ('opened', hours 0;
//                    'first_contact' / 'close': whole hours from opening)
//
// issues             top-five issues (migration 5): the subject of an issue case
//   case_id          INTEGER PK -> cases: the issue's case (a subject: theme workflow)
//   theme            TEXT: a theme of the company's taxonomy
//   segment          TEXT: one segment, '' for all segments
//   title            TEXT
//   opened_by        TEXT: person id; opened_at INTEGER
//   index            (theme)
//
// issue_links        cases linked to an issue (migration 5)
//   issue_id         INTEGER -> cases (an issue); case_id INTEGER -> cases
//                    PK (issue_id, case_id)
//   linked_at        INTEGER
//   linked_by        TEXT: person id or "system"
//   how              TEXT: auto | manual | bulk
//   index            (case_id): the issues of a case
//
// web_sessions       the web page's sign-in sessions (migration 6), hashed
//   hash             TEXT PK: lowercase hex SHA-256 of the cookie's secret
//   token_hash       TEXT -> tokens: the token the user signed in with; a
//                    session ends when its token is revoked
//   person_id        TEXT -> people
//   created_at, expires_at   INTEGER
//   index            (expires_at): deleting expired sessions
//
// Migration 6 also adds cases_open_due: open cases by (coalesce(
// overdue_since, max int64), id), the board's "by next due date" order
// and its keyset cursor (CaseFilter::by_due).
//
// review_meetings    loss-review meetings (migration 4), created ahead by
//                    Engine::tick from company.yaml's loss_review rule;
//                    frozen once, at the agenda cut-off, by tick
//   month            TEXT PK: "2026-09", the month of the local start
//   starts_at, cutoff_at   INTEGER
//   frozen_at        INTEGER NULL: NULL until the agenda is frozen
//   agenda           TEXT NULL: the frozen agenda (agenda_codec.h JSON)
//   index            (cutoff_at) WHERE not frozen: the due scan
// Migration 8 drops the triggers of response_days, timing_months,
// case_deadlines and deadline_days: SqliteTransaction writes those itself
// (summary_rows.cpp), and plain-SQL writers of responses or cases call
// rebuild_summaries() (migrations.h) afterwards. case_themes, theme_days and
// open_themes keep their triggers.
//
// Migration 4 also indexes the agenda's queries: churn_events (lost_at);
// cases (workflow, state, owner, overdue_since) WHERE open (covering the
// open and overdue counts); case_history (event, at) for outreach. Cases
// opened / closed in a period use migration 3's cases_timing and
// cases_closed.

#include "storage/migrations.h"

#include <string>

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "storage/analytics_schema.h"
#include "storage/sqlite_errors.h"
#include "storage/statements.h"

namespace turnaround::storage {

namespace {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// CHECKs spell out "x = 'a' OR x = 'b' OR ..." instead of "x IN ('a', 'b',
// ...)": SQLite evaluates an IN list of three or more values through a
// temporary b-tree built on every row written, which made each timer insert
// several times slower.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE customers (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  segment       TEXT NOT NULL,
  arr           REAL NOT NULL,
  account_owner TEXT NOT NULL DEFAULT '',
  lost          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE cases (
  id               INTEGER PRIMARY KEY,
  workflow         TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  state            TEXT NOT NULL,
  owner            TEXT NOT NULL DEFAULT '',
  queue            TEXT NOT NULL DEFAULT '',
  priority         INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
  customer_id      TEXT NOT NULL,
  customer_name    TEXT NOT NULL,
  segment          TEXT NOT NULL,
  arr              REAL NOT NULL,
  score            INTEGER,
  responses        TEXT NOT NULL DEFAULT '[]',
  responded_at     INTEGER,
  opened_at        INTEGER NOT NULL,
  state_entered_at INTEGER NOT NULL,
  closed_at        INTEGER,
  version          INTEGER NOT NULL CHECK (version >= 1),
  data             TEXT NOT NULL DEFAULT '{}',
  deadlines        TEXT NOT NULL DEFAULT '[]',
  overdue_since    INTEGER
);
CREATE INDEX cases_by_customer ON cases (customer_id, workflow, closed_at);
CREATE INDEX cases_by_state ON cases (state);
CREATE INDEX cases_by_owner ON cases (owner, closed_at);
CREATE INDEX cases_by_segment ON cases (segment);
CREATE INDEX cases_claimable ON cases (queue) WHERE closed_at IS NULL AND owner = '';
CREATE INDEX cases_overdue ON cases (overdue_since)
  WHERE closed_at IS NULL AND overdue_since IS NOT NULL;

CREATE TABLE responses (
  response_id   TEXT PRIMARY KEY,
  customer_id   TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  segment       TEXT NOT NULL,
  arr           REAL NOT NULL,
  score         INTEGER NOT NULL,
  comment       TEXT NOT NULL DEFAULT '',
  responded_at  INTEGER NOT NULL,
  received_at   INTEGER NOT NULL,
  case_id       INTEGER REFERENCES cases (id)
);
CREATE INDEX responses_by_customer ON responses (customer_id);
CREATE INDEX responses_by_time ON responses (responded_at);
CREATE INDEX responses_by_segment_time ON responses (segment, responded_at);

CREATE TABLE churn_events (
  id          INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  lost_at     INTEGER NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  arr         REAL NOT NULL,
  received_at INTEGER NOT NULL,
  UNIQUE (customer_id, lost_at)
);

CREATE TABLE case_history (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES cases (id),
  at         INTEGER NOT NULL,
  event      TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  actor      TEXT NOT NULL,
  data       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_history_by_case ON case_history (case_id, id);

CREATE TABLE timers (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES cases (id),
  deadline   TEXT NOT NULL,
  kind       TEXT NOT NULL
             CHECK (kind = 'reminder' OR kind = 'deadline' OR kind = 'escalation'),
  level      INTEGER NOT NULL DEFAULT 0,
  due_at     INTEGER NOT NULL,
  misfire    TEXT NOT NULL
             CHECK (misfire = 'fire_once' OR misfire = 'fire_all' OR misfire = 'skip'),
  status     TEXT NOT NULL DEFAULT 'pending'
             CHECK (status = 'pending' OR status = 'fired' OR status = 'cancelled'),
  fired_at   INTEGER,
  lateness_s INTEGER
);
CREATE INDEX timers_pending_due ON timers (due_at, id) WHERE status = 'pending';
CREATE INDEX timers_pending_by_case ON timers (case_id) WHERE status = 'pending';

CREATE TABLE people (
  id       TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  roles    TEXT NOT NULL DEFAULT '[]',
  teams    TEXT NOT NULL DEFAULT '[]',
  capacity INTEGER NOT NULL DEFAULT 0,
  active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE counters (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE notifications (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER REFERENCES cases (id),
  recipient    TEXT NOT NULL,
  kind         TEXT NOT NULL,
  message      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  delivered_at INTEGER,
  attempts     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_undelivered ON notifications (id) WHERE delivered_at IS NULL;

CREATE TABLE workflows (
  name         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  source       TEXT NOT NULL,
  file         TEXT NOT NULL,
  loaded_at    INTEGER NOT NULL,
  PRIMARY KEY (name, version)
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// API tokens (`turnaround user add --token`, the HTTP server's bearer auth).
constexpr const char* kTokens = R"sql(
CREATE TABLE tokens (
  hash       TEXT PRIMARY KEY,
  person_id  TEXT NOT NULL REFERENCES people (id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX tokens_live_by_person ON tokens (person_id) WHERE revoked_at IS NULL;
)sql";

// Top-five issues (engine/issue.h). Migration numbers 3, 4 and 6 belong to
// other features; each migration is applied on its own, in order.
constexpr const char* kIssues = R"sql(
CREATE TABLE issues (
  case_id   INTEGER PRIMARY KEY REFERENCES cases (id),
  theme     TEXT NOT NULL,
  segment   TEXT NOT NULL DEFAULT '',
  title     TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  opened_at INTEGER NOT NULL
);
CREATE INDEX issues_by_theme ON issues (theme);

CREATE TABLE issue_links (
  issue_id  INTEGER NOT NULL REFERENCES issues (case_id),
  case_id   INTEGER NOT NULL REFERENCES cases (id),
  linked_at INTEGER NOT NULL,
  linked_by TEXT NOT NULL,
  how       TEXT NOT NULL CHECK (how = 'auto' OR how = 'manual' OR how = 'bulk'),
  PRIMARY KEY (issue_id, case_id)
) WITHOUT ROWID;
CREATE INDEX issue_links_by_case ON issue_links (case_id);
)sql";

// Web sessions (api/http/web_session.h) and the board's due-date order.
constexpr const char* kWebSessions = R"sql(
CREATE TABLE web_sessions (
  hash       TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL REFERENCES tokens (hash),
  person_id  TEXT NOT NULL REFERENCES people (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
CREATE INDEX cases_open_due ON cases (coalesce(overdue_since, 9223372036854775807), id)
  WHERE closed_at IS NULL;
)sql";

// The loss review: meeting rows and the indexes of the agenda's queries.
constexpr const char* kLossReview = R"sql(
CREATE TABLE review_meetings (
  month     TEXT PRIMARY KEY,
  starts_at INTEGER NOT NULL,
  cutoff_at INTEGER NOT NULL,
  frozen_at INTEGER,
  agenda    TEXT
);
CREATE INDEX review_meetings_unfrozen ON review_meetings (cutoff_at) WHERE frozen_at IS NULL;
CREATE INDEX churn_events_by_time ON churn_events (lost_at);
CREATE INDEX cases_open_by_workflow ON cases (workflow, state, owner, overdue_since)
  WHERE closed_at IS NULL;
CREATE INDEX case_history_by_event ON case_history (event, at);
)sql";

// Issue candidates (Engine::issue_candidates, Transaction::theme_case_totals):
// the cases carrying each theme over all time, with distinct customers and
// the sum of their highest arr, kept by triggers on case_themes in two
// levels, so the ranking reads a few dozen rows instead of aggregating
// every case theme (seconds at 400,000 cases).
//
// theme_customers    one row per (theme, segment, workflow, customer) with
//                    cases; segment '' holds the customer over all segments
//                    (a case without a segment counts there only)
//   cases, open_cases   INTEGER: their case_themes rows, open ones
//   arr              REAL: the highest arr of those cases (recomputed from
//                    case_themes by (customer_id, theme) when one goes)
// theme_totals       per (theme, segment, workflow): cases, open_cases,
//                    customers (theme_customers rows) and arr (their sum)
//
// The response-count indexes of issue verification (response_counts) also
// carry the score, so counting a window's detractors reads no table row
// (0.4 s of CPU at 1,000,000 responses for a 90-day window otherwise), and
// the agenda's outreach count reads the case id from the history index;
// cases_id_cover holds what the outreach count and the top-five ranking
// (issue_link_totals) read of each case they join, so they read no table
// row (a cases row is large: its data, deadlines and responses).
constexpr const char* kThemeTotals = R"sql(
DROP INDEX responses_by_time;
CREATE INDEX responses_by_time_score ON responses (responded_at, score);
DROP INDEX responses_by_segment_time;
CREATE INDEX responses_by_segment_time_score ON responses (segment, responded_at, score);

DROP INDEX case_history_by_event;
CREATE INDEX case_history_by_event_case ON case_history (event, at, case_id);

CREATE INDEX cases_id_cover ON cases (id, workflow, closed_at, customer_id, arr);

CREATE INDEX case_themes_by_customer ON case_themes (customer_id, theme);
CREATE TABLE theme_customers (
  theme       TEXT NOT NULL,
  segment     TEXT NOT NULL,
  workflow    TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  cases       INTEGER NOT NULL,
  open_cases  INTEGER NOT NULL,
  arr         REAL NOT NULL,
  PRIMARY KEY (theme, segment, workflow, customer_id)
) WITHOUT ROWID;
CREATE TABLE theme_totals (
  theme      TEXT NOT NULL,
  segment    TEXT NOT NULL,
  workflow   TEXT NOT NULL,
  cases      INTEGER NOT NULL,
  open_cases INTEGER NOT NULL,
  customers  INTEGER NOT NULL,
  arr        REAL NOT NULL,
  PRIMARY KEY (workflow, theme, segment)
) WITHOUT ROWID;

INSERT INTO theme_customers
  SELECT theme, segment, workflow, customer_id, count(*), sum(closed_at IS NULL), max(arr)
  FROM case_themes WHERE segment <> '' GROUP BY theme, segment, workflow, customer_id
  UNION ALL
  SELECT theme, '', workflow, customer_id, count(*), sum(closed_at IS NULL), max(arr)
  FROM case_themes GROUP BY theme, workflow, customer_id;
INSERT INTO theme_totals
  SELECT theme, segment, workflow, sum(cases), sum(open_cases), count(*), sum(arr)
  FROM theme_customers GROUP BY workflow, theme, segment;

CREATE TRIGGER case_themes_customers_insert AFTER INSERT ON case_themes BEGIN
  INSERT INTO theme_customers SELECT NEW.theme, NEW.segment, NEW.workflow, NEW.customer_id, 1,
    NEW.closed_at IS NULL, NEW.arr WHERE NEW.segment <> ''
    ON CONFLICT (theme, segment, workflow, customer_id) DO UPDATE SET cases = cases + 1,
    open_cases = open_cases + excluded.open_cases, arr = max(arr, excluded.arr);
  INSERT INTO theme_customers VALUES (NEW.theme, '', NEW.workflow, NEW.customer_id, 1,
    NEW.closed_at IS NULL, NEW.arr)
    ON CONFLICT (theme, segment, workflow, customer_id) DO UPDATE SET cases = cases + 1,
    open_cases = open_cases + excluded.open_cases, arr = max(arr, excluded.arr);
END;
CREATE TRIGGER case_themes_customers_delete AFTER DELETE ON case_themes BEGIN
  UPDATE theme_customers SET cases = cases - 1, open_cases = open_cases - (OLD.closed_at IS NULL),
    arr = coalesce((SELECT max(t.arr) FROM case_themes t WHERE t.customer_id = OLD.customer_id
      AND t.theme = OLD.theme AND t.segment = OLD.segment AND t.workflow = OLD.workflow), 0)
    WHERE OLD.segment <> '' AND theme = OLD.theme AND segment = OLD.segment
      AND workflow = OLD.workflow AND customer_id = OLD.customer_id;
  UPDATE theme_customers SET cases = cases - 1, open_cases = open_cases - (OLD.closed_at IS NULL),
    arr = coalesce((SELECT max(t.arr) FROM case_themes t WHERE t.customer_id = OLD.customer_id
      AND t.theme = OLD.theme AND t.workflow = OLD.workflow), 0)
    WHERE theme = OLD.theme AND segment = '' AND workflow = OLD.workflow
      AND customer_id = OLD.customer_id;
  DELETE FROM theme_customers WHERE theme = OLD.theme AND segment IN (OLD.segment, '')
    AND workflow = OLD.workflow AND customer_id = OLD.customer_id AND cases = 0;
END;
CREATE TRIGGER case_themes_customers_close AFTER UPDATE OF closed_at ON case_themes
  WHEN (OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL) BEGIN
  UPDATE theme_customers SET open_cases = open_cases + (NEW.closed_at IS NULL) - (OLD.closed_at IS NULL)
    WHERE theme = NEW.theme AND segment IN (NEW.segment, '') AND workflow = NEW.workflow
      AND customer_id = NEW.customer_id;
END;

CREATE TRIGGER theme_customers_totals_insert AFTER INSERT ON theme_customers BEGIN
  INSERT INTO theme_totals VALUES (NEW.theme, NEW.segment, NEW.workflow, NEW.cases,
    NEW.open_cases, 1, NEW.arr)
    ON CONFLICT (workflow, theme, segment) DO UPDATE SET cases = cases + excluded.cases,
    open_cases = open_cases + excluded.open_cases, customers = customers + 1,
    arr = arr + excluded.arr;
END;
CREATE TRIGGER theme_customers_totals_update AFTER UPDATE ON theme_customers BEGIN
  UPDATE theme_totals SET cases = cases + NEW.cases - OLD.cases,
    open_cases = open_cases + NEW.open_cases - OLD.open_cases, arr = arr + NEW.arr - OLD.arr
    WHERE workflow = NEW.workflow AND theme = NEW.theme AND segment = NEW.segment;
END;
CREATE TRIGGER theme_customers_totals_delete AFTER DELETE ON theme_customers BEGIN
  UPDATE theme_totals SET cases = cases - OLD.cases, open_cases = open_cases - OLD.open_cases,
    customers = customers - 1, arr = arr - OLD.arr
    WHERE workflow = OLD.workflow AND theme = OLD.theme AND segment = OLD.segment;
END;
)sql";

// Link totals of the top-five issues (Transaction::issue_link_totals: the
// agenda's ranking of the open issues and every issue view): per issue and
// linked customer, kept by triggers, so the totals read one small row per
// distinct customer in key order instead of one cases_id_cover entry per
// link plus a sort by customer (61 ms of a 190 ms agenda at 44,476 links).
//
// issue_link_customers   one row per (issue, customer) with linked cases
//   cases, open_cases    INTEGER: the issue's linked cases of that
//                        customer, open ones (closed_at IS NULL)
//   arr                  REAL: the highest arr of those cases
//
// The per-issue sum of arr is taken at read time over these rows, in
// customer order, exactly as the aggregate over the links did (a running
// REAL total would drift from it). Maintained on: a link inserted (+1, max);
// a link deleted or moved (the issue's rows of that customer recomputed from
// its cases, by cases_by_customer); a linked case closed or reopened (+/-1
// open); a linked case's customer or arr changed (its issues' rows of both
// customers recomputed). The store updates every column of a case, so the
// case triggers compare OLD and NEW.
//
// Migration 9 also serves the agenda's lost customers (lost_customers)
// from indexes alone: cases_by_customer gains the state (the newest loss
// case's state; the entry now also moves when a case changes state), and
// customers_by_id_name covers the customer's name and segment (an entry
// per customer, written when a customer is new or changed).
constexpr const char* kIssueLinkCustomers = R"sql(
DROP INDEX cases_by_customer;
CREATE INDEX cases_by_customer ON cases (customer_id, workflow, closed_at, state);
CREATE INDEX customers_by_id_name ON customers (id, name, segment);

CREATE TABLE issue_link_customers (
  issue_id    INTEGER NOT NULL,
  customer_id TEXT NOT NULL,
  cases       INTEGER NOT NULL,
  open_cases  INTEGER NOT NULL,
  arr         REAL NOT NULL,
  PRIMARY KEY (issue_id, customer_id)
) WITHOUT ROWID;

INSERT INTO issue_link_customers
  SELECT l.issue_id, c.customer_id, count(*), sum(c.closed_at IS NULL), max(c.arr)
  FROM issue_links l JOIN cases c ON c.id = l.case_id GROUP BY l.issue_id, c.customer_id;

CREATE TRIGGER issue_links_customers_insert AFTER INSERT ON issue_links BEGIN
  INSERT INTO issue_link_customers
    SELECT NEW.issue_id, c.customer_id, 1, c.closed_at IS NULL, c.arr FROM cases c
    WHERE c.id = NEW.case_id
    ON CONFLICT (issue_id, customer_id) DO UPDATE SET cases = cases + 1,
    open_cases = open_cases + excluded.open_cases, arr = max(arr, excluded.arr);
END;
CREATE TRIGGER issue_links_customers_delete AFTER DELETE ON issue_links BEGIN
  DELETE FROM issue_link_customers WHERE issue_id = OLD.issue_id
    AND customer_id = (SELECT customer_id FROM cases WHERE id = OLD.case_id);
  INSERT INTO issue_link_customers
    SELECT l.issue_id, c.customer_id, count(*), sum(c.closed_at IS NULL), max(c.arr)
    FROM cases c INDEXED BY cases_by_customer JOIN issue_links l
      ON l.issue_id = OLD.issue_id AND l.case_id = c.id
    WHERE c.customer_id = (SELECT customer_id FROM cases WHERE id = OLD.case_id)
    GROUP BY l.issue_id, c.customer_id;
END;
CREATE TRIGGER issue_links_customers_move AFTER UPDATE OF issue_id, case_id ON issue_links
  WHEN OLD.issue_id <> NEW.issue_id OR OLD.case_id <> NEW.case_id BEGIN
  DELETE FROM issue_link_customers WHERE (issue_id = OLD.issue_id
      AND customer_id = (SELECT customer_id FROM cases WHERE id = OLD.case_id))
    OR (issue_id = NEW.issue_id
      AND customer_id = (SELECT customer_id FROM cases WHERE id = NEW.case_id));
  INSERT INTO issue_link_customers
    SELECT l.issue_id, c.customer_id, count(*), sum(c.closed_at IS NULL), max(c.arr)
    FROM cases c INDEXED BY cases_by_customer JOIN issue_links l
      ON l.issue_id IN (OLD.issue_id, NEW.issue_id) AND l.case_id = c.id
    WHERE c.customer_id IN ((SELECT customer_id FROM cases WHERE id = OLD.case_id),
                            (SELECT customer_id FROM cases WHERE id = NEW.case_id))
    GROUP BY l.issue_id, c.customer_id;
END;

CREATE TRIGGER cases_issue_link_close AFTER UPDATE OF closed_at ON cases
  WHEN (OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL)
    AND OLD.customer_id = NEW.customer_id AND OLD.arr IS NEW.arr BEGIN
  UPDATE issue_link_customers
    SET open_cases = open_cases + (NEW.closed_at IS NULL) - (OLD.closed_at IS NULL)
    WHERE customer_id = NEW.customer_id
      AND issue_id IN (SELECT issue_id FROM issue_links WHERE case_id = NEW.id);
END;
CREATE TRIGGER cases_issue_link_customer AFTER UPDATE OF customer_id, arr ON cases
  WHEN (OLD.customer_id <> NEW.customer_id OR OLD.arr IS NOT NEW.arr)
    AND EXISTS (SELECT 1 FROM issue_links WHERE case_id = NEW.id) BEGIN
  DELETE FROM issue_link_customers WHERE customer_id IN (OLD.customer_id, NEW.customer_id)
    AND issue_id IN (SELECT issue_id FROM issue_links WHERE case_id = NEW.id);
  INSERT INTO issue_link_customers
    SELECT l.issue_id, c.customer_id, count(*), sum(c.closed_at IS NULL), max(c.arr)
    FROM cases c INDEXED BY cases_by_customer JOIN issue_links l ON l.case_id = c.id
    WHERE c.customer_id IN (OLD.customer_id, NEW.customer_id)
      AND l.issue_id IN (SELECT issue_id FROM issue_links WHERE case_id = NEW.id)
    GROUP BY l.issue_id, c.customer_id;
END;
)sql";

// Migration 10 clusters case_history by case. It was a rowid table with an
// index (case_id, id), so reading a case's history (every case page, every
// event's load) took an index step and a table lookup per entry. As a
// WITHOUT ROWID table keyed (case_id, seq) the entries are one range of the
// table itself, and a new entry is one B-tree insert instead of two. The old
// ids become the seq values (unique, and in order within each case); the
// rows are copied in key order (the old (case_id, id) index gives it), so
// the copy appends. The rename runs with legacy_alter_table on, which
// renames the table alone: a view of a user's own that reads case_history
// then reads the new table (without it, the rename checks every view and
// fails on one that names the table just dropped).
constexpr const char* kHistoryByCase = R"sql(
CREATE TABLE case_history_by_seq (
  case_id    INTEGER NOT NULL REFERENCES cases (id),
  seq        INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  event      TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  actor      TEXT NOT NULL,
  data       TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
INSERT INTO case_history_by_seq (case_id, seq, at, event, from_state, to_state, actor, data)
  SELECT case_id, id, at, event, from_state, to_state, actor, data
  FROM case_history ORDER BY case_id, id;
DROP TABLE case_history;
PRAGMA legacy_alter_table = ON;
ALTER TABLE case_history_by_seq RENAME TO case_history;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX case_history_by_event_case ON case_history (event, at, case_id);
)sql";

// Append only: never edit a migration that has shipped; add the next number.
const Migration kMigrations[] = {
    {1, "initial schema", kInitialSchema},
    {2, "api tokens", kTokens},
    {3, "analytics summaries", analytics_migration_sql()},
    {4, "loss review meetings and agenda indexes", kLossReview},
    {5, "top-five issues", kIssues},
    {6, "web sessions, open cases by due date", kWebSessions},
    {7, "issue candidates and verification: theme totals, covering response-time indexes", kThemeTotals},
    {8, "summaries written by the store instead of per-row triggers",
     store_written_summaries_migration_sql()},
    {9, "agenda: issue link totals per issue and customer, lost customers from indexes",
     kIssueLinkCustomers},
    {10, "case history clustered by case (WITHOUT ROWID, keyed by case and sequence)",
     kHistoryByCase},
};

Status too_new(int found) {
  return failed_precondition(
      "database schema version " + std::to_string(found) + " is newer than this program knows (" +
      std::to_string(latest_schema_version()) + "); use a newer turnaround to open it");
}

// Applies `m` unless another process did so first.
Status apply(SQLite::Database& db, const Migration& m) {
  const std::string what = "migration " + std::to_string(m.version) + " (" + m.description + ")";
  return guarded(what, [&]() -> Status {
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    // Re-read under the write lock: another process may have migrated.
    const int current = schema_version(db);
    if (current > latest_schema_version()) return too_new(current);
    if (current >= m.version) return Status();
    db.exec(m.sql);
    db.exec(std::string(kPragmaUserVersion) + " = " + std::to_string(m.version));
    txn.commit();
    return Status();
  });
}

}  // namespace

int latest_schema_version() { return std::end(kMigrations)[-1].version; }

int schema_version(SQLite::Database& db) { return db.execAndGet(kPragmaUserVersion).getInt(); }

Status migrate(SQLite::Database& db) { return migrate_to(db, latest_schema_version()); }

Status rebuild_summaries(SQLite::Database& db) {
  return guarded("rebuild summaries", [&]() -> Status {
    if (sqlite3_get_autocommit(db.getHandle()) == 0) {
      db.exec(rebuild_summaries_sql());  // inside the caller's transaction
      return Status();
    }
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(rebuild_summaries_sql());
    txn.commit();
    return Status();
  });
}

Status migrate_to(SQLite::Database& db, int version) {
  return guarded("migrate", [&]() -> Status {
    if (schema_version(db) > latest_schema_version()) return too_new(schema_version(db));
    for (const Migration& m : kMigrations) {
      if (m.version > version) break;
      if (schema_version(db) >= m.version) continue;  // the common case: no write lock
      TA_RETURN_IF_ERROR(apply(db, m));
    }
    return Status();
  });
}

}  // namespace turnaround::storage

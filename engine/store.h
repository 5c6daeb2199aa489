#pragma once
// The engine's seam to storage. storage/ implements it over SQLite
// (SqliteStore); tests use MemoryStore. The engine never sees SQL.
//
// Every engine command runs in one Transaction: all its reads and writes
// commit together or not at all (destroying an uncommitted Transaction rolls
// it back). Write transactions are serialized by the store.
//
// Errors: kUnavailable when the database is busy past its timeout, kAborted
// on a stale case version, kNotFound for a missing row, kInternal otherwise.

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/agenda.h"
#include "engine/case.h"
#include "engine/domain.h"
#include "engine/report_rows.h"
#include "engine/issue.h"
#include "engine/status.h"
#include "engine/timer.h"

namespace turnaround {

struct CaseFilter {
  std::optional<std::string> state;
  std::optional<PersonId> owner;
  std::optional<std::string> workflow;
  std::optional<std::string> segment;
  std::optional<CustomerId> customer_id;
  std::optional<std::string> queue;   // unassigned cases claimable by this role
  bool unowned_only = false;          // cases with no owner (any queue or none)
  bool open_only = false;
  // Only cases with a deadline pending before this instant, or missed and
  // not done (the "overdue" view at that instant).
  std::optional<Instant> overdue_at;
  // Customer search: cases whose customer name contains this text (ASCII
  // case-insensitive) or whose customer id starts with it.
  std::optional<std::string> customer_search;
  std::optional<Priority> priority;
  // Order by the next due instant (due_key(): missed deadlines first, cases
  // with no running deadline last), then id, instead of by id alone.
  // Implies open cases only. The cursor is then (after_due, after_id).
  bool by_due = false;
  std::int64_t after_due = std::numeric_limits<std::int64_t>::min();
  std::int64_t after_id = 0;  // cursor: ids greater than this
  std::int64_t limit = 0;     // 0 = all
};

// A web session (the page's cookie), stored by the hash of its secret.
struct WebSession {
  PersonId person;
  Instant created_at{};
  Instant expires_at{};
};

// A workflow file as stored: its YAML text and registry identity.
struct StoredWorkflow {
  std::string name;
  int version = 0;
  std::string content_hash;
  std::string source;  // the YAML text
  std::string file;    // the path it was loaded from (for messages)
  Instant loaded_at{};
};

// A message for someone (reminder, escalation). Delivered later through the
// outbox (webhooks); stored durably in the same transaction as its cause.
struct Notification {
  CaseId case_id;
  std::string recipient;  // person id, or "role:NAME"
  std::string kind;       // "reminder", "escalation", ...
  std::string message;
  Instant created_at{};
};

enum class TxnMode { kRead, kWrite };

class Transaction {
 public:
  virtual ~Transaction() = default;

  // --- Responses, churn events, customers.
  // Inserts `r`; returns false (and changes nothing) if its response_id exists.
  virtual Result<bool> insert_response(const Response& r, Instant received_at) = 0;
  // Inserts `e`; returns false if the same customer_id + lost_at exists.
  virtual Result<bool> insert_churn(const ChurnEvent& e, Instant received_at) = 0;
  virtual Status upsert_customer(const Customer& c) = 0;
  virtual Result<std::optional<Customer>> find_customer(const CustomerId& id) = 0;

  // --- Cases.
  // The id of the open case of `customer` running `workflow`, if any.
  virtual Result<std::optional<CaseId>> find_open_case(const CustomerId& customer,
                                                       std::string_view workflow) = 0;
  // kNotFound if absent. History is filled only if with_history.
  virtual Result<Case> load_case(CaseId id, bool with_history) = 0;
  // Inserts a new case (c.id is ignored, c.version must be 1) with its
  // history entries c.history; returns the new id.
  virtual Result<CaseId> insert_case(const Case& c) = 0;
  // Writes `c` (whose version is expected_version + 1) if the stored version
  // is still expected_version; else kAborted and nothing is written.
  virtual Status update_case(const Case& c, std::int64_t expected_version) = 0;
  virtual Status append_history(CaseId id, const std::vector<HistoryEntry>& entries) = 0;
  // Cases matching `f`, ordered by id, without history.
  virtual Result<std::vector<Case>> list_cases(const CaseFilter& f) = 0;
  // Number of open cases per owner.
  virtual Result<std::map<PersonId, int>> open_case_counts() = 0;
  // Number of cases matching `f` per state (ignoring its cursor and limit).
  virtual Result<std::map<std::string, std::int64_t>> count_cases_by_state(const CaseFilter& f) = 0;
  // The responses that are part of case `c` (c.responses), in response
  // time order, with their comments.
  virtual Result<std::vector<Response>> case_responses(const Case& c) = 0;

  // --- Timers.
  virtual Result<TimerId> insert_timer(const Timer& t) = 0;
  // Cancels the pending timers of a case's deadline (all deadlines if empty).
  virtual Status cancel_timers(CaseId id, std::string_view deadline) = 0;
  // Pending timers with due_at <= now, ordered by (due_at, id), at most limit.
  virtual Result<std::vector<Timer>> due_timers(Instant now, int limit) = 0;
  // Marks a pending timer fired; lateness = fired_at - due_at is kept.
  // Returns false if it was not pending any more (someone else fired it).
  virtual Result<bool> mark_timer_fired(TimerId id, Instant fired_at) = 0;
  // Pending timers of one case, by due_at.
  virtual Result<std::vector<Timer>> case_timers(CaseId id) = 0;
  // Earliest pending due instant, if any (for a scheduler's sleep).
  virtual Result<std::optional<Instant>> next_timer_due() = 0;

  // --- People.
  virtual Result<std::vector<Person>> list_people() = 0;
  virtual Status upsert_person(const Person& p) = 0;

  // Person by id (active or not); nullopt if unknown.
  virtual Result<std::optional<Person>> find_person(const PersonId& id) = 0;

  // --- API tokens. Only a token's hash is stored (api/http/auth.h makes
  // tokens and hashes them); the token itself never reaches storage.
  // Stores `hash` as a live token of `person`. kAlreadyExists if the hash is
  // stored already; kNotFound if there is no such person.
  virtual Status insert_token(std::string_view hash, const PersonId& person,
                              Instant created_at) = 0;
  // The person of a live token; nullopt if the hash is unknown or revoked.
  virtual Result<std::optional<PersonId>> find_token(std::string_view hash) = 0;
  // The person (active or not) of a live token; nullopt if the hash is
  // unknown or revoked. The same as find_token then find_person; SqliteStore
  // does both in one query (a join), which authenticates every request.
  virtual Result<std::optional<Person>> find_token_person(std::string_view hash) {
    TA_ASSIGN_OR_RETURN(auto id, find_token(hash));
    if (!id) return std::optional<Person>();
    return find_person(*id);
  }
  // Revokes every live token of `person` at `at`; returns how many.
  virtual Result<std::int64_t> revoke_tokens(const PersonId& person, Instant at) = 0;

  // --- Web sessions (api/http/web_session.h), stored by hash, made from a
  // live token (`token_hash`): revoking the token ends its sessions.
  // Inserts a session; also deletes sessions expired at s.created_at.
  virtual Status insert_session(std::string_view hash, std::string_view token_hash,
                                const WebSession& s) = 0;
  // The session of `hash` if it is live at `now` (not expired, not deleted,
  // its token not revoked); nullopt otherwise.
  virtual Result<std::optional<WebSession>> find_session(std::string_view hash, Instant now) = 0;
  // Deletes a session; returns false if there was none.
  virtual Result<bool> delete_session(std::string_view hash) = 0;

  // --- Counts for monitoring (the server's /metrics).
  // Open cases per state (states without open cases are absent).
  virtual Result<std::map<std::string, std::int64_t>> open_cases_by_state() = 0;
  // Number of pending timers.
  virtual Result<std::int64_t> pending_timer_count() = 0;

  // --- Small durable counters (round-robin cursors).
  virtual Result<std::int64_t> get_counter(std::string_view key) = 0;
  virtual Status set_counter(std::string_view key, std::int64_t value) = 0;

  // --- Notifications outbox.
  virtual Status enqueue_notification(const Notification& n) = 0;

  // --- Loss review (migration 4): agenda queries and meeting rows.
  // Customers with a churn event lost_at in [from, to), by (lost_at,
  // customer_id), with name and segment from the customers table, and
  // case_id / case_state of the customer's newest case running one of
  // `case_workflows` (left empty if none), in one query.
  virtual Result<std::vector<LostCustomer>> lost_customers(
      Instant from, Instant to, const std::vector<std::string>& case_workflows) = 0;
  // Cases of q.workflows matching q.kind: the exact total and the first
  // q.limit by id, each with `overdue` evaluated at q.as_of.
  virtual Result<DigestPage> case_digests(const DigestQuery& q) = 0;
  // Open cases of `workflows` per state, and how many of them are overdue at
  // `as_of`; by state name.
  virtual Result<std::vector<StateCount>> open_counts_by_state(
      const std::vector<std::string>& workflows, Instant as_of) = 0;
  // Open cases of `workflows` overdue at `as_of`, per owner; by owner.
  virtual Result<std::vector<OwnerCount>> overdue_counts_by_owner(
      const std::vector<std::string>& workflows, Instant as_of) = 0;
  // Distinct cases of `workflows` with a history event named one of
  // `events` at an instant in [from, to).
  virtual Result<std::int64_t> count_cases_with_events(const std::vector<std::string>& workflows,
                                                       const std::vector<std::string>& events,
                                                       Instant from, Instant to) = 0;
  // Inserts the meeting of row.month (row.frozen_at and agenda ignored), or,
  // if it exists and is not frozen, updates its instants (a changed rule).
  // A frozen meeting is never changed.
  virtual Status upsert_review_meeting(const ReviewMeetingRow& row) = 0;
  // The meeting of `month` (with its agenda if frozen); nullopt if none.
  virtual Result<std::optional<ReviewMeetingRow>> find_review_meeting(std::string_view month) = 0;
  // The latest meeting row by starts_at, if any (agenda not loaded).
  virtual Result<std::optional<ReviewMeetingRow>> last_review_meeting() = 0;
  // Unfrozen meetings whose cut-off is at or before `now`, by cut-off
  // (agendas not loaded).
  virtual Result<std::vector<ReviewMeetingRow>> due_review_meetings(Instant now) = 0;
  // The earliest cut-off of an unfrozen meeting (for a scheduler's sleep).
  virtual Result<std::optional<Instant>> next_review_cutoff() = 0;
  // Stores `agenda` as the frozen agenda of `month` at `frozen_at`, if the
  // meeting is not frozen yet; returns false (and changes nothing) if it
  // is, so a meeting freezes exactly once. kNotFound if no such meeting.
  virtual Result<bool> freeze_review_meeting(std::string_view month, const Agenda& agenda,
                                             Instant frozen_at) = 0;

  // --- Configuration.
  virtual Result<std::vector<StoredWorkflow>> list_workflows() = 0;
  // Stores a new version of a workflow; returns the version number given.
  virtual Result<int> insert_workflow(const StoredWorkflow& w) = 0;
  virtual Result<std::optional<std::string>> get_setting(std::string_view key) = 0;
  virtual Status put_setting(std::string_view key, std::string_view value) = 0;

  // --- Analytics (engine/report_rows.h; read by engine/reports.h).
  // Storage keeps these summaries current in the same transaction as the
  // rows they summarise: responses roll up per local day x segment x score
  // on insert_response; a case's themes (Case::themes), deadlines and
  // timing instants are filed on insert_case / update_case (only the rows
  // that changed are written).
  //
  // Replaces the company zone's UTC offset history that files instants
  // under local days. When it differs from the stored one, every local-day
  // summary is rebuilt from the raw rows (seconds at a million responses);
  // returns whether it differed.
  virtual Result<bool> set_zone_offsets(const std::vector<ZoneOffset>& offsets) = 0;
  // Backfill for cases written before their workflow's keys were known
  // (older schema or workflow versions): cases of `workflow` (any version)
  // whose themes are empty get the distinct values of `theme_fields` from
  // their data; those without a first contact get the earliest instant of a
  // history entry whose event is one of `first_contact_events`. Returns the
  // number of cases changed. Their version is not bumped (derived columns).
  virtual Result<std::int64_t> backfill_case_analytics(
      std::string_view workflow, const std::vector<std::string>& theme_fields,
      const std::vector<std::string>& first_contact_events) = 0;
  // Response rollup rows of local days [from, to), by (day, segment, score).
  virtual Result<std::vector<ResponseDayRow>> response_days(LocalDay from, LocalDay to) = 0;
  // Theme rollup rows of cases opened on local days [from, to) (all
  // workflows when `workflow` is empty), by (day, theme, segment).
  virtual Result<std::vector<ThemeDayRow>> theme_days(LocalDay from, LocalDay to,
                                                      std::string_view workflow) = 0;
  // Deadlines due on local days [from, to), summed per (name, workflow,
  // owner, status) over the range (each row's day is `from`), ordered so.
  virtual Result<std::vector<DeadlineDayRow>> deadline_days(LocalDay from, LocalDay to) = 0;
  // The deadlines of case `id`, by name (the case_deadlines table).
  virtual Result<std::vector<CaseDeadlineRow>> case_deadlines(CaseId id) = 0;
  // Timing instants of the cases of `workflow` opened in [from, to), by id.
  virtual Result<std::vector<CaseTimingRow>> case_timings(std::string_view workflow, Instant from,
                                                          Instant to) = 0;
  // Timing summary rows of the cases of `workflow` opened in local months
  // [from, to), by (month, segment, metric, hours).
  virtual Result<std::vector<TimingMonthRow>> timing_months(std::string_view workflow,
                                                            LocalMonth from, LocalMonth to) = 0;
  // Cases carrying a theme (ThemeCaseQuery), by case id.
  virtual Result<std::vector<ThemeCaseRow>> cases_with_theme(const ThemeCaseQuery& q) = 0;
  // Open cases per (theme, segment, workflow), now.
  virtual Result<std::vector<OpenThemeRow>> open_theme_counts() = 0;
  // The cases of `workflows` carrying each theme, over all time: one row
  // per (theme, segment) and one per theme with segment "" (all segments),
  // ordered by (theme, segment). Empty when `workflows` is.
  virtual Result<std::vector<ThemeCaseTotals>> theme_case_totals(
      const std::vector<std::string>& workflows) = 0;
  // First contacts in [from, to), in callback order (first_contact_at, then
  // case id), at most `limit` (0 = all).
  virtual Result<std::vector<CallbackRow>> callbacks(Instant from, Instant to,
                                                     std::int64_t limit) = 0;
  // Cases of `workflow` opened / closed in [from, to), and open now by state.
  virtual Result<CaseFlow> case_flow(std::string_view workflow, Instant from, Instant to) = 0;
  // ======================================================================
  // --- Top-five issues (engine/issue.h; tables issues and issue_links,
  // migration 5). Which cases carry a theme is answered by the analytics
  // queries above (cases_with_theme, theme_case_totals); the share query
  // works on responses.
  // ======================================================================
  // Stores the subject of issue `i.id` (a case inserted in this
  // transaction). kAlreadyExists if that case already has one.
  virtual Status insert_issue(const IssueRecord& i) = 0;
  // Every issue, by id, with `open` from its case.
  virtual Result<std::vector<IssueRecord>> list_issues() = 0;
  // The issue of case `id`; nullopt if that case is not an issue.
  virtual Result<std::optional<IssueRecord>> find_issue(CaseId id) = 0;
  // Inserts a link; false (and nothing changes) if the pair is linked
  // already. REQUIRES: the issue and the case exist.
  virtual Result<bool> insert_issue_link(const IssueLink& l) = 0;
  // The links of an issue, by (linked_at, case_id).
  virtual Result<std::vector<IssueLink>> issue_links(CaseId issue) = 0;
  // The links of an issue with their cases' columns (no data, deadlines
  // or history is read), by (linked_at, case_id).
  virtual Result<std::vector<LinkedCase>> linked_cases(CaseId issue) = 0;
  // The links of an issue counted (what linked_cases would give summed).
  virtual Result<LinkTotals> issue_link_totals(CaseId issue) = 0;
  // The issues a case is linked to, by issue id.
  virtual Result<std::vector<IssueLink>> case_issue_links(CaseId c) = 0;
  // The instant of the latest history entry of case `id` named `event`;
  // nullopt if it has none. Meant for a rare event (an issue's
  // linked_cases_signalled): SqliteStore reads every entry of that event.
  virtual Result<std::optional<Instant>> last_event_at(CaseId id, std::string_view event) = 0;
  // Responses with responded_at in [from, to), of `segment` ("" = all).
  virtual Result<ResponseCounts> response_counts(std::string_view segment, Instant from,
                                                 Instant to) = 0;

  // Makes every write of this transaction durable. REQUIRES: called once.
  virtual Status commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Starts a transaction. kWrite transactions take the write lock at once
  // (no lock upgrade later), so two writers never deadlock.
  virtual Result<std::unique_ptr<Transaction>> begin(TxnMode mode) = 0;
};

}  // namespace turnaround

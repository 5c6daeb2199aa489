#include "storage/memory_store.h"

#include "storage/memory_analytics.h"

#include <algorithm>
#include <cassert>
#include <tuple>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "storage/memory_analytics.h"

namespace turnaround::storage {

namespace {

enum class TimerStatus { kPending, kFired, kCancelled };

struct TimerRow {
  Timer timer;
  TimerStatus status = TimerStatus::kPending;
  std::optional<Instant> fired_at;
};

using OpenKey = std::pair<std::string, std::string>;  // customer id, workflow

std::string case_name(CaseId id) { return "case " + std::to_string(id.value); }

}  // namespace

// Every table, as plain containers. Copied whole by a transaction's first
// write (see the class comment).
struct MemoryStore::State {
  std::unordered_map<std::string, std::pair<Response, Instant>> responses;
  std::set<std::pair<std::string, std::int64_t>> churn_keys;  // customer, lost_at
  std::vector<std::pair<ChurnEvent, Instant>> churn;
  std::map<std::string, Customer> customers;

  std::map<std::int64_t, Case> cases;  // without history
  std::map<std::int64_t, std::vector<HistoryEntry>> history;
  std::map<OpenKey, std::set<std::int64_t>> open_cases;  // for find_open_case
  std::int64_t next_case_id = 1;

  std::map<std::int64_t, TimerRow> timers;
  std::set<std::pair<Instant, std::int64_t>> pending;  // (due_at, id): the due scan
  std::int64_t next_timer_id = 1;

  std::map<std::string, Person> people;
  std::map<std::string, std::int64_t, std::less<>> counters;
  std::vector<Notification> notifications;
  std::map<std::pair<std::string, int>, StoredWorkflow> workflows;
  std::map<std::string, std::string, std::less<>> settings;
  std::vector<ZoneOffset> zone_offsets;
  memory::Deadlines deadlines;  // the case_deadlines rows

  struct TokenRow {
    PersonId person;
    Instant created_at{};
    std::optional<Instant> revoked_at;
  };
  std::map<std::string, TokenRow, std::less<>> tokens;  // by hash
  struct SessionRow {
    std::string token_hash;
    WebSession session;
  };
  std::map<std::string, SessionRow, std::less<>> sessions;  // by hash

  // Top-five issues.
  std::map<std::int64_t, IssueRecord> issues;                         // by case id
  std::map<std::pair<std::int64_t, std::int64_t>, IssueLink> issue_links;  // (issue, case)

  std::map<std::string, ReviewMeetingRow, std::less<>> review_meetings;  // by month

  void index_case(const Case& c) {
    if (c.is_open()) open_cases[{c.customer_id.value, c.workflow}].insert(c.id.value);
  }
  void unindex_case(const Case& c) {
    auto it = open_cases.find({c.customer_id.value, c.workflow});
    if (it == open_cases.end()) return;
    it->second.erase(c.id.value);
    if (it->second.empty()) open_cases.erase(it);
  }
};

class MemoryStore::Txn final : public Transaction {
 public:
  Txn(TransactionGate::Hold hold, std::unique_ptr<State>& committed)
      : hold_(std::move(hold)), committed_(committed) {}

  Result<bool> insert_response(const Response& r, Instant received_at) override {
    if (read().responses.contains(r.response_id.value)) return false;
    write().responses.emplace(r.response_id.value, std::make_pair(r, received_at));
    return true;
  }

  Result<bool> insert_churn(const ChurnEvent& e, Instant received_at) override {
    std::pair<std::string, std::int64_t> key(e.customer_id.value,
                                             e.lost_at.time_since_epoch().count());
    if (read().churn_keys.contains(key)) return false;
    write().churn_keys.insert(std::move(key));
    write().churn.emplace_back(e, received_at);
    return true;
  }

  Status upsert_customer(const Customer& c) override {
    write().customers[c.id.value] = c;
    return Status();
  }

  Result<std::optional<Customer>> find_customer(const CustomerId& id) override {
    auto it = read().customers.find(id.value);
    if (it == read().customers.end()) return std::optional<Customer>();
    return std::optional<Customer>(it->second);
  }

  Result<std::optional<CaseId>> find_open_case(const CustomerId& customer,
                                               std::string_view workflow) override {
    auto it = read().open_cases.find({customer.value, std::string(workflow)});
    if (it == read().open_cases.end()) return std::optional<CaseId>();
    return std::optional<CaseId>(CaseId(*it->second.begin()));
  }

  Result<Case> load_case(CaseId id, bool with_history) override {
    auto it = read().cases.find(id.value);
    if (it == read().cases.end()) return not_found(case_name(id) + " not found");
    Case c = it->second;
    if (with_history) {
      auto h = read().history.find(id.value);
      if (h != read().history.end()) c.history = h->second;
    }
    return c;
  }

  Result<CaseId> insert_case(const Case& c) override {
    assert(c.version == 1 && "insert_case: a new case has version 1");
    State& s = write();
    const CaseId id(s.next_case_id++);
    Case stored = c;
    stored.id = id;
    stored.history.clear();
    s.index_case(stored);
    memory::sync_deadlines(s.deadlines, stored);
    s.cases.emplace(id.value, std::move(stored));
    auto& h = s.history[id.value];
    h.insert(h.end(), c.history.begin(), c.history.end());
    return id;
  }

  Status update_case(const Case& c, std::int64_t expected_version) override {
    assert(c.version == expected_version + 1 && "update_case: version must be expected + 1");
    auto it = read().cases.find(c.id.value);
    if (it == read().cases.end()) return not_found(case_name(c.id) + " not found");
    if (it->second.version != expected_version) {
      return aborted(case_name(c.id) + " was changed by someone else (version " +
                     std::to_string(it->second.version) + ", expected " +
                     std::to_string(expected_version) + ")");
    }
    State& s = write();
    Case& stored = s.cases.at(c.id.value);
    s.unindex_case(stored);
    stored = c;
    stored.history.clear();
    s.index_case(stored);
    memory::sync_deadlines(s.deadlines, stored);
    return Status();
  }

  Status append_history(CaseId id, const std::vector<HistoryEntry>& entries) override {
    if (!read().cases.contains(id.value)) return not_found(case_name(id) + " not found");
    auto& h = write().history[id.value];
    h.insert(h.end(), entries.begin(), entries.end());
    return Status();
  }

  Result<std::vector<Case>> list_cases(const CaseFilter& f) override {
    std::vector<Case> out;
    const auto& cases = read().cases;
    if (f.by_due) {
      // The order of the index cases_open_due: (due_key, id).
      std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, const Case*>> keyed;
      for (const auto& [id, c] : cases) {
        const auto key = std::make_pair(due_key(c), id);
        if (key > std::make_pair(f.after_due, f.after_id) && matches(c, f)) keyed.emplace_back(key, &c);
      }
      std::sort(keyed.begin(), keyed.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [key, c] : keyed) {
        if (f.limit > 0 && static_cast<std::int64_t>(out.size()) >= f.limit) break;
        out.push_back(*c);
      }
      return out;
    }
    for (auto it = cases.upper_bound(f.after_id); it != cases.end(); ++it) {
      if (f.limit > 0 && static_cast<std::int64_t>(out.size()) >= f.limit) break;
      if (matches(it->second, f)) out.push_back(it->second);
    }
    return out;
  }

  Result<std::map<std::string, std::int64_t>> count_cases_by_state(const CaseFilter& f) override {
    std::map<std::string, std::int64_t> out;
    for (const auto& [id, c] : read().cases) {
      if (matches(c, f)) ++out[c.state];
    }
    return out;
  }

  Result<std::vector<Response>> case_responses(const Case& c) override {
    std::vector<Response> out;
    for (const auto& id : c.responses) {
      auto it = read().responses.find(id.value);
      if (it != read().responses.end()) out.push_back(it->second.first);
    }
    std::sort(out.begin(), out.end(), [](const Response& a, const Response& b) {
      return std::tie(a.responded_at, a.response_id.value) < std::tie(b.responded_at, b.response_id.value);
    });
    return out;
  }

  Result<std::map<PersonId, int>> open_case_counts() override {
    std::map<PersonId, int> out;
    for (const auto& [id, c] : read().cases) {
      if (c.is_open() && !c.owner.empty()) ++out[c.owner];
    }
    return out;
  }

  Result<TimerId> insert_timer(const Timer& t) override {
    if (!read().cases.contains(t.case_id.value)) {
      return not_found("insert_timer: " + case_name(t.case_id) + " not found");
    }
    State& s = write();
    TimerRow row;
    row.timer = t;
    row.timer.id = TimerId(s.next_timer_id++);
    s.pending.emplace(t.due_at, row.timer.id.value);
    s.timers.emplace(row.timer.id.value, row);
    return row.timer.id;
  }

  Status cancel_timers(CaseId id, std::string_view deadline) override {
    std::vector<std::int64_t> doomed;
    for (const auto& [due, timer_id] : read().pending) {
      const Timer& t = read().timers.at(timer_id).timer;
      if (t.case_id == id && (deadline.empty() || t.deadline == deadline)) {
        doomed.push_back(timer_id);
      }
    }
    for (std::int64_t timer_id : doomed) {
      TimerRow& row = write().timers.at(timer_id);
      row.status = TimerStatus::kCancelled;
      write().pending.erase({row.timer.due_at, timer_id});
    }
    return Status();
  }

  Result<std::vector<Timer>> due_timers(Instant now, int limit) override {
    std::vector<Timer> out;
    for (const auto& [due, id] : read().pending) {
      if (due > now || static_cast<int>(out.size()) >= limit) break;
      out.push_back(read().timers.at(id).timer);
    }
    return out;
  }

  Result<bool> mark_timer_fired(TimerId id, Instant fired_at) override {
    auto it = read().timers.find(id.value);
    if (it == read().timers.end() || it->second.status != TimerStatus::kPending) return false;
    TimerRow& row = write().timers.at(id.value);
    row.status = TimerStatus::kFired;
    row.fired_at = fired_at;
    write().pending.erase({row.timer.due_at, id.value});
    return true;
  }

  Result<std::vector<Timer>> case_timers(CaseId id) override {
    std::vector<Timer> out;
    for (const auto& [due, timer_id] : read().pending) {
      const Timer& t = read().timers.at(timer_id).timer;
      if (t.case_id == id) out.push_back(t);
    }
    return out;
  }

  Result<std::optional<Instant>> next_timer_due() override {
    if (read().pending.empty()) return std::optional<Instant>();
    return std::optional<Instant>(read().pending.begin()->first);
  }

  Result<std::vector<Person>> list_people() override {
    std::vector<Person> out;
    for (const auto& [id, p] : read().people) out.push_back(p);
    return out;
  }

  Status upsert_person(const Person& p) override {
    write().people[p.id.value] = p;
    return Status();
  }

  Result<std::optional<Person>> find_person(const PersonId& id) override {
    auto it = read().people.find(id.value);
    if (it == read().people.end()) return std::optional<Person>();
    return std::optional<Person>(it->second);
  }

  Status insert_token(std::string_view hash, const PersonId& person, Instant created_at) override {
    if (read().tokens.contains(hash)) return already_exists("insert_token: token exists");
    if (!read().people.contains(person.value)) {
      return not_found("insert_token: no person '" + person.value + "'");
    }
    write().tokens.emplace(std::string(hash), State::TokenRow{person, created_at, std::nullopt});
    return Status();
  }

  Status insert_session(std::string_view hash, std::string_view token_hash,
                        const WebSession& session) override {
    if (read().sessions.contains(hash)) return already_exists("insert_session: session exists");
    if (!read().tokens.contains(token_hash)) return not_found("insert_session: no such token");
    auto& rows = write().sessions;
    std::erase_if(rows, [&](const auto& kv) { return kv.second.session.expires_at <= session.created_at; });
    rows.emplace(std::string(hash), State::SessionRow{std::string(token_hash), session});
    return Status();
  }
  Result<std::optional<WebSession>> find_session(std::string_view hash, Instant now) override {
    auto it = read().sessions.find(hash);
    if (it == read().sessions.end() || it->second.session.expires_at <= now) {
      return std::optional<WebSession>();
    }
    auto token = read().tokens.find(it->second.token_hash);
    if (token == read().tokens.end() || token->second.revoked_at) return std::optional<WebSession>();
    return std::optional<WebSession>(it->second.session);
  }
  Result<bool> delete_session(std::string_view hash) override {
    if (!read().sessions.contains(hash)) return false;
    auto& rows = write().sessions;
    rows.erase(rows.find(hash));
    return true;
  }
  Result<std::optional<PersonId>> find_token(std::string_view hash) override {
    auto it = read().tokens.find(hash);
    if (it == read().tokens.end() || it->second.revoked_at) return std::optional<PersonId>();
    return std::optional<PersonId>(it->second.person);
  }

  Result<std::int64_t> revoke_tokens(const PersonId& person, Instant at) override {
    std::vector<std::string> live;
    for (const auto& [hash, row] : read().tokens) {
      if (row.person == person && !row.revoked_at) live.push_back(hash);
    }
    for (const auto& hash : live) write().tokens.find(hash)->second.revoked_at = at;
    return static_cast<std::int64_t>(live.size());
  }

  Result<std::map<std::string, std::int64_t>> open_cases_by_state() override {
    std::map<std::string, std::int64_t> out;
    for (const auto& [id, c] : read().cases) {
      if (c.is_open()) ++out[c.state];
    }
    return out;
  }

  Result<std::int64_t> pending_timer_count() override {
    return static_cast<std::int64_t>(read().pending.size());
  }

  // --- Loss review: plain scans (the SQLite store has the indexes).
  Result<std::vector<LostCustomer>> lost_customers(
      Instant from, Instant to, const std::vector<std::string>& case_workflows) override {
    std::vector<LostCustomer> out;
    for (const auto& [e, received] : read().churn) {
      if (e.lost_at < from || e.lost_at >= to) continue;
      LostCustomer l;
      l.customer_id = e.customer_id;
      l.arr = e.arr;
      l.reason = e.reason;
      l.lost_at = e.lost_at;
      if (auto it = read().customers.find(e.customer_id.value); it != read().customers.end()) {
        l.name = it->second.name;
        l.segment = it->second.segment;
      }
      const auto& cases = read().cases;
      for (auto c = cases.rbegin(); c != cases.rend(); ++c) {
        if (c->second.customer_id == e.customer_id && listed(case_workflows, c->second.workflow)) {
          l.case_id = c->second.id;
          l.case_state = c->second.state;
          break;
        }
      }
      out.push_back(std::move(l));
    }
    std::sort(out.begin(), out.end(), [](const LostCustomer& a, const LostCustomer& b) {
      return std::tie(a.lost_at, a.customer_id.value) < std::tie(b.lost_at, b.customer_id.value);
    });
    return out;
  }

  Result<DigestPage> case_digests(const DigestQuery& q) override {
    DigestPage page;
    for (const auto& [id, c] : read().cases) {
      if (!listed(q.workflows, c.workflow) || !digest_matches(c, q)) continue;
      ++page.total;
      if (static_cast<std::int64_t>(page.cases.size()) < q.limit) page.cases.push_back(digest(c, q.as_of));
    }
    return page;
  }

  Result<std::vector<StateCount>> open_counts_by_state(const std::vector<std::string>& workflows,
                                                       Instant as_of) override {
    std::map<std::string, StateCount> by_state;
    for (const auto& [id, c] : read().cases) {
      if (!c.is_open() || !listed(workflows, c.workflow)) continue;
      StateCount& sc = by_state[c.state];
      sc.state = c.state;
      ++sc.open;
      if (c.overdue(as_of)) ++sc.overdue;
    }
    std::vector<StateCount> out;
    for (auto& [state, sc] : by_state) out.push_back(sc);
    return out;
  }

  Result<std::vector<OwnerCount>> overdue_counts_by_owner(const std::vector<std::string>& workflows,
                                                          Instant as_of) override {
    std::map<std::string, std::int64_t> by_owner;
    for (const auto& [id, c] : read().cases) {
      if (c.is_open() && listed(workflows, c.workflow) && c.overdue(as_of)) ++by_owner[c.owner.value];
    }
    std::vector<OwnerCount> out;
    for (const auto& [owner, n] : by_owner) out.push_back({PersonId(owner), n});
    return out;
  }

  Result<std::int64_t> count_cases_with_events(const std::vector<std::string>& workflows,
                                               const std::vector<std::string>& events, Instant from,
                                               Instant to) override {
    std::int64_t n = 0;
    for (const auto& [id, entries] : read().history) {
      auto c = read().cases.find(id);
      if (c == read().cases.end() || !listed(workflows, c->second.workflow)) continue;
      bool hit = std::any_of(entries.begin(), entries.end(), [&](const HistoryEntry& h) {
        return h.at >= from && h.at < to && listed(events, h.event);
      });
      if (hit) ++n;
    }
    return n;
  }

  Status upsert_review_meeting(const ReviewMeetingRow& row) override {
    auto it = read().review_meetings.find(row.month);
    if (it != read().review_meetings.end() && it->second.frozen_at) return Status();
    ReviewMeetingRow stored{row.month, row.starts_at, row.cutoff_at, std::nullopt, std::nullopt};
    write().review_meetings.insert_or_assign(row.month, std::move(stored));
    return Status();
  }

  Result<std::optional<ReviewMeetingRow>> find_review_meeting(std::string_view month) override {
    auto it = read().review_meetings.find(month);
    if (it == read().review_meetings.end()) return std::optional<ReviewMeetingRow>();
    return std::optional<ReviewMeetingRow>(it->second);
  }

  Result<std::optional<ReviewMeetingRow>> last_review_meeting() override {
    std::optional<ReviewMeetingRow> last;
    for (const auto& [month, row] : read().review_meetings) {
      if (!last || row.starts_at > last->starts_at) last = row;
    }
    if (last) last->agenda.reset();
    return last;
  }

  Result<std::vector<ReviewMeetingRow>> due_review_meetings(Instant now) override {
    std::vector<ReviewMeetingRow> out;
    for (const auto& [month, row] : read().review_meetings) {
      if (!row.frozen_at && row.cutoff_at <= now) out.push_back(row);
    }
    std::sort(out.begin(), out.end(), [](const ReviewMeetingRow& a, const ReviewMeetingRow& b) {
      return std::tie(a.cutoff_at, a.month) < std::tie(b.cutoff_at, b.month);
    });
    return out;
  }

  Result<std::optional<Instant>> next_review_cutoff() override {
    std::optional<Instant> next;
    for (const auto& [month, row] : read().review_meetings) {
      if (!row.frozen_at && (!next || row.cutoff_at < *next)) next = row.cutoff_at;
    }
    return next;
  }

  Result<bool> freeze_review_meeting(std::string_view month, const Agenda& agenda,
                                     Instant frozen_at) override {
    auto it = read().review_meetings.find(month);
    if (it == read().review_meetings.end()) {
      return not_found("no loss review meeting for " + std::string(month));
    }
    if (it->second.frozen_at) return false;
    ReviewMeetingRow& row = write().review_meetings.find(month)->second;
    row.frozen_at = frozen_at;
    row.agenda = agenda;
    return true;
  }

  Result<std::int64_t> get_counter(std::string_view key) override {
    auto it = read().counters.find(key);
    return it == read().counters.end() ? 0 : it->second;
  }

  Status set_counter(std::string_view key, std::int64_t value) override {
    write().counters.insert_or_assign(std::string(key), value);
    return Status();
  }

  Status enqueue_notification(const Notification& n) override {
    if (n.case_id.valid() && !read().cases.contains(n.case_id.value)) {
      return not_found("enqueue_notification: " + case_name(n.case_id) + " not found");
    }
    write().notifications.push_back(n);
    return Status();
  }

  Result<std::vector<StoredWorkflow>> list_workflows() override {
    std::vector<StoredWorkflow> out;
    for (const auto& [key, w] : read().workflows) out.push_back(w);
    return out;
  }

  Result<int> insert_workflow(const StoredWorkflow& w) override {
    std::pair<std::string, int> key(w.name, w.version);
    if (read().workflows.contains(key)) {
      return already_exists("workflow " + w.name + " version " + std::to_string(w.version) +
                            " is already stored");
    }
    write().workflows.emplace(std::move(key), w);
    return w.version;
  }

  Result<std::optional<std::string>> get_setting(std::string_view key) override {
    auto it = read().settings.find(key);
    if (it == read().settings.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

  Status put_setting(std::string_view key, std::string_view value) override {
    write().settings.insert_or_assign(std::string(key), std::string(value));
    return Status();
  }


  // --- Analytics (memory_analytics.cpp).
  Result<bool> set_zone_offsets(const std::vector<ZoneOffset>& offsets) override {
    if (read().zone_offsets == offsets) return false;
    write().zone_offsets = offsets;
    return true;
  }
  Result<std::int64_t> backfill_case_analytics(
      std::string_view workflow, const std::vector<std::string>& theme_fields,
      const std::vector<std::string>& first_contact_events) override {
    State& s = write();
    return memory::backfill(s.cases, s.history, workflow, theme_fields, first_contact_events);
  }
  Result<std::vector<ResponseDayRow>> response_days(LocalDay from, LocalDay to) override {
    return memory::response_days(read().responses, read().zone_offsets, from, to);
  }
  Result<std::vector<ThemeDayRow>> theme_days(LocalDay from, LocalDay to,
                                              std::string_view workflow) override {
    return memory::theme_days(read().cases, read().zone_offsets, from, to, workflow);
  }
  Result<std::vector<DeadlineDayRow>> deadline_days(LocalDay from, LocalDay to) override {
    return memory::deadline_days(read().deadlines, read().zone_offsets, from, to);
  }
  Result<std::vector<CaseDeadlineRow>> case_deadlines(CaseId id) override {
    return memory::case_deadlines(read().deadlines, id);
  }
  Result<std::vector<CaseTimingRow>> case_timings(std::string_view workflow, Instant from,
                                                  Instant to) override {
    return memory::case_timings(read().cases, workflow, from, to);
  }
  Result<std::vector<TimingMonthRow>> timing_months(std::string_view workflow, LocalMonth from,
                                                    LocalMonth to) override {
    return memory::timing_months(read().cases, read().zone_offsets, workflow, from, to);
  }
  Result<std::vector<ThemeCaseRow>> cases_with_theme(const ThemeCaseQuery& q) override {
    return memory::cases_with_theme(read().cases, q);
  }
  Result<std::vector<OpenThemeRow>> open_theme_counts() override {
    return memory::open_theme_counts(read().cases);
  }
  Result<std::vector<ThemeCaseTotals>> theme_case_totals(
      const std::vector<std::string>& workflows) override {
    return memory::theme_case_totals(read().cases, workflows);
  }
  Result<std::vector<CallbackRow>> callbacks(Instant from, Instant to,
                                             std::int64_t limit) override {
    return memory::callbacks(read().cases, from, to, limit);
  }
  Result<CaseFlow> case_flow(std::string_view workflow, Instant from, Instant to) override {
    return memory::case_flow(read().cases, workflow, from, to);
  }

  // --- Top-five issues.
  Status insert_issue(const IssueRecord& i) override {
    if (!read().cases.contains(i.id.value)) return not_found("insert_issue: " + case_name(i.id) + " not found");
    if (read().issues.contains(i.id.value)) return already_exists(case_name(i.id) + " is an issue already");
    write().issues.emplace(i.id.value, i);
    return Status();
  }

  Result<std::vector<IssueRecord>> list_issues() override {
    std::vector<IssueRecord> out;
    for (const auto& [id, rec] : read().issues) out.push_back(with_open(rec));
    return out;
  }

  Result<std::optional<IssueRecord>> find_issue(CaseId id) override {
    auto it = read().issues.find(id.value);
    if (it == read().issues.end()) return std::optional<IssueRecord>();
    return std::optional<IssueRecord>(with_open(it->second));
  }

  Result<bool> insert_issue_link(const IssueLink& l) override {
    if (!read().issues.contains(l.issue_id.value) || !read().cases.contains(l.case_id.value)) {
      return not_found("insert_issue_link: issue " + std::to_string(l.issue_id.value) + " or " +
                       case_name(l.case_id) + " not found");
    }
    std::pair<std::int64_t, std::int64_t> key(l.issue_id.value, l.case_id.value);
    if (read().issue_links.contains(key)) return false;
    write().issue_links.emplace(key, l);
    return true;
  }

  Result<std::vector<IssueLink>> issue_links(CaseId issue) override {
    std::vector<IssueLink> out;
    for (const auto& [key, l] : read().issue_links) {
      if (key.first == issue.value) out.push_back(l);
    }
    std::stable_sort(out.begin(), out.end(), [](const IssueLink& a, const IssueLink& b) {
      return a.linked_at < b.linked_at;
    });
    return out;
  }

  Result<std::vector<LinkedCase>> linked_cases(CaseId issue) override {
    TA_ASSIGN_OR_RETURN(auto links, issue_links(issue));
    std::vector<LinkedCase> out;
    for (const IssueLink& l : links) {
      auto it = read().cases.find(l.case_id.value);
      if (it == read().cases.end()) return internal_error("issue link to a missing case");
      const Case& c = it->second;
      out.push_back({l, c.customer_name, c.segment, c.arr, c.state, c.owner, c.is_open(), c.customer_id});
    }
    return out;
  }

  Result<LinkTotals> issue_link_totals(CaseId issue) override {
    TA_ASSIGN_OR_RETURN(auto linked, linked_cases(issue));
    LinkTotals t;
    std::map<std::string, double> customers;
    for (const LinkedCase& lc : linked) {
      (lc.open ? t.open : t.closed)++;
      auto [it, fresh] = customers.emplace(lc.customer_id.value, lc.arr);
      if (!fresh) it->second = std::max(it->second, lc.arr);
    }
    for (const auto& [customer, arr] : customers) t.arr += arr;
    return t;
  }

  Result<std::optional<Instant>> last_event_at(CaseId id, std::string_view event) override {
    std::optional<Instant> out;
    auto h = read().history.find(id.value);
    if (h == read().history.end()) return out;
    for (const HistoryEntry& e : h->second) {
      if (e.event == event && (!out || e.at > *out)) out = e.at;
    }
    return out;
  }

  Result<std::vector<IssueLink>> case_issue_links(CaseId c) override {
    std::vector<IssueLink> out;
    for (const auto& [key, l] : read().issue_links) {
      if (key.second == c.value) out.push_back(l);
    }
    return out;
  }

  Result<ResponseCounts> response_counts(std::string_view segment, Instant from,
                                         Instant to) override {
    ResponseCounts out;
    for (const auto& [id, row] : read().responses) {
      const Response& r = row.first;
      if (!segment.empty() && r.segment != segment) continue;
      if (r.responded_at < from || r.responded_at >= to) continue;
      ++out.responses;
      if (r.score <= 6) ++out.detractors;
    }
    return out;
  }

  Status commit() override {
    assert(!committed_flag_ && "commit() called twice");
    committed_flag_ = true;
    if (working_) committed_.swap(working_);
    return Status();
  }

 private:
  static char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
  // SQLite's LIKE '%text%' (ASCII case-insensitive) on the name, or the id's prefix.
  static bool search_matches(const Case& c, const std::string& text) {
    if (c.customer_id.value.starts_with(text)) return true;
    std::string name = c.customer_name, want = text;
    for (char& ch : name) ch = lower(ch);
    for (char& ch : want) ch = lower(ch);
    return name.find(want) != std::string::npos;
  }

  // The same predicate as list_cases_sql() in statements.cpp.
  static bool matches(const Case& c, const CaseFilter& f) {
    if (f.state && c.state != *f.state) return false;
    if (f.owner && c.owner != *f.owner) return false;
    if (f.workflow && c.workflow != *f.workflow) return false;
    if (f.segment && c.segment != *f.segment) return false;
    if (f.customer_id && c.customer_id != *f.customer_id) return false;
    if (f.queue && (c.queue != *f.queue || !c.owner.empty())) return false;
    if (f.priority && c.priority != *f.priority) return false;
    if (f.unowned_only && !c.owner.empty()) return false;
    if (f.customer_search && !search_matches(c, *f.customer_search)) return false;
    if ((f.open_only || f.queue || f.overdue_at || f.by_due) && !c.is_open()) return false;
    if (f.overdue_at && !c.overdue(*f.overdue_at)) return false;
    return true;
  }

  IssueRecord with_open(IssueRecord r) const {
    auto it = read().cases.find(r.id.value);
    r.open = it != read().cases.end() && it->second.is_open();
    return r;
  }

  static bool listed(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  }

  // The same predicates as review_rows.cpp's SQL.
  static bool digest_matches(const Case& c, const DigestQuery& q) {
    switch (q.kind) {
      case DigestQuery::Kind::kOpenedBetween: return c.opened_at >= q.from && c.opened_at < q.to;
      case DigestQuery::Kind::kClosedBetween:
        return c.closed_at && *c.closed_at >= q.from && *c.closed_at < q.to;
      case DigestQuery::Kind::kOpenOrOpenedBetween:
        return c.is_open() || (c.opened_at >= q.from && c.opened_at < q.to);
      case DigestQuery::Kind::kOverdue: return c.is_open() && c.overdue(q.as_of);
    }
    return false;
  }

  static CaseDigest digest(const Case& c, Instant as_of) {
    CaseDigest d;
    d.id = c.id;
    d.workflow = c.workflow;
    d.state = c.state;
    d.owner = c.owner;
    d.customer_id = c.customer_id;
    d.customer_name = c.customer_name;
    d.segment = c.segment;
    d.arr = c.arr;
    d.opened_at = c.opened_at;
    d.closed_at = c.closed_at;
    d.overdue = c.is_open() && c.overdue(as_of);
    return d;
  }

  const State& read() const { return working_ ? *working_ : *committed_; }
  State& write() {
    if (!working_) working_ = std::make_unique<State>(*committed_);
    return *working_;
  }

  TransactionGate::Hold hold_;
  std::unique_ptr<State>& committed_;  // the store's state_
  std::unique_ptr<State> working_;     // this transaction's copy, after a write
  bool committed_flag_ = false;
};

MemoryStore::MemoryStore() : state_(std::make_unique<State>()) {}
MemoryStore::~MemoryStore() = default;

Result<std::unique_ptr<Transaction>> MemoryStore::begin(TxnMode /*mode*/) {
  std::optional<TransactionGate::Hold> hold = gate_.enter();
  if (!hold) return internal_error(kNestedTransaction);
  return std::unique_ptr<Transaction>(std::make_unique<Txn>(std::move(*hold), state_));
}

std::vector<Notification> MemoryStore::notifications() const {
  std::optional<TransactionGate::Hold> hold = gate_.enter();
  assert(hold && "notifications() while this thread holds a transaction");
  return state_->notifications;
}

}  // namespace turnaround::storage

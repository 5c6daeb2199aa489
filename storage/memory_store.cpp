#include "storage/memory_store.h"

#include "storage/memory_analytics.h"

#include <algorithm>
#include <cassert>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

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

  // Top-five issues.
  std::map<std::int64_t, IssueRecord> issues;                         // by case id
  std::map<std::pair<std::int64_t, std::int64_t>, IssueLink> issue_links;  // (issue, case)

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
    for (auto it = cases.upper_bound(f.after_id); it != cases.end(); ++it) {
      if (f.limit > 0 && static_cast<std::int64_t>(out.size()) >= f.limit) break;
      if (matches(it->second, f)) out.push_back(it->second);
    }
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
  Result<std::vector<ThemeCaseRow>> cases_with_theme(const ThemeCaseQuery& q) override {
    return memory::cases_with_theme(read().cases, q);
  }
  Result<std::vector<OpenThemeRow>> open_theme_counts() override {
    return memory::open_theme_counts(read().cases);
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

  Result<std::vector<IssueLink>> case_issue_links(CaseId c) override {
    std::vector<IssueLink> out;
    for (const auto& [key, l] : read().issue_links) {
      if (key.second == c.value) out.push_back(l);
    }
    return out;
  }

  Result<std::vector<ThemedCase>> themed_cases(const std::vector<ThemeSource>& sources,
                                               const std::optional<std::string>& theme) override {
    std::vector<ThemedCase> out;
    for (const auto& [id, c] : read().cases) {
      std::set<std::string> themes;
      for (const ThemeSource& src : sources) {
        if (c.workflow != src.workflow) continue;
        auto it = c.data.find(src.field);
        if (it == c.data.end()) continue;
        if (it->second.is_text()) themes.insert(it->second.as_text());
        if (it->second.is_list()) themes.insert(it->second.as_list().begin(), it->second.as_list().end());
      }
      for (const auto& t : themes) {
        if (theme && t != *theme) continue;
        out.push_back(ThemedCase{c.id, c.customer_id, c.segment, c.arr, c.is_open(), t});
      }
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
  // The same predicate as list_cases_sql() in statements.cpp.
  static bool matches(const Case& c, const CaseFilter& f) {
    if (f.state && c.state != *f.state) return false;
    if (f.owner && c.owner != *f.owner) return false;
    if (f.workflow && c.workflow != *f.workflow) return false;
    if (f.segment && c.segment != *f.segment) return false;
    if (f.customer_id && c.customer_id != *f.customer_id) return false;
    if (f.queue && (c.queue != *f.queue || !c.owner.empty())) return false;
    if ((f.open_only || f.queue || f.overdue_at) && !c.is_open()) return false;
    if (f.overdue_at && !c.overdue(*f.overdue_at)) return false;
    return true;
  }

  IssueRecord with_open(IssueRecord r) const {
    auto it = read().cases.find(r.id.value);
    r.open = it != read().cases.end() && it->second.is_open();
    return r;
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

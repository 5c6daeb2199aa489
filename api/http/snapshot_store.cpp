#include "api/http/snapshot_store.h"

namespace turnaround::api {

namespace {

Status read_only(const char* what) {
  return internal_error(std::string(what) + " in a read-only request (SnapshotStore)");
}

// A view of the shared transaction: reads forward, writes are refused,
// commit() does nothing (the SnapshotStore ends the transaction).
class BorrowedTransaction final : public Transaction {
 public:
  explicit BorrowedTransaction(Transaction& inner) : inner_(inner) {}

  Result<bool> insert_response(const Response& /*r*/, Instant /*received_at*/) override {
    return read_only("insert_response");
  }
  Result<bool> insert_churn(const ChurnEvent& /*e*/, Instant /*received_at*/) override {
    return read_only("insert_churn");
  }
  Status upsert_customer(const Customer& /*c*/) override { return read_only("upsert_customer"); }
  Result<std::optional<Customer>> find_customer(const CustomerId& id) override {
    return inner_.find_customer(id);
  }
  Result<std::optional<CaseId>> find_open_case(const CustomerId& customer,
                                               std::string_view workflow) override {
    return inner_.find_open_case(customer, workflow);
  }
  Result<Case> load_case(CaseId id, bool with_history) override {
    return inner_.load_case(id, with_history);
  }
  Result<CaseId> insert_case(const Case& /*c*/) override { return read_only("insert_case"); }
  Status update_case(const Case& /*c*/, std::int64_t /*expected_version*/) override {
    return read_only("update_case");
  }
  Status append_history(CaseId /*id*/, const std::vector<HistoryEntry>& /*entries*/) override {
    return read_only("append_history");
  }
  Result<std::vector<Case>> list_cases(const CaseFilter& f) override {
    return inner_.list_cases(f);
  }
  Result<std::map<PersonId, int>> open_case_counts() override { return inner_.open_case_counts(); }
  Result<std::map<std::string, std::int64_t>> count_cases_by_state(const CaseFilter& f) override {
    return inner_.count_cases_by_state(f);
  }
  Result<std::vector<Response>> case_responses(const Case& c) override {
    return inner_.case_responses(c);
  }
  Result<TimerId> insert_timer(const Timer& /*t*/) override { return read_only("insert_timer"); }
  Status cancel_timers(CaseId /*id*/, std::string_view /*deadline*/) override {
    return read_only("cancel_timers");
  }
  Result<std::vector<Timer>> due_timers(Instant now, int limit) override {
    return inner_.due_timers(now, limit);
  }
  Result<bool> mark_timer_fired(TimerId /*id*/, Instant /*fired_at*/) override {
    return read_only("mark_timer_fired");
  }
  Result<std::vector<Timer>> case_timers(CaseId id) override { return inner_.case_timers(id); }
  Result<std::optional<Instant>> next_timer_due() override { return inner_.next_timer_due(); }
  Result<std::vector<Person>> list_people() override { return inner_.list_people(); }
  Status upsert_person(const Person& /*p*/) override { return read_only("upsert_person"); }
  Result<std::optional<Person>> find_person(const PersonId& id) override {
    return inner_.find_person(id);
  }
  Status insert_token(std::string_view /*hash*/, const PersonId& /*person*/,
                      Instant /*created_at*/) override {
    return read_only("insert_token");
  }
  Result<std::optional<PersonId>> find_token(std::string_view hash) override {
    return inner_.find_token(hash);
  }
  Result<std::optional<Person>> find_token_person(std::string_view hash) override {
    return inner_.find_token_person(hash);
  }
  Result<std::int64_t> revoke_tokens(const PersonId& /*person*/, Instant /*at*/) override {
    return read_only("revoke_tokens");
  }
  Status insert_session(std::string_view /*hash*/, std::string_view /*token_hash*/,
                        const WebSession& /*s*/) override {
    return read_only("insert_session");
  }
  Result<std::optional<WebSession>> find_session(std::string_view hash, Instant now) override {
    return inner_.find_session(hash, now);
  }
  Result<bool> delete_session(std::string_view /*hash*/) override {
    return read_only("delete_session");
  }
  Result<std::map<std::string, std::int64_t>> open_cases_by_state() override {
    return inner_.open_cases_by_state();
  }
  Result<std::int64_t> pending_timer_count() override { return inner_.pending_timer_count(); }
  Result<std::int64_t> get_counter(std::string_view key) override {
    return inner_.get_counter(key);
  }
  Status set_counter(std::string_view /*key*/, std::int64_t /*value*/) override {
    return read_only("set_counter");
  }
  Status enqueue_notification(const Notification& /*n*/) override {
    return read_only("enqueue_notification");
  }
  Result<std::vector<LostCustomer>> lost_customers(
      Instant from, Instant to, const std::vector<std::string>& case_workflows) override {
    return inner_.lost_customers(from, to, case_workflows);
  }
  Result<DigestPage> case_digests(const DigestQuery& q) override { return inner_.case_digests(q); }
  Result<std::vector<StateCount>> open_counts_by_state(const std::vector<std::string>& workflows,
                                                       Instant as_of) override {
    return inner_.open_counts_by_state(workflows, as_of);
  }
  Result<std::vector<OwnerCount>> overdue_counts_by_owner(const std::vector<std::string>& workflows,
                                                          Instant as_of) override {
    return inner_.overdue_counts_by_owner(workflows, as_of);
  }
  Result<std::int64_t> count_cases_with_events(const std::vector<std::string>& workflows,
                                               const std::vector<std::string>& events, Instant from,
                                               Instant to) override {
    return inner_.count_cases_with_events(workflows, events, from, to);
  }
  Status upsert_review_meeting(const ReviewMeetingRow& /*row*/) override {
    return read_only("upsert_review_meeting");
  }
  Result<std::optional<ReviewMeetingRow>> find_review_meeting(std::string_view month) override {
    return inner_.find_review_meeting(month);
  }
  Result<std::optional<ReviewMeetingRow>> last_review_meeting() override {
    return inner_.last_review_meeting();
  }
  Result<std::vector<ReviewMeetingRow>> due_review_meetings(Instant now) override {
    return inner_.due_review_meetings(now);
  }
  Result<std::optional<Instant>> next_review_cutoff() override { return inner_.next_review_cutoff(); }
  Result<bool> freeze_review_meeting(std::string_view /*month*/, const Agenda& /*agenda*/,
                                     Instant /*frozen_at*/) override {
    return read_only("freeze_review_meeting");
  }
  Result<std::vector<StoredWorkflow>> list_workflows() override { return inner_.list_workflows(); }
  Result<int> insert_workflow(const StoredWorkflow& /*w*/) override {
    return read_only("insert_workflow");
  }
  Result<std::optional<std::string>> get_setting(std::string_view key) override {
    return inner_.get_setting(key);
  }
  Status put_setting(std::string_view /*key*/, std::string_view /*value*/) override {
    return read_only("put_setting");
  }
  Result<bool> set_zone_offsets(const std::vector<ZoneOffset>& /*offsets*/) override {
    return read_only("set_zone_offsets");
  }
  Result<std::int64_t> backfill_case_analytics(std::string_view /*workflow*/,
                                               const std::vector<std::string>& /*fields*/,
                                               const std::vector<std::string>& /*events*/) override {
    return read_only("backfill_case_analytics");
  }
  Result<std::vector<ResponseDayRow>> response_days(LocalDay from, LocalDay to) override {
    return inner_.response_days(from, to);
  }
  Result<std::vector<ThemeDayRow>> theme_days(LocalDay from, LocalDay to,
                                              std::string_view workflow) override {
    return inner_.theme_days(from, to, workflow);
  }
  Result<std::vector<DeadlineDayRow>> deadline_days(LocalDay from, LocalDay to) override {
    return inner_.deadline_days(from, to);
  }
  Result<std::vector<CaseDeadlineRow>> case_deadlines(CaseId id) override {
    return inner_.case_deadlines(id);
  }
  Result<std::vector<CaseTimingRow>> case_timings(std::string_view workflow, Instant from,
                                                  Instant to) override {
    return inner_.case_timings(workflow, from, to);
  }
  Result<std::vector<TimingMonthRow>> timing_months(std::string_view workflow, LocalMonth from,
                                                    LocalMonth to) override {
    return inner_.timing_months(workflow, from, to);
  }
  Result<std::vector<ThemeCaseRow>> cases_with_theme(const ThemeCaseQuery& q) override {
    return inner_.cases_with_theme(q);
  }
  Result<std::vector<OpenThemeRow>> open_theme_counts() override {
    return inner_.open_theme_counts();
  }
  Result<std::vector<ThemeCaseTotals>> theme_case_totals(
      const std::vector<std::string>& workflows) override {
    return inner_.theme_case_totals(workflows);
  }
  Result<std::vector<CallbackRow>> callbacks(Instant from, Instant to,
                                             std::int64_t limit) override {
    return inner_.callbacks(from, to, limit);
  }
  Result<CaseFlow> case_flow(std::string_view workflow, Instant from, Instant to) override {
    return inner_.case_flow(workflow, from, to);
  }
  // Top-five issues.
  Status insert_issue(const IssueRecord& /*i*/) override { return read_only("insert_issue"); }
  Result<std::vector<IssueRecord>> list_issues() override { return inner_.list_issues(); }
  Result<std::optional<IssueRecord>> find_issue(CaseId id) override {
    return inner_.find_issue(id);
  }
  Result<bool> insert_issue_link(const IssueLink& /*l*/) override {
    return read_only("insert_issue_link");
  }
  Result<std::vector<IssueLink>> issue_links(CaseId issue) override {
    return inner_.issue_links(issue);
  }
  Result<std::vector<IssueLink>> case_issue_links(CaseId c) override {
    return inner_.case_issue_links(c);
  }
  Result<std::vector<LinkedCase>> linked_cases(CaseId issue) override {
    return inner_.linked_cases(issue);
  }
  Result<LinkTotals> issue_link_totals(CaseId issue) override {
    return inner_.issue_link_totals(issue);
  }
  Result<std::optional<Instant>> last_event_at(CaseId id, std::string_view event) override {
    return inner_.last_event_at(id, event);
  }
  Result<ResponseCounts> response_counts(std::string_view segment, Instant from,
                                         Instant to) override {
    return inner_.response_counts(segment, from, to);
  }

  Status commit() override { return Status(); }

 private:
  Transaction& inner_;
};

}  // namespace

Result<std::unique_ptr<Transaction>> SnapshotStore::begin(TxnMode mode) {
  if (mode == TxnMode::kWrite) return read_only("begin(kWrite)");
  if (!txn_) {
    TA_ASSIGN_OR_RETURN(txn_, base_.begin(TxnMode::kRead));
  }
  return std::unique_ptr<Transaction>(std::make_unique<BorrowedTransaction>(*txn_));
}

}  // namespace turnaround::api

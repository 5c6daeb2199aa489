#include "engine/engine.h"

#include <algorithm>
#include <unordered_map>

#include "engine/case_scope.h"
#include "engine/configuration.h"

namespace turnaround {

const char* intake_outcome_name(IntakeOutcome o) {
  switch (o) {
    case IntakeOutcome::kOpened: return "opened";
    case IntakeOutcome::kAttached: return "attached";
    case IntakeOutcome::kRecorded: return "recorded";
    case IntakeOutcome::kDuplicate: return "duplicate";
    case IntakeOutcome::kRejected: return "rejected";
  }
  return "?";
}

void ImportSummary::add(const IntakeItemResult& r) {
  ++read;
  switch (r.outcome) {
    case IntakeOutcome::kOpened: ++cases_opened; break;
    case IntakeOutcome::kAttached: ++attached; break;
    case IntakeOutcome::kRecorded: ++recorded; break;
    case IntakeOutcome::kDuplicate: ++duplicates; break;
    case IntakeOutcome::kRejected: ++rejected; break;
  }
  cases_closed += r.cases_closed;
}

Engine::Engine(Store& store, const Clock& clock, const CompanyConfig& company,
               const WorkflowRegistry& registry, EngineOptions options)
    : store_(store),
      clock_(clock),
      initial_{&company, &registry},
      config_(&initial_),
      options_(options) {}

void Engine::use_configuration(std::shared_ptr<const LoadedConfig> config) {
  std::lock_guard lock(config_mutex_);
  configs_.push_back(std::move(config));
  const LoadedConfig& c = *configs_.back();
  config_refs_.push_back(std::make_unique<const ConfigRefs>(ConfigRefs{&c.company, &c.registry}));
  config_.store(config_refs_.back().get(), std::memory_order_release);
}

Priority Engine::priority_for(const GuardScope& scope) const {
  for (const auto& rule : company().priority) {
    if (!rule.when || rule.when->evaluate(scope)) return rule.priority;
  }
  return Priority::kNormal;
}

Result<const WorkflowDefinition*> Engine::intake_workflow(IntakeRule::On on,
                                                         const GuardScope& scope) const {
  for (const auto& rule : company().intake) {
    if (rule.on != on || (rule.when && !rule.when->evaluate(scope))) continue;
    const WorkflowDefinition* wf = registry().latest(rule.workflow);
    if (!wf) return internal_error("intake rule opens unknown workflow " + rule.workflow);
    return wf;
  }
  return static_cast<const WorkflowDefinition*>(nullptr);
}

Result<const WorkflowDefinition*> Engine::workflow_of(const Case& c) const {
  const WorkflowDefinition* wf = registry().get(c.workflow, c.workflow_version);
  if (!wf) {
    return internal_error("case " + std::to_string(c.id.value) + " runs unknown workflow " +
                          c.workflow + " v" + std::to_string(c.workflow_version));
  }
  return wf;
}

Status Engine::write(Transaction& txn, Case& c, const Effects& fx, bool is_new, int depth) {
  // Case::themes is derived from the data on every write, so storage's
  // theme summaries follow any change of a theme field.
  if (is_new || fx.changed) {
    TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(c));
    c.themes = wf->themes_of(c.data);
  }
  if (is_new) {
    c.history = fx.history;
    TA_ASSIGN_OR_RETURN(c.id, txn.insert_case(c));
  } else {
    if (fx.changed) {
      std::int64_t expected = c.version;
      c.version = expected + 1;
      TA_RETURN_IF_ERROR(txn.update_case(c, expected));
    }
    if (!fx.history.empty()) TA_RETURN_IF_ERROR(txn.append_history(c.id, fx.history));
  }
  std::vector<std::string> cancelled = fx.cancel_timers;
  std::sort(cancelled.begin(), cancelled.end());
  cancelled.erase(std::unique(cancelled.begin(), cancelled.end()), cancelled.end());
  if (!is_new) {
    for (const auto& name : cancelled) TA_RETURN_IF_ERROR(txn.cancel_timers(c.id, name));
  }
  for (Timer t : fx.new_timers) {
    t.case_id = c.id;
    TA_RETURN_IF_ERROR(txn.insert_timer(t).status());
  }
  for (Notification n : fx.notifications) {
    n.case_id = c.id;
    TA_RETURN_IF_ERROR(txn.enqueue_notification(n));
  }
  if (!fx.signals.empty()) TA_RETURN_IF_ERROR(deliver_signals(txn, c, fx.signals, depth));
  return Status();
}

Result<CaseId> Engine::open_case(Transaction& txn, Assigner& assigner, const WorkflowDefinition& wf,
                                 Case c, Instant now) {
  CaseMachine machine(wf, company(), assigner);
  Effects fx;
  TA_RETURN_IF_ERROR(machine.open(c, now, fx));
  TA_RETURN_IF_ERROR(write(txn, c, fx, true));
  return c.id;
}

Result<std::vector<IntakeItemResult>> Engine::ingest_responses(
    const std::vector<Numbered<Response>>& items) {
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kWrite));
  Assigner assigner(*txn, company());
  std::vector<IntakeItemResult> results;
  results.reserve(items.size());
  for (const auto& item : items) {
    TA_ASSIGN_OR_RETURN(IntakeItemResult r, ingest_one(*txn, assigner, item.item));
    r.line = item.line;
    results.push_back(std::move(r));
  }
  TA_RETURN_IF_ERROR(txn->commit());
  return results;
}

Result<IntakeItemResult> Engine::ingest_one(Transaction& txn, Assigner& assigner,
                                            const Response& in) {
  IntakeItemResult out;
  Status valid = validate_response(in);
  Response r = in;
  r.segment = company().segment_for(in.segment, in.arr);
  if (valid.ok() && !company().known_segment(r.segment)) {
    std::vector<std::string> names;
    for (const auto& s : company().segments) names.push_back(s.name);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    valid = invalid_argument("segment '" + r.segment + "' is not one of: " + list, {"segment"});
  }
  if (!valid.ok()) {
    out.outcome = IntakeOutcome::kRejected;
    out.error = valid;
    return out;
  }
  if (!r.account_owner.empty()) {
    TA_ASSIGN_OR_RETURN(const Person* owner, assigner.person(r.account_owner));
    if (!owner) {
      out.outcome = IntakeOutcome::kRejected;
      out.error = invalid_argument("account_owner: no person '" + r.account_owner.value + "'",
                                   {"account_owner"});
      return out;
    }
  }
  Instant now = clock_.now();
  TA_ASSIGN_OR_RETURN(bool inserted, txn.insert_response(r, now));
  if (!inserted) {
    out.outcome = IntakeOutcome::kDuplicate;
    return out;
  }
  TA_ASSIGN_OR_RETURN(auto existing, txn.find_customer(r.customer_id));
  Customer cust;
  cust.id = r.customer_id;
  cust.name = r.customer_name;
  cust.segment = r.segment;
  cust.arr = r.arr;
  if (existing) {
    cust.account_owner = existing->account_owner;
    cust.lost = existing->lost;
  }
  if (!r.account_owner.empty()) cust.account_owner = r.account_owner;
  if (!existing || existing->name != cust.name || existing->segment != cust.segment ||
      existing->arr != cust.arr || existing->account_owner != cust.account_owner) {
    TA_RETURN_IF_ERROR(txn.upsert_customer(cust));
  }

  ResponseScope scope(r, company());
  TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, intake_workflow(IntakeRule::On::kResponse, scope));
  if (!wf) {
    out.outcome = IntakeOutcome::kRecorded;
    return out;
  }
  Priority priority = priority_for(scope);

  TA_ASSIGN_OR_RETURN(auto open_id, txn.find_open_case(r.customer_id, wf->name));
  if (open_id) {
    TA_ASSIGN_OR_RETURN(Case c, txn.load_case(*open_id, false));
    c.responses.push_back(r.response_id);
    if (!c.score || r.score < *c.score) c.score = r.score;
    Effects fx;
    FieldValues data{{"response_id", Value(r.response_id.value)}, {"score", Value(r.score)}};
    if (priority > c.priority) {
      data["priority_from"] = Value(priority_name(c.priority));
      data["priority_to"] = Value(priority_name(priority));
      c.priority = priority;
    }
    fx.history.push_back({now, "response_attached", c.state, c.state, kSystemActor, std::move(data)});
    fx.changed = true;
    TA_RETURN_IF_ERROR(write(txn, c, fx, false));
    out.outcome = IntakeOutcome::kAttached;
    out.case_id = c.id;
    return out;
  }
  Case c;
  c.customer_id = r.customer_id;
  c.customer_name = r.customer_name;
  c.segment = r.segment;
  c.arr = r.arr;
  c.score = r.score;
  c.responses.push_back(r.response_id);
  c.responded_at = r.responded_at;
  c.priority = priority;
  TA_ASSIGN_OR_RETURN(out.case_id, open_case(txn, assigner, *wf, std::move(c), now));
  out.outcome = IntakeOutcome::kOpened;
  return out;
}

Result<std::vector<IntakeItemResult>> Engine::ingest_churn(
    const std::vector<Numbered<ChurnEvent>>& items) {
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kWrite));
  Assigner assigner(*txn, company());
  std::vector<IntakeItemResult> results;
  for (const auto& item : items) {
    TA_ASSIGN_OR_RETURN(IntakeItemResult r, churn_one(*txn, assigner, item.item));
    r.line = item.line;
    results.push_back(std::move(r));
  }
  TA_RETURN_IF_ERROR(txn->commit());
  return results;
}

Result<IntakeItemResult> Engine::churn_one(Transaction& txn, Assigner& assigner,
                                           const ChurnEvent& e) {
  IntakeItemResult out;
  if (Status s = validate_churn(e); !s.ok()) {
    out.outcome = IntakeOutcome::kRejected;
    out.error = s;
    return out;
  }
  Instant now = clock_.now();
  TA_ASSIGN_OR_RETURN(bool inserted, txn.insert_churn(e, now));
  if (!inserted) {
    out.outcome = IntakeOutcome::kDuplicate;
    return out;
  }
  TA_ASSIGN_OR_RETURN(auto existing, txn.find_customer(e.customer_id));
  Customer cust = existing.value_or(Customer{});
  cust.id = e.customer_id;
  if (!existing) {
    cust.arr = e.arr;
    cust.segment = company().segment_for("", e.arr);
  }
  cust.lost = true;
  TA_RETURN_IF_ERROR(txn.upsert_customer(cust));

  // The customer's running cases take their side exit, where the workflow has one.
  CaseFilter f;
  f.customer_id = e.customer_id;
  f.open_only = true;
  TA_ASSIGN_OR_RETURN(auto open_cases, txn.list_cases(f));
  std::string reason = e.reason.empty() ? "customer left" : e.reason;
  for (Case& c : open_cases) {
    TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(c));
    if (wf->transitions(c.state, "customer_lost").empty()) continue;
    CaseMachine machine(*wf, company(), assigner);
    Effects fx;
    FieldValues data;
    if (wf->field("lost_reason")) data["lost_reason"] = Value(reason);
    if (!machine.fire(c, "customer_lost", nullptr, data, now, fx).ok()) continue;
    TA_RETURN_IF_ERROR(write(txn, c, fx, false));
    if (!c.is_open()) ++out.cases_closed;
  }

  FieldValues vars{{"arr", Value(e.arr)},
                   {"segment", Value(cust.segment)},
                   {"customer_id", Value(e.customer_id.value)},
                   {"heavy_hitter", Value(company().heavy_hitter(e.arr))},
                   {"danger_zone", Value(false)}};
  MapScope scope(vars);
  TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, intake_workflow(IntakeRule::On::kChurn, scope));
  if (!wf) {
    out.outcome = IntakeOutcome::kRecorded;
    return out;
  }
  TA_ASSIGN_OR_RETURN(auto open_id, txn.find_open_case(e.customer_id, wf->name));
  if (open_id) {
    out.outcome = IntakeOutcome::kAttached;
    out.case_id = *open_id;
    return out;
  }
  Case c;
  c.customer_id = e.customer_id;
  c.customer_name = cust.name;
  c.segment = cust.segment;
  c.arr = e.arr > 0 ? e.arr : cust.arr;
  c.priority = priority_for(scope);
  if (wf->field("churn_reason") && !e.reason.empty()) c.data["churn_reason"] = Value(e.reason);
  if (wf->field("lost_at")) c.data["lost_at"] = Value(format_instant(e.lost_at));
  TA_ASSIGN_OR_RETURN(out.case_id, open_case(txn, assigner, *wf, std::move(c), now));
  out.outcome = IntakeOutcome::kOpened;
  return out;
}

Result<TickResult> Engine::tick(Instant now) {
  TickResult total;
  // The loss review first: its agendas freeze as close to their cut-off as
  // this tick can (overdue flags come from due instants, not from timers).
  TA_RETURN_IF_ERROR(schedule_reviews(now));
  TA_ASSIGN_OR_RETURN(total.agendas_frozen, freeze_due_agendas(now));
  for (;;) {
    TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kWrite));
    TA_ASSIGN_OR_RETURN(auto due, txn->due_timers(now, options_.tick_batch_size));
    if (due.empty()) break;
    Assigner assigner(*txn, company());
    struct Work {
      Case c;
      Effects fx;
    };
    std::unordered_map<CaseId, Work> work;
    std::vector<CaseId> order;
    for (const Timer& t : due) {
      TA_ASSIGN_OR_RETURN(bool mine, txn->mark_timer_fired(t.id, now));
      if (!mine) continue;
      ++total.fired;
      auto it = work.find(t.case_id);
      if (it == work.end()) {
        auto loaded = txn->load_case(t.case_id, false);
        if (!loaded.ok() && loaded.status().code() == StatusCode::kNotFound) continue;
        if (!loaded.ok()) return loaded.status();
        it = work.emplace(t.case_id, Work{std::move(*loaded), {}}).first;
        order.push_back(t.case_id);
      }
      TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(it->second.c));
      CaseMachine machine(*wf, company(), assigner);
      TA_RETURN_IF_ERROR(
          machine.fire_timer(it->second.c, t, now, options_.misfire_grace, it->second.fx));
    }
    for (CaseId id : order) {
      Work& w = work.at(id);
      total.reminders += w.fx.reminders;
      total.escalations += w.fx.escalations;
      total.deadlines_missed += w.fx.deadlines_missed;
      TA_RETURN_IF_ERROR(write(*txn, w.c, w.fx, false));
    }
    TA_RETURN_IF_ERROR(txn->commit());
  }
  return total;
}

Result<Case> Engine::mutate(
    CaseId id, std::optional<std::int64_t> expected_version,
    const std::function<Status(Transaction&, Assigner&, CaseMachine&, Case&, Effects&)>& op) {
  {
    TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kWrite));
    TA_ASSIGN_OR_RETURN(Case c, txn->load_case(id, false));
    if (expected_version && *expected_version != c.version) {
      return aborted("case " + std::to_string(id.value) + " is at version " +
                     std::to_string(c.version) + ", not " + std::to_string(*expected_version) +
                     ": it was changed by someone else; reload it and try again");
    }
    TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(c));
    Assigner assigner(*txn, company());
    CaseMachine machine(*wf, company(), assigner);
    Effects fx;
    TA_RETURN_IF_ERROR(op(*txn, assigner, machine, c, fx));
    TA_RETURN_IF_ERROR(write(*txn, c, fx, false));
    TA_RETURN_IF_ERROR(txn->commit());
  }
  return get_case(id, true);
}

Result<Case> Engine::fire_event(CaseId id, const std::string& event, const PersonId& actor_id,
                                const FieldValues& data,
                                std::optional<std::int64_t> expected_version) {
  Instant now = clock_.now();
  return mutate(id, expected_version,
                [&](Transaction& txn, Assigner& assigner, CaseMachine& m, Case& c, Effects& fx) -> Status {
                  TA_ASSIGN_OR_RETURN(const Person* actor, assigner.person(actor_id));
                  if (!actor || !actor->active) {
                    return permission_denied("unknown or inactive person '" + actor_id.value + "'");
                  }
                  TA_RETURN_IF_ERROR(m.fire(c, event, actor, data, now, fx));
                  TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(c));
                  return auto_link(txn, *wf, c, data, actor_id.value, now, fx);
                });
}

Result<Case> Engine::assign(CaseId id, const PersonId& owner, const PersonId& actor_id,
                            std::optional<std::int64_t> expected_version) {
  Instant now = clock_.now();
  return mutate(id, expected_version,
                [&](Transaction&, Assigner& assigner, CaseMachine&, Case& c, Effects& fx) -> Status {
                  TA_ASSIGN_OR_RETURN(const Person* actor, assigner.person(actor_id));
                  if (!actor || !actor->active) {
                    return permission_denied("unknown or inactive person '" + actor_id.value + "'");
                  }
                  if (!actor->has_role(Role::kOpsLead) && !actor->has_role(Role::kAdmin)) {
                    return permission_denied(actor_id.value + " may not assign cases (ops_lead or admin only)");
                  }
                  TA_ASSIGN_OR_RETURN(const Person* target, assigner.person(owner));
                  if (!target) return not_found("no person '" + owner.value + "'");
                  if (!target->active) return invalid_argument("person '" + owner.value + "' is inactive", {"owner"});
                  if (!c.is_open()) return failed_precondition("case " + std::to_string(c.id.value) + " is closed");
                  FieldValues data{{"owner", Value(owner.value)}};
                  if (!c.owner.empty()) data["previous_owner"] = Value(c.owner.value);
                  assigner.on_owner_change(c.owner, owner);
                  c.owner = owner;
                  c.queue.clear();
                  fx.history.push_back({now, "assigned", c.state, c.state, actor_id.value, std::move(data)});
                  fx.changed = true;
                  return Status();
                });
}

Result<Case> Engine::claim(CaseId id, const PersonId& actor_id,
                           std::optional<std::int64_t> expected_version) {
  Instant now = clock_.now();
  return mutate(id, expected_version,
                [&](Transaction& txn, Assigner& assigner, CaseMachine&, Case& c, Effects& fx) -> Status {
                  TA_ASSIGN_OR_RETURN(const Person* actor, assigner.person(actor_id));
                  if (!actor || !actor->active) {
                    return permission_denied("unknown or inactive person '" + actor_id.value + "'");
                  }
                  std::string cid = std::to_string(c.id.value);
                  if (!c.is_open()) return failed_precondition("case " + cid + " is closed");
                  if (!c.owner.empty()) {
                    return failed_precondition("case " + cid + " is already owned by " + c.owner.value);
                  }
                  if (c.queue.empty()) return failed_precondition("case " + cid + " is not in a queue to claim from");
                  auto role = parse_role(c.queue);
                  if (!role || !actor->has_role(*role)) {
                    return permission_denied(actor_id.value + " may not claim case " + cid +
                                             " (queue: " + c.queue + ")");
                  }
                  if (actor->capacity > 0) {
                    TA_ASSIGN_OR_RETURN(auto counts, txn.open_case_counts());
                    if (counts[actor->id] >= actor->capacity) {
                      return failed_precondition(actor_id.value + " is at capacity (" +
                                                 std::to_string(actor->capacity) + " open cases)");
                    }
                  }
                  FieldValues data{{"queue", Value(c.queue)}};
                  assigner.on_owner_change(PersonId(), actor->id);
                  c.owner = actor->id;
                  c.queue.clear();
                  fx.history.push_back({now, "claimed", c.state, c.state, actor_id.value, std::move(data)});
                  fx.changed = true;
                  return Status();
                });
}

Result<Case> Engine::get_case(CaseId id, bool with_history) {
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  return txn->load_case(id, with_history);
}

Result<std::vector<Case>> Engine::list_cases(const CaseFilter& filter) {
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  return txn->list_cases(filter);
}

Result<std::vector<std::string>> Engine::allowed_events(const Case& c, const PersonId& actor_id) {
  TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(c));
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  Assigner assigner(*txn, company());
  CaseMachine machine(*wf, company(), assigner);
  if (actor_id.empty()) return machine.state_events(c);
  TA_ASSIGN_OR_RETURN(const Person* actor, assigner.person(actor_id));
  if (!actor) return std::vector<std::string>{};
  return machine.allowed_events(c, actor);
}

Result<std::vector<std::string>> Engine::allowed_events(const Case& c, const Person& actor) {
  TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(c));
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  Assigner assigner(*txn, company());
  CaseMachine machine(*wf, company(), assigner);
  return machine.allowed_events(c, &actor);
}

Result<std::vector<Person>> Engine::people() {
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  return txn->list_people();
}

Result<Person> Engine::person(const PersonId& id) {
  TA_ASSIGN_OR_RETURN(auto all, people());
  for (auto& p : all) {
    if (p.id == id) return p;
  }
  return not_found("no person '" + id.value + "'");
}

}  // namespace turnaround

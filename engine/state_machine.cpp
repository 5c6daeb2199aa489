#include "engine/state_machine.h"

#include <algorithm>

#include "engine/case_scope.h"

namespace turnaround {

namespace {

constexpr int kMaxAutomaticDepth = 16;
constexpr int kMaxReminderCatchUp = 100000;

HistoryEntry entry(Instant at, std::string event, const std::string& from, const std::string& to,
                   const std::string& by, FieldValues data = {}) {
  return HistoryEntry{at, std::move(event), from, to, by, std::move(data)};
}

// Ends the pending timers of a deadline. Timers of it created earlier in the
// same operation were never written, so they are dropped here; the caller
// writes cancellations before insertions.
void cancel_timers(Effects& fx, const std::string& deadline) {
  std::erase_if(fx.new_timers, [&](const Timer& t) { return t.deadline == deadline; });
  fx.cancel_timers.push_back(deadline);
}

Value seconds_value(std::chrono::seconds s) { return Value(static_cast<long long>(s.count())); }

std::string actor_id(const Person* actor) { return actor ? actor->id.value : kSystemActor; }

}  // namespace

Status CaseMachine::open(Case& c, Instant now, Effects& fx) {
  c.state.clear();
  c.version = 1;
  c.workflow = wf_.name;
  c.workflow_version = wf_.version;
  c.opened_at = now;
  FieldValues data;
  if (!c.responses.empty()) data["response_id"] = Value(c.responses.front().value);
  data["priority"] = Value(priority_name(c.priority));
  fx.history.push_back(entry(now, "opened", "", wf_.initial, kSystemActor, std::move(data)));
  return enter_state(c, wf_.initial, now, fx, 0);
}

std::vector<std::string> CaseMachine::state_events(const Case& c) const {
  std::vector<std::string> out;
  if (const StateDef* s = wf_.state(c.state)) {
    for (const auto& t : s->transitions) {
      if (std::find(out.begin(), out.end(), t.event) == out.end()) out.push_back(t.event);
    }
  }
  return out;
}

std::vector<std::string> CaseMachine::allowed_events(const Case& c, const Person* actor) const {
  std::vector<std::string> out;
  const StateDef* s = wf_.state(c.state);
  if (!s) return out;
  for (const auto& t : s->transitions) {
    if (may_act(c, *s, t, actor) && std::find(out.begin(), out.end(), t.event) == out.end()) {
      out.push_back(t.event);
    }
  }
  return out;
}

bool CaseMachine::may_act(const Case& c, const StateDef& s, const TransitionDef& t,
                          const Person* actor) const {
  if (!actor) return true;  // the system (escalations, churn) may fire any event
  const std::vector<std::string>& roles = t.roles.empty() ? s.roles : t.roles;
  static const std::vector<std::string> kDefault = {"ops_lead", kCaseOwnerRole};
  for (const auto& r : roles.empty() ? kDefault : roles) {
    if (r == kCaseOwnerRole) {
      if (!c.owner.empty() && c.owner == actor->id) return true;
    } else if (auto role = parse_role(r); role && actor->has_role(*role)) {
      return true;
    }
  }
  return false;
}

Status CaseMachine::check_data(const FieldValues& data) const {
  std::vector<std::string> bad;
  std::string why;
  auto fail = [&](const std::string& field, const std::string& msg) {
    bad.push_back(field);
    if (!why.empty()) why += "; ";
    why += msg;
  };
  for (const auto& [name, value] : data) {
    const FieldDef* f = wf_.field(name);
    if (!f) {
      fail(name, "unknown field '" + name + "' (workflow " + wf_.name + ")");
      continue;
    }
    if (value.is_null()) continue;  // clears the field
    bool ok = true;
    switch (f->type) {
      case FieldType::kText:
      case FieldType::kPerson: ok = value.is_text(); break;
      case FieldType::kNumber: ok = value.is_number(); break;
      case FieldType::kBoolean: ok = value.is_bool(); break;
      case FieldType::kTheme:
        ok = value.is_text();
        if (ok && !company_.themes.empty() && !company_.known_theme(value.as_text())) {
          fail(name, "'" + value.as_text() + "' is not a theme of the taxonomy");
          continue;
        }
        break;
      case FieldType::kThemes:
        ok = value.is_list();
        if (ok && !company_.themes.empty()) {
          for (const auto& t : value.as_list()) {
            if (!company_.known_theme(t)) {
              fail(name, "'" + t + "' is not a theme of the taxonomy");
              break;
            }
          }
        }
        break;
    }
    if (!ok) fail(name, "field '" + name + "' must be " + field_type_name(f->type));
  }
  if (bad.empty()) return Status();
  return invalid_argument(why, bad);
}

Status CaseMachine::fire(Case& c, const std::string& event, const Person* actor,
                         const FieldValues& data, Instant now, Effects& fx) {
  const StateDef* s = wf_.state(c.state);
  if (!s) return internal_error("case " + std::to_string(c.id.value) + " is in unknown state " + c.state);
  if (s->terminal) {
    return failed_precondition("case " + std::to_string(c.id.value) + " is closed (state '" +
                               c.state + "')");
  }
  auto candidates = wf_.transitions(c.state, event);
  if (candidates.empty()) {
    return failed_precondition("event '" + event + "' is not allowed in state '" + c.state + "'")
        .with_allowed(allowed_events(c, actor));
  }
  std::vector<const TransitionDef*> permitted;
  for (const TransitionDef* t : candidates) {
    if (may_act(c, *s, *t, actor)) permitted.push_back(t);
  }
  if (permitted.empty()) {
    return permission_denied(actor_id(actor) + " may not fire '" + event + "' in state '" +
                             c.state + "'" + (c.owner.empty() ? "" : " (owner: " + c.owner.value + ")"));
  }
  TA_RETURN_IF_ERROR(check_data(data));
  CaseScope scope(c, company_, actor, &data);
  const TransitionDef* chosen = nullptr;
  for (const TransitionDef* t : permitted) {
    if (!t->guard || t->guard->evaluate(scope)) {
      chosen = t;
      break;
    }
  }
  if (!chosen) {
    std::string guards;
    for (const TransitionDef* t : permitted) {
      if (!guards.empty()) guards += " / ";
      guards += t->guard->text();
    }
    return failed_precondition("event '" + event + "' is not possible now: its condition (" +
                               guards + ") does not hold")
        .with_allowed(allowed_events(c, actor));
  }
  std::vector<std::string> missing;
  for (const auto& f : chosen->requires_fields) {
    if (!scope.lookup(f).present()) missing.push_back(f);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return invalid_argument("event '" + event + "' requires field(s): " + list, missing);
  }
  for (const auto& [name, value] : data) {
    if (value.is_null()) c.data.erase(name);
    else c.data[name] = value;
  }
  fx.history.push_back(entry(now, event, c.state, chosen->to, actor_id(actor), data));
  if (chosen->first_contact && !c.first_contact_at) c.first_contact_at = now;
  fx.changed = true;
  if (chosen->signal_linked) {
    LinkedSignal sig{chosen->signal_linked->event, {}, event, now};
    for (const auto& [target, source] : chosen->signal_linked->data) {
      if (source == "id") {
        sig.data[target] = Value(static_cast<long long>(c.id.value));
      } else if (auto it = c.data.find(source); it != c.data.end()) {
        sig.data[target] = it->second;
      }
    }
    fx.signals.push_back(std::move(sig));
  }
  return enter_state(c, chosen->to, now, fx, 0);
}

Status CaseMachine::enter_state(Case& c, const std::string& state, Instant now, Effects& fx,
                                int depth) {
  if (depth > kMaxAutomaticDepth) {
    return internal_error("automatic transitions of workflow " + wf_.name + " loop at state " + state);
  }
  const StateDef* to = wf_.state(state);
  if (!to) return internal_error("unknown state " + state);
  // Coming back from a clock-pausing state to the step that was paused
  // resumes it: its deadlines resume and its owner stays (no re-assignment).
  // The step's deadlines are not done (a wait does not end them), whether
  // they were paused or had already been missed before the wait.
  const StateDef* from = wf_.state(c.state);
  bool resuming = false;
  if (from && from->pauses_clock) {
    for (const auto& d : c.deadlines) resuming = resuming || (!d.done && d.state == to->name);
  }
  c.state = state;
  c.state_entered_at = now;
  fx.changed = true;

  for (auto& d : c.deadlines) {
    if (d.done) continue;
    if (to->pauses_clock) {
      if (d.status == DeadlineStatus::kPending && !d.paused_at) {
        d.paused_at = now;
        cancel_timers(fx, d.name);
      }
      continue;
    }
    if (d.paused_at) {  // resume: the remaining time continues from now
      d.due_at += now - *d.paused_at;
      d.paused_at.reset();
      if (d.state == to->name) {
        if (const DeadlineDef* def = wf_.deadline(d.name)) schedule(c, d, *def, now, fx);
        continue;
      }
    }
    if (d.state == to->name) continue;
    // The case left the deadline's state: the step is over.
    d.done = true;
    cancel_timers(fx, d.name);
    if (d.status != DeadlineStatus::kPending) continue;
    if (to->cancels_deadlines) {
      d.status = DeadlineStatus::kCancelled;
      d.resolved_at = now;
    } else if (now > d.due_at) {
      // Done late, before a tick noticed: missed all the same, at its due instant.
      d.status = DeadlineStatus::kMissed;
      d.resolved_at = d.due_at;
      fx.deadlines_missed++;
      fx.history.push_back(entry(now, "deadline_missed", state, state, kSystemActor,
                                 {{"deadline", Value(d.name)},
                                  {"due_at", Value(format_instant(d.due_at))},
                                  {"lateness_s", seconds_value(std::chrono::duration_cast<std::chrono::seconds>(now - d.due_at))}}));
    } else {
      d.status = DeadlineStatus::kMet;
      d.resolved_at = now;
    }
  }

  if (to->terminal) {
    c.closed_at = now;
    assigner_.on_owner_change(c.owner, PersonId());
    return Status();
  }
  for (const auto& def : to->deadlines) {
    CaseDeadline* existing = c.find_deadline(def.name);
    if (existing && !existing->done) continue;  // resumed after a pause
    start_deadline(c, def, now, fx);
  }
  if (!to->assign.empty() && !resuming) TA_RETURN_IF_ERROR(apply_assignment(c, *to, now, fx));

  CaseScope scope(c, company_);
  for (const auto& t : to->transitions) {
    if (!t.automatic) continue;
    if (t.guard && !t.guard->evaluate(scope)) continue;
    bool ready = std::all_of(t.requires_fields.begin(), t.requires_fields.end(),
                             [&](const std::string& f) { return scope.lookup(f).present(); });
    if (!ready) continue;
    fx.history.push_back(entry(now, t.event, state, t.to, kSystemActor));
    return enter_state(c, t.to, now, fx, depth + 1);
  }
  return Status();
}

Status CaseMachine::apply_assignment(Case& c, const StateDef& s, Instant now, Effects& fx) {
  TA_ASSIGN_OR_RETURN(AssignmentDecision d, assigner_.decide(c, s.assign));
  if (d.how == "none" || (d.owner == c.owner && d.queue == c.queue)) return Status();
  assigner_.on_owner_change(c.owner, d.owner);
  FieldValues data{{"rule", Value(s.assign)}, {"strategy", Value(d.how)}};
  if (!c.owner.empty()) data["previous_owner"] = Value(c.owner.value);
  c.owner = d.owner;
  c.queue = d.queue;
  if (!d.owner.empty()) {
    data["owner"] = Value(d.owner.value);
    fx.history.push_back(entry(now, "assigned", c.state, c.state, kSystemActor, std::move(data)));
  } else {
    data["queue"] = Value(d.queue);
    fx.history.push_back(entry(now, "queued", c.state, c.state, kSystemActor, std::move(data)));
  }
  return Status();
}

void CaseMachine::start_deadline(Case& c, const DeadlineDef& def, Instant now, Effects& fx) {
  CaseScope scope(c, company_);
  const DeadlineRule* rule = &def.rules.back();
  for (const auto& r : def.rules) {
    if (!r.when || r.when->evaluate(scope)) {
      rule = &r;
      break;
    }
  }
  Instant base = def.anchor == DeadlineAnchor::kCaseOpened ? c.opened_at : now;
  Instant due = company_.calendar.add(base, rule->after);
  if (def.end_of_day) due = company_.calendar.end_of_day(due);
  CaseDeadline d;
  d.name = def.name;
  d.state = c.state;
  d.due_at = due;
  if (CaseDeadline* old = c.find_deadline(def.name)) {
    *old = d;  // re-entering the state starts the step afresh
  } else {
    c.deadlines.push_back(d);
  }
  schedule(c, *c.find_deadline(def.name), def, now, fx);
}

void CaseMachine::schedule(Case& c, const CaseDeadline& d, const DeadlineDef& def, Instant now,
                           Effects& fx) {
  Timer due{TimerId(), c.id, d.name, TimerKind::kDeadline, 0, d.due_at, def.misfire};
  if (d.status == DeadlineStatus::kPending) fx.new_timers.push_back(due);
  if (!def.reminder) return;
  Instant first = company_.calendar.subtract(d.due_at, def.reminder->before);
  if (first <= now) {
    if (!def.reminder->every) return;
    for (int i = 0; first <= now && i < kMaxReminderCatchUp; ++i) {
      first = company_.calendar.add(first, *def.reminder->every);
    }
  }
  if (!def.reminder->every && d.status != DeadlineStatus::kPending) return;
  fx.new_timers.push_back(Timer{TimerId(), c.id, d.name, TimerKind::kReminder, 0, first, def.misfire});
}

void CaseMachine::notify(const Case& c, const std::string& to, const std::string& kind,
                         const std::string& message, Instant now, Effects& fx) {
  std::string recipient;
  if (to == "owner") recipient = c.owner.empty() ? "role:" + (c.queue.empty() ? "ops_lead" : c.queue) : c.owner.value;
  else recipient = "role:" + to;
  fx.notifications.push_back(Notification{c.id, recipient, kind, message, now});
}

Status CaseMachine::fire_timer(Case& c, const Timer& t, Instant now,
                               std::chrono::seconds misfire_grace, Effects& fx) {
  CaseDeadline* d = c.find_deadline(t.deadline);
  const DeadlineDef* def = wf_.deadline(t.deadline);
  if (!d || !def || d->done || d->paused_at || !c.is_open()) return Status();
  auto lateness = std::chrono::duration_cast<std::chrono::seconds>(now - t.due_at);
  bool late = lateness > misfire_grace;
  FieldValues data{{"deadline", Value(d->name)}, {"due_at", Value(format_instant(t.due_at))},
                   {"lateness_s", seconds_value(lateness)}};

  switch (t.kind) {
    case TimerKind::kReminder: {
      if (!def->reminder) return Status();
      if (late && t.misfire == MisfirePolicy::kSkip) {
        data["skipped"] = Value(true);
      } else {
        std::string msg = "Reminder: case " + std::to_string(c.id.value) + " (" + c.customer_name +
                          "), deadline " + d->name + " due " + format_instant(d->due_at);
        notify(c, def->reminder->notify, "reminder", msg, now, fx);
        fx.history.push_back(entry(now, "reminder", c.state, c.state, kSystemActor, std::move(data)));
        fx.reminders++;
        fx.changed = true;
      }
      if (def->reminder->every) {
        Instant next = company_.calendar.add(t.due_at, *def->reminder->every);
        if (t.misfire != MisfirePolicy::kFireAll) {
          for (int i = 0; next <= now && i < kMaxReminderCatchUp; ++i) {
            next = company_.calendar.add(next, *def->reminder->every);
          }
        }
        fx.new_timers.push_back(
            Timer{TimerId(), c.id, d->name, TimerKind::kReminder, t.level + 1, next, t.misfire});
      }
      return Status();
    }
    case TimerKind::kDeadline: {
      if (d->status != DeadlineStatus::kPending) return Status();
      d->status = DeadlineStatus::kMissed;
      d->resolved_at = t.due_at;
      fx.history.push_back(entry(now, "deadline_missed", c.state, c.state, kSystemActor, std::move(data)));
      fx.deadlines_missed++;
      fx.changed = true;
      if (!def->escalation.empty()) {
        Instant at = company_.calendar.add(d->due_at, def->escalation[0].after);
        fx.new_timers.push_back(
            Timer{TimerId(), c.id, d->name, TimerKind::kEscalation, 0, at, t.misfire});
      }
      return Status();
    }
    case TimerKind::kEscalation: {
      int level = t.level;
      if (level < 0 || level >= static_cast<int>(def->escalation.size())) return Status();
      bool has_next = level + 1 < static_cast<int>(def->escalation.size());
      Instant next_at{};
      if (has_next) next_at = company_.calendar.add(d->due_at, def->escalation[level + 1].after);
      const std::string name = d->name;
      if (late && t.misfire == MisfirePolicy::kSkip && has_next && next_at <= now) {
        // Skip to the next level: it is due as well.
      } else {
        TA_RETURN_IF_ERROR(escalate(c, *d, *def, level, now, fx));
        // A {fire: EVENT} action may have moved the case on: `d` may point
        // into a reallocated list, and a deadline whose step is over
        // escalates no further (its timers were cancelled).
        d = c.find_deadline(name);
        has_next = has_next && d && !d->done && c.is_open();
      }
      if (has_next) {
        fx.new_timers.push_back(
            Timer{TimerId(), c.id, name, TimerKind::kEscalation, level + 1, next_at, t.misfire});
      }
      return Status();
    }
  }
  return Status();
}

Status CaseMachine::escalate(Case& c, CaseDeadline d, const DeadlineDef& def, int level,
                             Instant now, Effects& fx) {
  const EscalationLevel& lvl = def.escalation[static_cast<std::size_t>(level)];
  FieldValues data{{"deadline", Value(d.name)}, {"level", Value(level + 1)}};
  Value::List done;
  std::string msg = "Escalation level " + std::to_string(level + 1) + ": case " +
                    std::to_string(c.id.value) + " (" + c.customer_name + ") missed " + d.name +
                    " (due " + format_instant(d.due_at) + ")";
  std::string state_before = c.state;
  for (const auto& a : lvl.actions) {
    switch (a.kind) {
      case EscalationAction::Kind::kNotify:
        notify(c, a.target, "escalation", msg, now, fx);
        done.push_back("notify " + a.target);
        break;
      case EscalationAction::Kind::kRaisePriority: {
        Priority p = c.priority;
        if (a.target.empty()) {
          if (p != Priority::kUrgent) p = static_cast<Priority>(static_cast<int>(p) + 1);
        } else if (auto target = parse_priority(a.target); target && *target > p) {
          p = *target;
        }
        if (p != c.priority) {
          data["priority_from"] = Value(priority_name(c.priority));
          data["priority_to"] = Value(priority_name(p));
          c.priority = p;
        }
        done.push_back(std::string("raise_priority ") + priority_name(c.priority));
        break;
      }
      case EscalationAction::Kind::kReassign: {
        auto role = parse_role(a.target);
        TA_ASSIGN_OR_RETURN(auto who, assigner_.least_loaded_member(*role));
        if (who && *who != c.owner) {
          data["previous_owner"] = Value(c.owner.value);
          data["owner"] = Value(who->value);
          assigner_.on_owner_change(c.owner, *who);
          c.owner = *who;
          c.queue.clear();
          notify(c, "owner", "escalation", msg, now, fx);
        }
        done.push_back("reassign " + a.target);
        break;
      }
      case EscalationAction::Kind::kFireEvent: {
        Status s = fire(c, a.target, nullptr, {}, now, fx);
        if (!s.ok()) data["fire_failed"] = Value(s.message());
        done.push_back("fire " + a.target);
        break;
      }
    }
  }
  data["actions"] = Value(done);
  fx.history.push_back(entry(now, "escalated", state_before, state_before, kSystemActor, std::move(data)));
  fx.escalations++;
  fx.changed = true;
  return Status();
}

}  // namespace turnaround

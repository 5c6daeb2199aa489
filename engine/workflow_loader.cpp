// Workflow YAML key tree (every key below is checked; unknown keys are errors):
//
//   name: detractor-followup          # required, [a-z0-9_-]+
//   label: Detractor follow-up        # optional
//   initial: triage                   # required, a state name
//   subject: customer|theme           # what a case is about (default customer);
//                                     # theme: a top-five issue (theme [+ segment])
//   link_to_issues: true|false        # cases link to open theme issues by their
//                                     # theme/themes fields (default false)
//   fields:                           # data fields filled along the way
//     FIELD: {type: text|number|boolean|theme|themes|person, label: ...}
//   from_any:                         # transitions offered in every non-terminal state
//     - TRANSITION
//   states:
//     STATE:
//       label: ...
//       terminal: true|false          # at least one state must be terminal
//       pauses_clock: true|false      # waiting on the customer: deadlines pause
//       cancels_deadlines: true|false # terminal side exit: pending deadlines end cancelled
//       roles: [ops_lead, case_owner] # who may act (domain roles or case_owner)
//       assign: RULESET               # company assignment rule set applied on entry
//       deadlines:
//         - name: week2_root_cause    # unique in the workflow
//           from: case_opened|state_entered   (default state_entered)
//           after: 14d                # or a list of {when: GUARD, duration: D}, first match wins
//           end_of_day: true|false
//           reminder: {before: 2d, every: 2bd, notify: owner|ROLE}
//           misfire: fire_once|fire_all|skip
//           escalation:               # the ladder, level by level
//             - after: 0d             # after the due instant
//               actions: [{notify: owner|ROLE}, {raise_priority: ""|PRIORITY},
//                         {reassign: ROLE}, {fire: EVENT}]
//       transitions:
//         - event: log_call           # TRANSITION
//           to: root_cause
//           guard: EXPRESSION         # see guard.h
//           roles: [...]              # default: the state's roles
//           requires: [FIELD, ...]    # must be present after the event's data
//           automatic: true|false     # taken on entry when the guard holds
//           first_contact: true|false # taking it is the customer's first contact
//           label: ...
//           signal_linked:            # effect on the linked cases (issues)
//             event: EVENT            # fired on each linked open case, as the system
//             data: {TARGET_FIELD: SOURCE}   # SOURCE: a field of this workflow or "id"

#include "engine/workflow_loader.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <queue>
#include <set>
#include <sstream>

#include "engine/yaml_util.h"

namespace turnaround {

namespace {

const std::set<std::string, std::less<>> kBuiltinNames = {
    "score",       "arr",          "segment",  "priority",      "customer_id", "customer_name",
    "danger_zone", "heavy_hitter", "state",    "workflow",      "owner",       "queue",
    "category",    "actor.id",     "actor.roles", "responses_count"};

bool valid_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<FieldType> parse_field_type(std::string_view s) {
  for (FieldType t : {FieldType::kText, FieldType::kNumber, FieldType::kBoolean, FieldType::kTheme,
                      FieldType::kThemes, FieldType::kPerson}) {
    if (s == field_type_name(t)) return t;
  }
  return std::nullopt;
}

class WorkflowLoader {
 public:
  WorkflowLoader(const std::string& file, Diagnostics& diags) : y_(file, diags) {}

  std::optional<WorkflowDefinition> load(const std::string& text) {
    std::size_t before = y_.diags().size();
    YAML::Node root = y_.parse(text);
    if (y_.diags().size() != before) return std::nullopt;
    if (!root.IsDefined() || root.IsNull()) {
      y_.diags().error({y_.file(), 1, 1}, "empty workflow file");
      return std::nullopt;
    }
    if (!y_.expect_map(root, "a workflow file")) return std::nullopt;
    wf_.file = y_.file();
    wf_.content_hash = content_hash(text);
    read_root(root);
    // References are checked even after reading errors, so that one run
    // reports every error; the graph's shape only when it was read cleanly.
    validate_graph(root, y_.diags().size() == before);
    if (y_.diags().size() != before) return std::nullopt;
    return std::move(wf_);
  }

 private:
  void read_root(const YAML::Node& root) {
    y_.check_keys(root, {"name", "label", "initial", "subject", "link_to_issues", "fields",
                         "from_any", "states"},
                  "workflow");
    if (auto n = y_.str(root, "name", true, "workflow")) {
      if (!valid_name(*n)) {
        y_.error(root["name"], "workflow name '" + *n + "' must use only a-z, 0-9, _ and -");
      }
      wf_.name = *n;
    }
    wf_.label = y_.str(root, "label", false, "workflow").value_or(wf_.name);
    wf_.initial = y_.str(root, "initial", true, "workflow").value_or("");
    read_fields(root["fields"]);
    read_subject(root);
    std::vector<TransitionDef> from_any;
    if (YAML::Node fa = root["from_any"]; fa.IsDefined() && y_.expect_sequence(fa, "from_any")) {
      for (const auto& t : fa) {
        if (auto tr = read_transition(t, "from_any")) from_any.push_back(*tr);
      }
    }
    YAML::Node states = root["states"];
    if (!states.IsDefined()) {
      y_.error(root, "missing 'states' in workflow");
      return;
    }
    if (!y_.expect_map(states, "states")) return;
    y_.check_duplicate_keys(states, "states");
    std::set<std::string> seen;
    for (const auto& kv : states) {
      std::string name = kv.first.Scalar();
      if (!seen.insert(name).second) continue;  // reported as a duplicate key
      if (!valid_name(name)) {
        y_.error(kv.first, "state name '" + name + "' must use only a-z, 0-9, _ and -");
      }
      StateDef s = read_state(name, kv.first, kv.second);
      if (!s.terminal) {
        for (const auto& t : from_any) {
          if (t.to != s.name) s.transitions.push_back(t);
        }
      }
      wf_.states.push_back(std::move(s));
    }
  }

  void read_fields(const YAML::Node& fields) {
    if (!fields.IsDefined() || fields.IsNull()) return;
    if (!y_.expect_map(fields, "fields")) return;
    y_.check_duplicate_keys(fields, "fields");
    std::set<std::string> seen;
    for (const auto& kv : fields) {
      FieldDef f;
      f.name = kv.first.Scalar();
      f.where = y_.at(kv.first);
      if (!seen.insert(f.name).second) continue;
      if (is_builtin_guard_name(f.name)) {
        y_.error(kv.first, "field '" + f.name + "' clashes with a built-in case attribute");
      }
      const YAML::Node& spec = kv.second;
      if (spec.IsScalar()) {
        auto t = parse_field_type(spec.Scalar());
        if (!t) y_.error(spec, "unknown field type '" + spec.Scalar() + "'; expected one of: text, number, boolean, theme, themes, person");
        f.type = t.value_or(FieldType::kText);
      } else if (y_.expect_map(spec, "field '" + f.name + "'")) {
        std::string where = "field '" + f.name + "'";
        y_.check_keys(spec, {"type", "label"}, where);
        if (auto ts = y_.str(spec, "type", true, where)) {
          auto t = parse_field_type(*ts);
          if (!t) y_.error(spec["type"], "unknown field type '" + *ts + "'; expected one of: text, number, boolean, theme, themes, person");
          f.type = t.value_or(FieldType::kText);
        }
        f.label = y_.str(spec, "label", false, where).value_or("");
      }
      if (f.label.empty()) f.label = f.name;
      wf_.fields.push_back(std::move(f));
    }
  }

  void read_subject(const YAML::Node& root) {
    if (auto sub = y_.str(root, "subject", false, "workflow")) {
      if (*sub == "customer") wf_.subject = WorkflowSubject::kCustomer;
      else if (*sub == "theme") wf_.subject = WorkflowSubject::kTheme;
      else y_.error(root["subject"], "subject must be customer or theme, not '" + *sub + "'");
    }
    wf_.link_to_issues = y_.boolean(root, "link_to_issues", "workflow").value_or(false);
    if (!wf_.link_to_issues) return;
    if (wf_.subject == WorkflowSubject::kTheme) {
      y_.error(root["link_to_issues"], "a workflow with subject: theme (an issue) cannot link_to_issues");
    } else if (wf_.theme_fields().empty()) {
      y_.error(root["link_to_issues"],
               "link_to_issues needs a field of type theme or themes to link by");
    }
  }

  std::optional<SignalLinkedDef> read_signal(const YAML::Node& node, const std::string& where) {
    std::string sw = "signal_linked of " + where;
    if (!y_.expect_map(node, sw)) return std::nullopt;
    y_.check_keys(node, {"event", "data"}, sw);
    SignalLinkedDef sig;
    sig.where = y_.at(node);
    sig.event = y_.str(node, "event", true, sw).value_or("");
    if (!sig.event.empty() && !valid_name(sig.event)) {
      y_.error(node["event"], "event name '" + sig.event + "' must use only a-z, 0-9, _ and -");
    }
    YAML::Node data = node["data"];
    if (!data.IsDefined() || data.IsNull()) return sig;
    if (!y_.expect_map(data, "data of " + sw)) return sig;
    y_.check_duplicate_keys(data, "data of " + sw);
    for (const auto& kv : data) {
      std::string target = kv.first.Scalar();
      if (!valid_name(target)) {
        y_.error(kv.first, "field name '" + target + "' must use only a-z, 0-9, _ and -");
      }
      if (!kv.second.IsScalar()) {
        y_.error(kv.second, "the source of '" + target + "' in " + sw +
                                " must be a field name of this workflow or id");
        continue;
      }
      std::string source = kv.second.Scalar();
      if (source != "id" && !wf_.field(source)) {
        y_.error(kv.second, "unknown field '" + source + "' in " + sw +
                                " (expected a field of this workflow, or id)");
      }
      sig.data[target] = source;
    }
    return sig;
  }

  StateDef read_state(const std::string& name, const YAML::Node& key, const YAML::Node& node) {
    StateDef s;
    s.name = name;
    s.where = y_.at(key);
    std::string where = "state '" + name + "'";
    if (node.IsNull()) return s;
    if (!y_.expect_map(node, where)) return s;
    y_.check_keys(node, {"label", "terminal", "pauses_clock", "cancels_deadlines", "roles",
                         "assign", "deadlines", "transitions"},
                  where);
    s.label = y_.str(node, "label", false, where).value_or(name);
    s.terminal = y_.boolean(node, "terminal", where).value_or(false);
    s.pauses_clock = y_.boolean(node, "pauses_clock", where).value_or(false);
    s.cancels_deadlines = y_.boolean(node, "cancels_deadlines", where).value_or(false);
    if (s.cancels_deadlines && !s.terminal) {
      y_.error(node["cancels_deadlines"], "cancels_deadlines is only for terminal states ('" + name + "')");
    }
    s.roles = read_roles(node, where);
    s.assign = y_.str(node, "assign", false, where).value_or("");
    if (YAML::Node ds = node["deadlines"]; ds.IsDefined() && y_.expect_sequence(ds, where + " deadlines")) {
      for (const auto& d : ds) {
        if (auto dd = read_deadline(d, where)) s.deadlines.push_back(std::move(*dd));
      }
    }
    if (YAML::Node ts = node["transitions"]; ts.IsDefined() && y_.expect_sequence(ts, where + " transitions")) {
      for (const auto& t : ts) {
        if (auto tr = read_transition(t, where)) s.transitions.push_back(std::move(*tr));
      }
    }
    return s;
  }

  std::vector<std::string> read_roles(const YAML::Node& node, const std::string& where) {
    std::vector<std::string> roles = y_.str_list(node, "roles", where);
    YAML::Node rn = node["roles"];
    for (std::size_t i = 0; i < roles.size(); ++i) {
      if (!is_known_actor_role(roles[i])) {
        YAML::Node at = rn.IsSequence() ? rn[i] : rn;
        y_.error(at, "unknown role '" + roles[i] + "' in " + where +
                         "; expected one of: ops_lead, executive, owner, analyst, admin, ingest, case_owner");
      }
    }
    return roles;
  }

  std::optional<TransitionDef> read_transition(const YAML::Node& node, const std::string& owner) {
    if (!y_.expect_map(node, "a transition of " + owner)) return std::nullopt;
    TransitionDef t;
    t.where = y_.at(node);
    t.event = y_.str(node, "event", true, "transition of " + owner).value_or("");
    std::string where = "transition '" + t.event + "' of " + owner;
    y_.check_keys(node, {"event", "to", "guard", "roles", "requires", "automatic", "first_contact",
                         "label", "signal_linked"},
                  where);
    if (!t.event.empty() && !valid_name(t.event)) {
      y_.error(node["event"], "event name '" + t.event + "' must use only a-z, 0-9, _ and -");
    }
    t.to = y_.str(node, "to", true, where).value_or("");
    if (YAML::Node g = node["guard"]; g.IsDefined()) {
      t.guard = y_.guard(g, "guard of " + where);
      if (t.guard) guards_.push_back({*t.guard, g, where});
    }
    t.roles = read_roles(node, where);
    t.requires_fields = y_.str_list(node, "requires", where);
    YAML::Node req = node["requires"];
    for (std::size_t i = 0; i < t.requires_fields.size(); ++i) {
      required_refs_.push_back({t.requires_fields[i], req.IsSequence() ? req[i] : req, where});
    }
    t.automatic = y_.boolean(node, "automatic", where).value_or(false);
    t.first_contact = y_.boolean(node, "first_contact", where).value_or(false);
    t.label = y_.str(node, "label", false, where).value_or(t.event);
    if (YAML::Node sig = node["signal_linked"]; sig.IsDefined()) t.signal_linked = read_signal(sig, where);
    target_refs_.push_back({t.to, node["to"], where});
    return t;
  }

  std::optional<DeadlineDef> read_deadline(const YAML::Node& node, const std::string& owner) {
    if (!y_.expect_map(node, "a deadline of " + owner)) return std::nullopt;
    DeadlineDef d;
    d.where = y_.at(node);
    d.name = y_.str(node, "name", true, "deadline of " + owner).value_or("");
    std::string where = "deadline '" + d.name + "'";
    y_.check_keys(node, {"name", "from", "after", "end_of_day", "reminder", "misfire", "escalation"},
                  where);
    if (!d.name.empty()) {
      if (!deadline_names_.insert(d.name).second) {
        y_.error(node["name"], "duplicate deadline name '" + d.name + "'");
      }
    }
    if (auto from = y_.str(node, "from", false, where)) {
      if (*from == "case_opened") d.anchor = DeadlineAnchor::kCaseOpened;
      else if (*from == "state_entered") d.anchor = DeadlineAnchor::kStateEntered;
      else y_.error(node["from"], "'from' of " + where + " must be case_opened or state_entered, not '" + *from + "'");
    }
    read_deadline_rules(node["after"], where, d);
    d.end_of_day = y_.boolean(node, "end_of_day", where).value_or(false);
    if (auto m = y_.str(node, "misfire", false, where)) {
      if (*m == "fire_once") d.misfire = MisfirePolicy::kFireOnce;
      else if (*m == "fire_all") d.misfire = MisfirePolicy::kFireAll;
      else if (*m == "skip") d.misfire = MisfirePolicy::kSkip;
      else y_.error(node["misfire"], "misfire of " + where + " must be fire_once, fire_all or skip, not '" + *m + "'");
    }
    if (YAML::Node r = node["reminder"]; r.IsDefined() && y_.expect_map(r, "reminder of " + where)) {
      y_.check_keys(r, {"before", "every", "notify"}, "reminder of " + where);
      ReminderDef rem;
      if (r["before"].IsDefined()) {
        rem.before = y_.duration(r["before"], "reminder 'before'").value_or(Duration{});
      } else {
        y_.error(r, "missing 'before' in reminder of " + where);
      }
      if (r["every"].IsDefined()) {
        rem.every = y_.duration(r["every"], "reminder 'every'");
        if (rem.every && rem.every->amount == 0) {
          y_.error(r["every"], "reminder 'every' must be longer than zero");
        }
      }
      rem.notify = y_.str(r, "notify", false, "reminder").value_or("owner");
      if (rem.notify != "owner" && !parse_role(rem.notify)) {
        y_.error(r["notify"], "unknown role '" + rem.notify + "' to notify; expected owner or a role");
      }
      d.reminder = rem;
    }
    if (YAML::Node e = node["escalation"]; e.IsDefined() && y_.expect_sequence(e, "escalation of " + where)) {
      for (const auto& lvl : e) {
        if (auto l = read_level(lvl, where)) d.escalation.push_back(std::move(*l));
      }
    }
    return d;
  }

  void read_deadline_rules(const YAML::Node& after, const std::string& where, DeadlineDef& d) {
    if (!after.IsDefined()) {
      y_.diags().error(d.where, "missing 'after' in " + where);
      return;
    }
    if (after.IsScalar()) {
      if (auto dur = y_.duration(after, "'after' of " + where)) {
        d.rules.push_back({std::nullopt, *dur, y_.at(after)});
      }
      return;
    }
    if (!y_.expect_sequence(after, "'after' of " + where)) return;
    for (const auto& rule : after) {
      if (!y_.expect_map(rule, "a rule of 'after' of " + where)) continue;
      y_.check_keys(rule, {"when", "duration"}, "a rule of 'after' of " + where);
      DeadlineRule r;
      r.where = y_.at(rule);
      if (YAML::Node w = rule["when"]; w.IsDefined()) {
        r.when = y_.guard(w, "condition of " + where);
        if (r.when) guards_.push_back({*r.when, w, where});
      }
      if (YAML::Node dn = rule["duration"]; dn.IsDefined()) {
        if (auto dur = y_.duration(dn, "'duration' of " + where)) r.after = *dur;
      } else {
        y_.error(rule, "missing 'duration' in a rule of " + where);
      }
      d.rules.push_back(std::move(r));
    }
    if (d.rules.empty()) {
      y_.error(after, "'after' of " + where + " lists no duration");
    } else if (d.rules.back().when) {
      y_.error(after, "the last rule of 'after' of " + where +
                          " must have no 'when', so that every case gets a deadline");
    }
  }

  std::optional<EscalationLevel> read_level(const YAML::Node& node, const std::string& where) {
    std::string lw = "escalation level of " + where;
    if (!y_.expect_map(node, lw)) return std::nullopt;
    y_.check_keys(node, {"after", "actions"}, lw);
    EscalationLevel l;
    l.where = y_.at(node);
    if (node["after"].IsDefined()) {
      l.after = y_.duration(node["after"], "'after' of " + lw).value_or(Duration{});
    }
    YAML::Node acts = node["actions"];
    if (!acts.IsDefined()) {
      y_.error(node, "missing 'actions' in " + lw);
      return l;
    }
    if (!y_.expect_sequence(acts, "actions of " + lw)) return l;
    for (const auto& a : acts) {
      if (!a.IsMap() || a.size() != 1) {
        y_.error(a, "an escalation action is one of {notify: ROLE}, {raise_priority: \"\"}, {reassign: ROLE}, {fire: EVENT}");
        continue;
      }
      auto kv = *a.begin();
      std::string kind = kv.first.Scalar();
      std::string target = kv.second.IsScalar() ? kv.second.Scalar() : "";
      EscalationAction act;
      act.target = target;
      if (kind == "notify") {
        act.kind = EscalationAction::Kind::kNotify;
        if (target != "owner" && !parse_role(target)) {
          y_.error(kv.second, "unknown role '" + target + "' to notify; expected owner or a role");
        }
      } else if (kind == "raise_priority") {
        act.kind = EscalationAction::Kind::kRaisePriority;
        if (!target.empty() && !parse_priority(target)) {
          y_.error(kv.second, "unknown priority '" + target + "'; expected low, normal, high or urgent");
        }
      } else if (kind == "reassign") {
        act.kind = EscalationAction::Kind::kReassign;
        if (!parse_role(target)) {
          y_.error(kv.second, "unknown role '" + target + "' to reassign to");
        }
      } else if (kind == "fire") {
        act.kind = EscalationAction::Kind::kFireEvent;
        fire_refs_.push_back({target, kv.second, lw});
      } else {
        y_.error(kv.first, "unknown escalation action '" + kind + "'; expected notify, raise_priority, reassign or fire");
        continue;
      }
      l.actions.push_back(act);
    }
    return l;
  }

  void validate_graph(const YAML::Node& root, bool check_shape) {
    if (YAML::Node st = root["states"]; !st.IsDefined() || !st.IsMap()) return;  // reported
    std::set<std::string> names;
    std::set<std::string> events;
    for (const auto& s : wf_.states) {
      names.insert(s.name);
      for (const auto& t : s.transitions) events.insert(t.event);
    }
    if (!wf_.initial.empty() && !names.count(wf_.initial)) {
      y_.error(root["initial"], "initial state '" + wf_.initial + "' is not a declared state");
    }
    for (const auto& ref : target_refs_) {
      if (!ref.name.empty() && !names.count(ref.name)) {
        y_.error(ref.node, "unknown target state '" + ref.name + "' in " + ref.where);
      }
    }
    for (const auto& ref : fire_refs_) {
      if (!events.count(ref.name)) {
        y_.error(ref.node, "unknown event '" + ref.name + "' to fire in " + ref.where);
      }
    }
    for (const auto& ref : required_refs_) {
      if (!wf_.field(ref.name)) {
        y_.error(ref.node, "unknown field '" + ref.name + "' required by " + ref.where);
      }
    }
    for (const auto& g : guards_) {
      for (const auto& n : g.guard.names()) {
        if (!wf_.field(n) && !is_builtin_guard_name(n)) {
          y_.diags().error(name_location(y_, g.node, n),
                           "guard of " + g.where + " refers to unknown field '" + n + "'");
        }
      }
    }
    if (!check_shape) return;
    bool any_terminal = false;
    for (const auto& s : wf_.states) {
      any_terminal = any_terminal || s.terminal;
      if (s.terminal && !s.transitions.empty()) {
        y_.diags().error(s.where, "terminal state '" + s.name + "' must have no transitions");
      }
      if (s.terminal && !s.deadlines.empty()) {
        y_.diags().error(s.where, "terminal state '" + s.name + "' must have no deadlines");
      }
      if (!s.terminal && s.transitions.empty()) {
        y_.diags().error(s.where, "state '" + s.name + "' has no transitions and is not terminal");
      }
    }
    if (!any_terminal && !wf_.states.empty()) {
      y_.error(root["states"], "workflow has no terminal state (mark one with terminal: true)");
    }
    // Reachability from the initial state.
    if (names.count(wf_.initial)) {
      std::set<std::string> seen{wf_.initial};
      std::queue<std::string> todo;
      todo.push(wf_.initial);
      while (!todo.empty()) {
        const StateDef* s = wf_.state(todo.front());
        todo.pop();
        for (const auto& t : s->transitions) {
          if (names.count(t.to) && seen.insert(t.to).second) todo.push(t.to);
        }
      }
      for (const auto& s : wf_.states) {
        if (!seen.count(s.name)) {
          y_.diags().error(s.where, "state '" + s.name + "' is unreachable from the initial state '" + wf_.initial + "'");
        }
      }
    }
    check_automatic_loops();
  }

  // A state whose first automatic transition has no guard and requires no
  // field always takes it on entry. A cycle of such states would loop on
  // entering any of them (found at run time only, failing every intake of
  // the workflow): reported once, at the transition out of the cycle's
  // first state by name. Cycles that a guard may break are bounded by the
  // engine at run time.
  void check_automatic_loops() {
    std::map<std::string, const TransitionDef*> sure;  // state -> the transition it always takes
    for (const auto& s : wf_.states) {
      for (const auto& t : s.transitions) {
        if (!t.automatic) continue;
        if (!t.guard && t.requires_fields.empty()) sure[s.name] = &t;
        break;
      }
    }
    for (const auto& [start, first] : sure) {
      std::string path = start;
      std::string at = first->to;
      bool loops = false;
      for (std::size_t steps = 0; steps <= sure.size(); ++steps) {
        if (at == start) {
          loops = true;
          break;
        }
        // Reported from the cycle's first state by name only.
        if (at < start) break;
        auto next = sure.find(at);
        if (next == sure.end()) break;
        path += " -> " + at;
        at = next->second->to;
      }
      if (loops) {
        y_.diags().error(first->where, "automatic transitions loop: " + path + " -> " + start +
                                           " (none of them has a guard or requires a field)");
      }
    }
  }

  struct Ref {
    std::string name;
    YAML::Node node;
    std::string where;
  };
  struct GuardRef {
    Guard guard;
    YAML::Node node;
    std::string where;
  };

  YamlReader y_;
  WorkflowDefinition wf_;
  std::set<std::string> deadline_names_;
  std::vector<Ref> target_refs_, fire_refs_, required_refs_;
  std::vector<GuardRef> guards_;
};

}  // namespace

bool is_known_actor_role(std::string_view name) {
  return name == kCaseOwnerRole || parse_role(name).has_value();
}

bool is_builtin_guard_name(std::string_view name) { return kBuiltinNames.count(name) > 0; }

std::optional<WorkflowDefinition> load_workflow(const std::string& text, const std::string& file,
                                                Diagnostics& diags) {
  return WorkflowLoader(file, diags).load(text);
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<WorkflowDefinition> load_workflow_file(const std::string& path, Diagnostics& diags) {
  auto text = read_text_file(path);
  if (!text.ok()) {
    diags.error({path, 0, 0}, text.status().message());
    return std::nullopt;
  }
  return load_workflow(*text, path, diags);
}

std::string content_hash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a 64 offset basis
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string to_mermaid(const WorkflowDefinition& wf) {
  std::string out = "stateDiagram-v2\n  [*] --> " + wf.initial + "\n";
  for (const auto& s : wf.states) {
    for (const auto& t : s.transitions) {
      out += "  " + s.name + " --> " + t.to + " : " + t.event;
      if (t.guard) out += " [" + t.guard->text() + "]";
      out += "\n";
    }
    if (s.terminal) out += "  " + s.name + " --> [*]\n";
  }
  return out;
}

}  // namespace turnaround

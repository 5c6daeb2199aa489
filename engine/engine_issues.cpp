// Top-five issues: the Engine's use cases for issues (engine.h, "Top-five
// issues"), and the delivery of a transition's signal_linked effect.
//
// Nothing here knows the states of any workflow: an issue is a case of a
// `subject: theme` workflow, a detractor case is a case of a
// `link_to_issues` workflow, and "tell the customer what changed" is the
// event the issue workflow's signal_linked names and the detractor workflow
// offers. See docs/issues.md and docs/workflow-reference.md.

#include <algorithm>
#include <map>
#include <set>

#include "engine/engine.h"

namespace turnaround {

namespace {

// Signals caused by signals stop at this depth (a loop between workflows
// would otherwise never end).
constexpr int kMaxSignalDepth = 2;

std::string id_text(CaseId id) { return std::to_string(id.value); }

std::string subject_text(const std::string& theme, const std::string& segment) {
  return segment.empty() ? theme : theme + " (" + segment + ")";
}

bool is_ops_lead(const Person* p) { return p && p->active && p->has_role(Role::kOpsLead); }

// The themes named by `c`'s theme fields (theme: one text; themes: a list).
std::set<std::string> case_themes(const WorkflowDefinition& wf, const Case& c) {
  std::set<std::string> out;
  for (const auto& name : wf.theme_fields()) {
    auto it = c.data.find(name);
    if (it == c.data.end()) continue;
    if (it->second.is_text()) out.insert(it->second.as_text());
    if (it->second.is_list()) out.insert(it->second.as_list().begin(), it->second.as_list().end());
  }
  return out;
}

std::string list_text(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

std::vector<std::string> Engine::link_workflows() const {
  std::vector<std::string> out;
  for (const auto& name : registry().names()) {
    // Every version: older cases of a workflow that no longer links still
    // count, as they did when they were written.
    for (int v = 1;; ++v) {
      const WorkflowDefinition* wf = registry().get(name, v);
      if (!wf) break;
      if (wf->link_to_issues) {
        out.push_back(name);
        break;
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<bool> Engine::link_case(Transaction& txn, const IssueRecord& issue, const Case& c,
                               const std::string& by, const std::string& how, Instant now,
                               Effects* case_fx) {
  TA_ASSIGN_OR_RETURN(bool inserted,
                      txn.insert_issue_link(IssueLink{issue.id, c.id, now, PersonId(by), how}));
  if (!inserted) return false;
  FieldValues case_data{{"issue_id", Value(static_cast<long long>(issue.id.value))},
                        {"theme", Value(issue.theme)},
                        {"how", Value(how)}};
  if (!issue.segment.empty()) case_data["issue_segment"] = Value(issue.segment);
  HistoryEntry on_case{now, "linked_to_issue", c.state, c.state, by, std::move(case_data)};
  if (case_fx) {
    case_fx->history.push_back(std::move(on_case));
  } else {
    TA_RETURN_IF_ERROR(txn.append_history(c.id, {on_case}));
  }
  TA_ASSIGN_OR_RETURN(Case issue_case, txn.load_case(issue.id, false));
  FieldValues issue_data{{"case_id", Value(static_cast<long long>(c.id.value))},
                         {"customer_id", Value(c.customer_id.value)},
                         {"customer_name", Value(c.customer_name)},
                         {"segment", Value(c.segment)},
                         {"how", Value(how)}};
  TA_RETURN_IF_ERROR(txn.append_history(
      issue.id, {HistoryEntry{now, "case_linked", issue_case.state, issue_case.state, by,
                              std::move(issue_data)}}));
  return true;
}

Status Engine::auto_link(Transaction& txn, const WorkflowDefinition& wf, const Case& c,
                         const FieldValues& data, const std::string& by, Instant now,
                         Effects& fx) {
  if (!wf.link_to_issues) return Status();
  const auto fields = wf.theme_fields();
  bool themes_recorded = std::any_of(data.begin(), data.end(), [&](const auto& kv) {
    return std::find(fields.begin(), fields.end(), kv.first) != fields.end();
  });
  if (!themes_recorded) return Status();
  const std::set<std::string> themes = case_themes(wf, c);
  if (themes.empty()) return Status();
  TA_ASSIGN_OR_RETURN(auto issues, txn.list_issues());
  for (const IssueRecord& issue : issues) {
    if (!issue.open || !themes.count(issue.theme)) continue;
    if (!issue.segment.empty() && issue.segment != c.segment) continue;
    TA_RETURN_IF_ERROR(link_case(txn, issue, c, by, kLinkAuto, now, &fx).status());
  }
  return Status();
}

Status Engine::deliver_signals(Transaction& txn, const Case& from,
                               const std::vector<LinkedSignal>& sigs, int depth) {
  if (depth >= kMaxSignalDepth) return Status();
  for (const LinkedSignal& sig : sigs) {
    TA_ASSIGN_OR_RETURN(auto links, txn.issue_links(from.id));
    std::int64_t fired = 0, noted = 0, closed = 0;
    for (const IssueLink& link : links) {
      TA_ASSIGN_OR_RETURN(Case c, txn.load_case(link.case_id, false));
      if (!c.is_open()) {
        ++closed;
        continue;
      }
      TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(c));
      FieldValues data;  // only the fields the linked case's workflow declares
      for (const auto& [name, value] : sig.data) {
        if (wf->field(name)) data[name] = value;
      }
      Assigner assigner(txn, company());
      CaseMachine machine(*wf, company(), assigner);
      Effects fx;
      std::string not_applied;
      if (wf->transitions(c.state, sig.event).empty()) {
        not_applied = "state '" + c.state + "' offers no event '" + sig.event + "'";
      } else if (Status s = machine.fire(c, sig.event, nullptr, data, sig.at, fx); !s.ok()) {
        fx = Effects();
        not_applied = s.message();
      }
      if (not_applied.empty()) {
        ++fired;
      } else {
        ++noted;
        FieldValues note = data;
        note["event"] = Value(sig.event);
        note["from_case"] = Value(static_cast<long long>(from.id.value));
        note["not_applied"] = Value(not_applied);
        fx.history.push_back({sig.at, "linked_signal", c.state, c.state, kSystemActor, std::move(note)});
      }
      std::string details;
      for (const auto& [name, value] : data) details += "; " + name + ": " + value.to_display();
      std::string recipient = c.owner.empty() ? "role:" + (c.queue.empty() ? "ops_lead" : c.queue)
                                              : c.owner.value;
      fx.notifications.push_back(Notification{
          c.id, recipient, "linked_signal",
          "Case " + id_text(c.id) + " (" + c.customer_name + "): linked case " + id_text(from.id) +
              " (" + from.customer_name + ") took '" + sig.transition + "'; now '" + c.state +
              "'" + details,
          sig.at});
      TA_RETURN_IF_ERROR(write(txn, c, fx, false, depth + 1));
    }
    FieldValues summary{{"event", Value(sig.event)},
                        {"fired", Value(static_cast<long long>(fired))},
                        {"noted", Value(static_cast<long long>(noted))},
                        {"skipped_closed", Value(static_cast<long long>(closed))}};
    TA_RETURN_IF_ERROR(txn.append_history(
        from.id, {HistoryEntry{sig.at, "linked_cases_signalled", from.state, from.state,
                               kSystemActor, std::move(summary)}}));
  }
  return Status();
}

Status Engine::check_issue_subject(const OpenIssueRequest& req) const {
  if (!company().known_theme(req.theme)) {
    return invalid_argument("theme '" + req.theme + "' is not one of: " + list_text(company().themes),
                            {"theme"});
  }
  if (!req.segment.empty() && !company().known_segment(req.segment)) {
    std::vector<std::string> names;
    for (const auto& s : company().segments) names.push_back(s.name);
    return invalid_argument("segment '" + req.segment + "' is not one of: " + list_text(names),
                            {"segment"});
  }
  return Status();
}

Result<const WorkflowDefinition*> Engine::issue_workflow(const std::string& name) const {
  std::vector<const WorkflowDefinition*> theme_wfs;
  std::vector<std::string> names;
  for (const auto& n : registry().names()) {
    const WorkflowDefinition* wf = registry().latest(n);
    if (wf && wf->subject == WorkflowSubject::kTheme) {
      theme_wfs.push_back(wf);
      names.push_back(wf->name);
    }
  }
  if (theme_wfs.empty()) {
    return failed_precondition(
        "no workflow with 'subject: theme' is configured; add workflows/issue-accountability.yaml "
        "to the company's workflows and run turnaround init");
  }
  if (name.empty()) {
    if (theme_wfs.size() == 1) return theme_wfs.front();
    return invalid_argument("several issue workflows are configured; name one of: " + list_text(names),
                            {"workflow"});
  }
  for (const auto* w : theme_wfs) {
    if (w->name == name) return w;
  }
  return invalid_argument("workflow '" + name + "' is not an issue workflow (subject: theme); "
                          "expected one of: " + list_text(names), {"workflow"});
}

Result<IssueView> Engine::open_issue(const OpenIssueRequest& req) {
  // Validate the request before touching the store, so a bad one changes nothing.
  TA_RETURN_IF_ERROR(check_issue_subject(req));
  TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, issue_workflow(req.workflow));
  std::string title = req.title.empty() ? subject_text(req.theme, req.segment) : req.title;
  Instant now = clock_.now();
  CaseId id;
  {
    TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kWrite));
    Assigner assigner(*txn, company());
    TA_ASSIGN_OR_RETURN(const Person* actor, assigner.person(req.actor));
    if (!is_ops_lead(actor)) {
      return permission_denied(req.actor.value + " may not open issues (active ops_lead only)");
    }
    TA_ASSIGN_OR_RETURN(auto existing, txn->list_issues());
    for (const auto& i : existing) {
      if (i.open && i.theme == req.theme && i.segment == req.segment) {
        return already_exists("issue " + id_text(i.id) + " is already open for " +
                              subject_text(req.theme, req.segment.empty() ? "all segments" : req.segment));
      }
    }
    Case c;
    c.customer_name = title;
    c.segment = req.segment;
    c.owner = actor->id;
    CaseMachine machine(*wf, company(), assigner);
    Effects fx;
    assigner.on_owner_change(PersonId(), actor->id);
    TA_RETURN_IF_ERROR(machine.open(c, now, fx));
    if (!fx.history.empty()) {
      fx.history.front().by = actor->id.value;
      fx.history.front().data["theme"] = Value(req.theme);
      fx.history.front().data["segment"] = Value(req.segment);
      fx.history.front().data["title"] = Value(title);
    }
    TA_RETURN_IF_ERROR(write(*txn, c, fx, true));
    id = c.id;
    TA_RETURN_IF_ERROR(
        txn->insert_issue(IssueRecord{id, req.theme, req.segment, title, actor->id, now, true}));
    TA_RETURN_IF_ERROR(txn->commit());
  }
  return issue(id, true);
}

Result<LinkResult> Engine::link_to_issue(CaseId issue_id, std::optional<CaseId> one,
                                         const PersonId& actor_id) {
  Instant now = clock_.now();
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kWrite));
  TA_ASSIGN_OR_RETURN(auto actor, txn->find_person(actor_id));
  if (!actor || !is_ops_lead(&*actor)) {
    return permission_denied(actor_id.value + " may not link cases to issues (active ops_lead only)");
  }
  TA_ASSIGN_OR_RETURN(auto rec, txn->find_issue(issue_id));
  if (!rec) return not_found("case " + id_text(issue_id) + " is not an issue");
  if (!rec->open) {
    return failed_precondition("issue " + id_text(issue_id) + " is closed; link cases to an open issue");
  }
  LinkResult out;
  auto link_one = [&](const Case& c, const char* how) -> Status {
    TA_ASSIGN_OR_RETURN(bool inserted, link_case(*txn, *rec, c, actor_id.value, how, now, nullptr));
    (inserted ? out.linked : out.already).push_back(c.id);
    return Status();
  };
  if (one) {
    TA_ASSIGN_OR_RETURN(Case c, txn->load_case(*one, false));
    TA_ASSIGN_OR_RETURN(const WorkflowDefinition* wf, workflow_of(c));
    if (!wf->link_to_issues) {
      return invalid_argument("case " + id_text(c.id) + " runs " + wf->name +
                                  ", whose cases do not link to issues (link_to_issues)",
                              {"case_id"});
    }
    if (!rec->segment.empty() && c.segment != rec->segment) {
      return invalid_argument("case " + id_text(c.id) + " is in segment '" + c.segment + "'; issue " +
                                  id_text(issue_id) + " is about segment '" + rec->segment + "'",
                              {"case_id"});
    }
    TA_RETURN_IF_ERROR(link_one(c, kLinkManual));
  } else {
    // The open cases carrying the theme (in the issue's segment), from the
    // analytics table case_themes, in case id order.
    std::vector<CaseId> ids;
    for (const std::string& wf : link_workflows()) {
      ThemeCaseQuery q;
      q.theme = rec->theme;
      if (!rec->segment.empty()) q.segment = rec->segment;
      q.workflow = wf;
      q.open_only = true;
      TA_ASSIGN_OR_RETURN(auto rows, txn->cases_with_theme(q));
      for (const ThemeCaseRow& row : rows) ids.push_back(row.case_id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (CaseId id : ids) {
      TA_ASSIGN_OR_RETURN(Case c, txn->load_case(id, false));
      TA_RETURN_IF_ERROR(link_one(c, kLinkBulk));
    }
  }
  TA_RETURN_IF_ERROR(txn->commit());
  return out;
}

Result<IssueView> Engine::issue_view(Transaction& txn, const IssueRecord& rec, bool with_history,
                                     Instant now, bool with_links) {
  IssueView v;
  v.record = rec;
  TA_ASSIGN_OR_RETURN(v.issue, txn.load_case(rec.id, with_history));
  v.overdue = v.issue.overdue(now);
  if (with_links) {
    // The linked cases' columns in one query (an issue may have thousands).
    TA_ASSIGN_OR_RETURN(v.linked, txn.linked_cases(rec.id));
    std::map<std::string, double> customers;
    for (const LinkedCase& lc : v.linked) {
      (lc.open ? v.linked_open : v.linked_closed)++;
      double& arr = customers[lc.customer_id.value];
      arr = std::max(arr, lc.arr);
    }
    for (const auto& [id, arr] : customers) v.linked_arr += arr;
  } else {
    TA_ASSIGN_OR_RETURN(LinkTotals t, txn.issue_link_totals(rec.id));
    v.linked_open = t.open;
    v.linked_closed = t.closed;
    v.linked_arr = t.arr;
  }

  // Verification: the action is done when the issue last signalled its
  // linked cases (its workflow's signal_linked transition).
  IssueVerification& ver = v.verification;
  const auto window = std::chrono::duration_cast<std::chrono::seconds>(options_.issue_verify_window);
  ver.segment = rec.segment;
  ver.window_days = options_.issue_verify_window.count();
  ver.before.from = rec.opened_at - window;
  ver.before.to = rec.opened_at;
  TA_ASSIGN_OR_RETURN(ver.before.counts, txn.response_counts(rec.segment, ver.before.from, ver.before.to));
  TA_ASSIGN_OR_RETURN(ver.action_done_at, txn.last_event_at(rec.id, "linked_cases_signalled"));
  if (ver.action_done_at) {
    ShareWindow after;
    after.from = *ver.action_done_at;
    after.to = std::min(after.from + window, std::max(now, after.from));
    ver.after_complete = now >= after.from + window;
    TA_ASSIGN_OR_RETURN(after.counts, txn.response_counts(rec.segment, after.from, after.to));
    auto b = ver.before.counts.share();
    auto a = after.counts.share();
    if (a && b) ver.fell = *a < *b;
    ver.after = after;
  }
  return v;
}

Result<IssueView> Engine::issue(CaseId id, bool with_history) {
  Instant now = clock_.now();
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto rec, txn->find_issue(id));
  if (!rec) return not_found("case " + id_text(id) + " is not an issue");
  return issue_view(*txn, *rec, with_history, now);
}

Result<std::vector<IssueView>> Engine::issues(bool open_only) {
  Instant now = clock_.now();
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto recs, txn->list_issues());
  std::vector<IssueView> out;
  for (const auto& rec : recs) {
    if (open_only && !rec.open) continue;
    TA_ASSIGN_OR_RETURN(auto v, issue_view(*txn, rec, false, now));
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<CaseIssue>> Engine::case_issues(Transaction& txn, CaseId id) {
  TA_ASSIGN_OR_RETURN(auto links, txn.case_issue_links(id));
  std::vector<CaseIssue> out;
  out.reserve(links.size());
  for (IssueLink& l : links) {
    TA_ASSIGN_OR_RETURN(auto rec, txn.find_issue(l.issue_id));
    if (!rec) return internal_error("issue link of case " + id_text(id) + " names " + id_text(l.issue_id) + ", which is not an issue");
    out.push_back(CaseIssue{std::move(*rec), std::move(l)});
  }
  return out;
}

Result<std::vector<CaseIssue>> Engine::case_issues(CaseId id) {
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  return case_issues(*txn, id);
}

Result<std::vector<IssueView>> Engine::ranked_open_issues(std::size_t limit, bool with_links) {
  Instant now = clock_.now();
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto recs, txn->list_issues());
  // Ranked on the link totals; the links themselves are read for the
  // issues kept only.
  std::vector<IssueView> open;
  for (const auto& rec : recs) {
    if (!rec.open) continue;
    TA_ASSIGN_OR_RETURN(auto v, issue_view(*txn, rec, false, now, false));
    open.push_back(std::move(v));
  }
  std::stable_sort(open.begin(), open.end(), [](const IssueView& a, const IssueView& b) {
    std::int64_t na = a.linked_open + a.linked_closed, nb = b.linked_open + b.linked_closed;
    if (na != nb) return na > nb;
    if (a.linked_arr != b.linked_arr) return a.linked_arr > b.linked_arr;
    return a.record.id < b.record.id;
  });
  if (open.size() > limit) open.resize(limit);
  if (with_links) {
    for (IssueView& v : open) {
      TA_ASSIGN_OR_RETURN(v.linked, txn->linked_cases(v.record.id));
    }
  }
  return open;
}

Result<std::vector<IssueView>> Engine::top_issues(std::size_t limit) {
  return ranked_open_issues(limit, true);
}

Result<std::vector<IssueCandidate>> Engine::issue_candidates() {
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto totals, txn->theme_case_totals(link_workflows()));
  TA_ASSIGN_OR_RETURN(auto issues, txn->list_issues());
  std::vector<IssueCandidate> out;
  out.reserve(totals.size());
  for (const ThemeCaseTotals& t : totals) {
    IssueCandidate c;
    c.theme = t.theme;
    c.segment = t.segment;
    c.cases = t.cases;
    c.open_cases = t.open_cases;
    c.customers = t.customers;
    c.arr_at_stake = t.arr;
    for (const auto& i : issues) {
      if (i.open && i.theme == c.theme && i.segment == c.segment) c.open_issue = i.id;
    }
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const IssueCandidate& a, const IssueCandidate& b) {
    if (a.cases != b.cases) return a.cases > b.cases;
    if (a.arr_at_stake != b.arr_at_stake) return a.arr_at_stake > b.arr_at_stake;
    if (a.theme != b.theme) return a.theme < b.theme;
    return a.segment < b.segment;
  });
  return out;
}

}  // namespace turnaround

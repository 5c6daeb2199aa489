#include "api/codec/issue_json.h"

#include <boost/json.hpp>

#include "api/codec/case_json.h"

namespace turnaround::api {

namespace json = boost::json;

namespace {

json::value text_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::value(s);
}

json::value instant_or_null(const std::optional<Instant>& t) {
  if (!t) return nullptr;
  return json::value(format_instant(*t));
}

json::object window_json(const ShareWindow& w) {
  json::object o;
  o["from"] = format_instant(w.from);
  o["to"] = format_instant(w.to);
  o["responses"] = w.counts.responses;
  o["detractors"] = w.counts.detractors;
  if (auto s = w.counts.share()) o["share"] = *s;
  else o["share"] = nullptr;
  return o;
}

json::object verification_json(const IssueVerification& v) {
  json::object o;
  o["segment"] = text_or_null(v.segment);
  o["window_days"] = v.window_days;
  o["before"] = window_json(v.before);
  o["action_done_at"] = instant_or_null(v.action_done_at);
  if (v.after) o["after"] = window_json(*v.after);
  else o["after"] = nullptr;
  o["after_complete"] = v.after_complete;
  if (v.fell) o["fell"] = *v.fell;
  else o["fell"] = nullptr;
  return o;
}

}  // namespace

json::array case_issues_to_json(const std::vector<CaseIssue>& issues, json::storage_ptr sp) {
  json::array out(sp);
  for (const CaseIssue& ci : issues) {
    json::object o(sp);
    o["id"] = ci.issue.id.value;
    o["title"] = ci.issue.title;
    o["theme"] = ci.issue.theme;
    o["segment"] = text_or_null(ci.issue.segment);
    o["open"] = ci.issue.open;
    o["linked_at"] = format_instant(ci.link.linked_at);
    o["linked_by"] = ci.link.linked_by.value;
    o["how"] = ci.link.how;
    out.emplace_back(std::move(o));
  }
  return out;
}

json::object issue_to_json(const IssueView& v, Instant now, bool with_details) {
  const Case& c = v.issue;
  json::object o;
  o["id"] = v.record.id.value;
  o["title"] = v.record.title;
  o["theme"] = v.record.theme;
  o["segment"] = text_or_null(v.record.segment);
  o["workflow"] = c.workflow;
  o["workflow_version"] = c.workflow_version;
  o["state"] = c.state;
  o["owner"] = text_or_null(c.owner.value);
  o["priority"] = priority_name(c.priority);
  o["opened_by"] = v.record.opened_by.value;
  o["opened_at"] = format_instant(v.record.opened_at);
  o["closed_at"] = instant_or_null(c.closed_at);
  o["open"] = c.is_open();
  o["version"] = c.version;
  json::object linked;
  linked["open"] = v.linked_open;
  linked["closed"] = v.linked_closed;
  linked["arr"] = v.linked_arr;
  o["linked"] = std::move(linked);
  o["overdue"] = v.overdue;
  json::array deadlines;
  for (const auto& d : c.deadlines) {
    json::object dj;
    dj["name"] = d.name;
    dj["due_at"] = format_instant(d.due_at);
    dj["status"] = deadline_status_name(d.status);
    bool overdue = c.is_open() && !d.done &&
                   (d.status == DeadlineStatus::kMissed ||
                    (d.status == DeadlineStatus::kPending && !d.paused_at && d.due_at < now));
    dj["overdue"] = overdue;
    deadlines.push_back(std::move(dj));
  }
  o["deadlines"] = std::move(deadlines);
  o["verification"] = verification_json(v.verification);
  json::object data;
  for (const auto& [k, val] : c.data) data[k] = value_to_json(val);
  o["data"] = std::move(data);
  if (!with_details) return o;
  json::array cases;
  for (const auto& l : v.linked) {
    json::object lj;
    lj["case_id"] = l.link.case_id.value;
    lj["customer_name"] = l.customer_name;
    lj["segment"] = l.segment;
    lj["arr"] = l.arr;
    lj["state"] = l.state;
    lj["owner"] = text_or_null(l.owner.value);
    lj["open"] = l.open;
    lj["linked_at"] = format_instant(l.link.linked_at);
    lj["linked_by"] = l.link.linked_by.value;
    lj["how"] = l.link.how;
    cases.push_back(std::move(lj));
  }
  o["cases"] = std::move(cases);
  json::object full = case_to_json(c, now, true);
  o["history"] = full["history"];
  return o;
}

json::object candidate_to_json(const IssueCandidate& c) {
  json::object o;
  o["theme"] = c.theme;
  o["segment"] = text_or_null(c.segment);
  o["cases"] = c.cases;
  o["open_cases"] = c.open_cases;
  o["customers"] = c.customers;
  o["arr_at_stake"] = c.arr_at_stake;
  if (c.open_issue) o["open_issue"] = c.open_issue->value;
  else o["open_issue"] = nullptr;
  return o;
}

json::object link_result_to_json(const LinkResult& r) {
  json::object o;
  json::array linked, already;
  for (CaseId id : r.linked) linked.push_back(id.value);
  for (CaseId id : r.already) already.push_back(id.value);
  o["linked"] = std::move(linked);
  o["already"] = std::move(already);
  return o;
}

}  // namespace turnaround::api

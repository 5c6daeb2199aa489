#include "engine/domain.h"

#include <algorithm>
#include <cmath>

namespace turnaround {

const char* role_name(Role r) {
  switch (r) {
    case Role::kOpsLead: return "ops_lead";
    case Role::kExecutive: return "executive";
    case Role::kOwner: return "owner";
    case Role::kAnalyst: return "analyst";
    case Role::kAdmin: return "admin";
    case Role::kIngest: return "ingest";
  }
  return "?";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : kAllRoles) {
    if (name == role_name(r)) return r;
  }
  return std::nullopt;
}

bool valid_person_id(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  for (char ch : id) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-' || ch == '@';
    if (!ok) return false;
  }
  return true;
}

bool Person::has_role(Role r) const {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

bool Person::in_team(std::string_view team) const {
  return std::find(teams.begin(), teams.end(), team) != teams.end();
}

const char* priority_name(Priority p) {
  switch (p) {
    case Priority::kLow: return "low";
    case Priority::kNormal: return "normal";
    case Priority::kHigh: return "high";
    case Priority::kUrgent: return "urgent";
  }
  return "?";
}

std::optional<Priority> parse_priority(std::string_view name) {
  for (Priority p : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
    if (name == priority_name(p)) return p;
  }
  return std::nullopt;
}

ScoreCategory categorize(int score) {
  if (score >= 9) return ScoreCategory::kPromoter;
  if (score >= 7) return ScoreCategory::kPassive;
  return ScoreCategory::kDetractor;
}

const char* category_name(ScoreCategory c) {
  switch (c) {
    case ScoreCategory::kDetractor: return "detractor";
    case ScoreCategory::kPassive: return "passive";
    case ScoreCategory::kPromoter: return "promoter";
  }
  return "?";
}

Status validate_response(const Response& r) {
  std::vector<std::string> bad;
  std::string why;
  auto fail = [&](const char* field, const std::string& msg) {
    bad.push_back(field);
    if (!why.empty()) why += "; ";
    why += msg;
  };
  if (r.response_id.empty()) fail("response_id", "response_id: missing");
  if (r.customer_id.empty()) fail("customer_id", "customer_id: missing");
  if (r.score < 0 || r.score > 10) {
    fail("score", "score: " + std::to_string(r.score) + " is outside 0..10");
  }
  if (!std::isfinite(r.arr) || r.arr < 0) fail("arr", "arr: must be a non-negative number");
  if (r.response_id.value.size() > 200) fail("response_id", "response_id: longer than 200 characters");
  if (r.comment.size() > 20000) fail("comment", "comment: longer than 20000 bytes");
  if (!r.account_owner.empty() && !valid_person_id(r.account_owner.value)) {
    fail("account_owner", "account_owner: '" + r.account_owner.value + "' is not a person id");
  }
  if (bad.empty()) return Status();
  return invalid_argument(why, bad);
}

Status validate_churn(const ChurnEvent& e) {
  if (e.customer_id.empty()) return invalid_argument("customer_id: missing", {"customer_id"});
  if (!std::isfinite(e.arr) || e.arr < 0) {
    return invalid_argument("arr: must be a non-negative number", {"arr"});
  }
  return Status();
}

}  // namespace turnaround

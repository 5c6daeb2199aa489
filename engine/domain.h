#pragma once
// Value types of the domain: what comes in (responses, churn events), who
// works on it (people and roles), and small enumerations.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ids.h"
#include "engine/status.h"
#include "engine/time.h"

namespace turnaround {

// One NPS answer. response_id is the idempotency key.
struct Response {
  ResponseId response_id;
  CustomerId customer_id;
  std::string customer_name;
  std::string segment;
  double arr = 0;       // annual revenue of the account
  int score = 0;        // 0..10
  std::string comment;
  Instant responded_at{};
  PersonId account_owner;  // optional: who owns the account (for account_owner assignment)
};

// A customer left.
struct ChurnEvent {
  CustomerId customer_id;
  Instant lost_at{};
  std::string reason;  // may be empty
  double arr = 0;      // revenue lost
};

struct Customer {
  CustomerId id;
  std::string name;
  std::string segment;
  double arr = 0;
  PersonId account_owner;  // may be empty
  bool lost = false;
};

enum class Role { kOpsLead, kExecutive, kOwner, kAnalyst, kAdmin, kIngest };
inline constexpr Role kAllRoles[] = {Role::kOpsLead, Role::kExecutive, Role::kOwner,
                                     Role::kAnalyst, Role::kAdmin,     Role::kIngest};
// "ops_lead", "executive", "owner", "analyst", "admin", "ingest".
const char* role_name(Role r);
std::optional<Role> parse_role(std::string_view name);

// Person ids use letters, digits and . _ - @ (1..100 characters), so they
// are safe in URLs, CSV and logs.
bool valid_person_id(std::string_view id);

struct Person {
  PersonId id;
  std::string name;
  std::vector<Role> roles;
  std::vector<std::string> teams;  // teams / segments served
  int capacity = 0;                // max open cases owned; 0 = unlimited
  bool active = true;

  bool has_role(Role r) const;
  bool in_team(std::string_view team) const;
};

enum class Priority { kLow = 0, kNormal = 1, kHigh = 2, kUrgent = 3 };
const char* priority_name(Priority p);
std::optional<Priority> parse_priority(std::string_view name);

enum class ScoreCategory { kDetractor, kPassive, kPromoter };
ScoreCategory categorize(int score);
const char* category_name(ScoreCategory c);
// Scores 0..3: the most likely to churn.
inline bool in_danger_zone(int score) { return score >= 0 && score <= 3; }

// Field-level checks of a response as it arrives from any door (CSV, JSON,
// HTTP). Returns kInvalidArgument naming the field(s) at fault.
Status validate_response(const Response& r);
Status validate_churn(const ChurnEvent& e);

}  // namespace turnaround

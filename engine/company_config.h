#pragma once
// The company configuration (company.yaml): calendar, segments, themes,
// intake, priority and assignment rules, people, and the workflow files to
// load. Key tree at the top of company_config.cpp; user reference in
// docs/company-reference.md.
//
// Thread-safety: immutable after load; share read-only.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/diagnostics.h"
#include "engine/domain.h"
#include "engine/guard.h"
#include "engine/recurrence.h"

namespace turnaround {

struct SegmentDef {
  std::string name;
  double arr_min = 0;                  // inclusive
  std::optional<double> arr_max;       // exclusive; none = no upper bound
};

// Which input opens which workflow.
struct IntakeRule {
  enum class On { kResponse, kChurn };
  On on = On::kResponse;
  std::optional<Guard> when;  // over the response (score, segment, arr, ...)
  std::string workflow;
  SourceLocation where;
};

struct PriorityRule {
  std::optional<Guard> when;
  Priority priority = Priority::kNormal;
};

enum class AssignStrategy { kRoundRobin, kLeastLoaded, kAccountOwner, kQueue };
const char* assign_strategy_name(AssignStrategy s);

struct AssignmentRule {
  std::optional<Guard> when;            // over the case
  std::optional<Role> pool_role;        // members must have this role
  std::optional<std::string> pool_team; // members must serve this team
  AssignStrategy strategy = AssignStrategy::kQueue;
  SourceLocation where;
};

// The taxonomy used when company.yaml has no `themes`.
inline const std::vector<std::string> kDefaultThemes = {
    "product quality", "support responsiveness", "pricing and value", "ease of use",
    "communication",   "billing",                "delivery"};

// The monthly loss review (company.yaml `loss_review:`): when it meets, when
// its agenda is frozen, who attends, and what the agenda pulls.
struct LossReviewConfig {
  // Rule, start, zone (with the company's weekend and holidays), duration,
  // holiday policy and agenda cut-off.
  MeetingSchedule schedule;
  std::string time_zone;                // the meeting's zone (default: the company's)
  std::vector<std::string> attendees;   // person ids, or "role:NAME"
  int sample_size = 10;                 // lost customers sampled for callbacks
  // History events that count as contacting a detractor (outreach progress).
  std::vector<std::string> contact_events = {"log_call"};
  // The workflow event fired by "reviewed at the meeting" where the case's
  // state offers it (loss-followup's mark_reviewed).
  std::string review_event = "mark_reviewed";
  // The field of that event that takes the review notes.
  std::string review_notes_field = "review_notes";
  // The longest case list per agenda section (totals are always exact).
  int list_limit = 200;
  // Where the three above were given in the company file (unset: the
  // defaults), for cross_check() against the workflows.
  std::optional<SourceLocation> contact_events_at, review_event_at, review_notes_field_at;
};

struct CompanyConfig {
  std::string name;
  std::string time_zone = "UTC";
  Calendar calendar;
  std::vector<SegmentDef> segments;
  std::vector<std::string> themes;  // the reason taxonomy; kDefaultThemes when not given
  double heavy_hitter_arr = 0;      // arr above this is a heavy hitter (0 = none)
  int danger_zone_max = 3;          // scores 0..this are the danger zone
  int outreach_target_per_month = 0;
  std::vector<std::string> workflow_files;  // resolved paths
  std::vector<IntakeRule> intake;
  std::vector<PriorityRule> priority;       // first match wins; default normal
  std::map<std::string, std::vector<AssignmentRule>> assignment;  // rule sets by name
  std::vector<Person> people;
  std::optional<LossReviewConfig> loss_review;  // none: no loss review scheduled

  // The segment named by a response, or derived from arr when empty.
  std::string segment_for(const std::string& given, double arr) const;
  bool known_segment(std::string_view name) const;
  bool known_theme(std::string_view name) const;
  bool heavy_hitter(double arr) const { return heavy_hitter_arr > 0 && arr > heavy_hitter_arr; }
  bool danger_zone(int score) const { return score >= 0 && score <= danger_zone_max; }
};

// Parses and validates company YAML `text` read from `file`; workflow paths
// are resolved relative to `file`'s directory. Problems go to `diags`.
std::optional<CompanyConfig> load_company_config(const std::string& text, const std::string& file,
                                                 Diagnostics& diags);

}  // namespace turnaround

// company.yaml key tree (every key is checked; unknown keys are errors):
//
//   company: Acme Analytics GmbH           # required
//   time_zone: Europe/Berlin               # IANA zone (default UTC)
//   calendar:
//     weekend: [saturday, sunday]          # default saturday, sunday
//     holidays: [2026-12-25, ...]          # local dates, YYYY-MM-DD
//   segments:                              # arr ranges derive a missing segment
//     - {name: enterprise, arr_min: 100000}
//   themes: [billing, ...]                 # reason taxonomy (default: the seven of kDefaultThemes)
//   heavy_hitter_arr: 150000               # arr above this is a heavy hitter
//   danger_zone_max: 3
//   outreach_target_per_month: 100
//   workflows: [../../workflows/x.yaml]    # relative to this file
//   intake:
//     - {on: response|churn, when: GUARD, open: WORKFLOW}
//   priority:
//     - {when: GUARD, priority: low|normal|high|urgent}
//   assignment:
//     RULESET:                             # named by workflow states' `assign`
//       - {when: GUARD, pool: {role: ROLE, team: TEAM},
//          strategy: round_robin|least_loaded|account_owner|queue}
//   people:
//     - {id: ID, name: NAME, roles: [ROLE...], teams: [TEAM...], capacity: N}

#include "engine/company_config.h"

#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

#include "engine/yaml_util.h"

namespace turnaround {

const char* assign_strategy_name(AssignStrategy s) {
  switch (s) {
    case AssignStrategy::kRoundRobin: return "round_robin";
    case AssignStrategy::kLeastLoaded: return "least_loaded";
    case AssignStrategy::kAccountOwner: return "account_owner";
    case AssignStrategy::kQueue: return "queue";
  }
  return "?";
}

std::string CompanyConfig::segment_for(const std::string& given, double arr) const {
  if (!given.empty()) return given;
  for (const auto& s : segments) {
    if (arr >= s.arr_min && (!s.arr_max || arr < *s.arr_max)) return s.name;
  }
  return "";
}

bool CompanyConfig::known_segment(std::string_view name) const {
  if (segments.empty()) return true;
  for (const auto& s : segments) {
    if (s.name == name) return true;
  }
  return false;
}

bool CompanyConfig::known_theme(std::string_view name) const {
  for (const auto& t : themes) {
    if (t == name) return true;
  }
  return false;
}

namespace {

// Names usable in intake, priority and assignment conditions.
const std::set<std::string, std::less<>> kConditionNames = {
    "score", "arr", "segment", "customer_id", "customer_name", "danger_zone", "heavy_hitter",
    "category", "priority", "workflow", "state", "comment"};

std::optional<date::weekday> parse_weekday(std::string_view s) {
  static const char* names[] = {"sunday", "monday", "tuesday", "wednesday",
                                "thursday", "friday", "saturday"};
  for (unsigned i = 0; i < 7; ++i) {
    if (s == names[i]) return date::weekday(i);
  }
  return std::nullopt;
}

std::optional<date::local_days> parse_local_date(const std::string& s) {
  std::istringstream in(s);
  date::year_month_day ymd{};
  in >> date::parse("%Y-%m-%d", ymd);
  if (in.fail() || !ymd.ok() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return date::local_days(ymd);
}

class CompanyLoader {
 public:
  CompanyLoader(const std::string& file, Diagnostics& diags) : y_(file, diags) {}

  std::optional<CompanyConfig> load(const std::string& text) {
    std::size_t before = y_.diags().size();
    YAML::Node root = y_.parse(text);
    if (y_.diags().size() != before) return std::nullopt;
    if (!root.IsDefined() || root.IsNull()) {
      y_.diags().error({y_.file(), 1, 1}, "empty company file");
      return std::nullopt;
    }
    if (!y_.expect_map(root, "a company file")) return std::nullopt;
    y_.check_keys(root, {"company", "time_zone", "calendar", "segments", "themes",
                         "heavy_hitter_arr", "danger_zone_max", "outreach_target_per_month",
                         "workflows", "intake", "priority", "assignment", "people"},
                  "company file");
    c_.name = y_.str(root, "company", true, "company file").value_or("");
    read_calendar(root);
    read_segments(root["segments"]);
    c_.themes = root["themes"].IsDefined() ? y_.str_list(root, "themes", "company file")
                                           : kDefaultThemes;
    c_.heavy_hitter_arr = y_.number(root, "heavy_hitter_arr", false, "company file").value_or(0);
    c_.danger_zone_max =
        static_cast<int>(y_.number(root, "danger_zone_max", false, "company file").value_or(3));
    if (c_.danger_zone_max < 0 || c_.danger_zone_max > 6) {
      y_.error(root["danger_zone_max"], "danger_zone_max must be between 0 and 6");
    }
    c_.outreach_target_per_month = static_cast<int>(
        y_.number(root, "outreach_target_per_month", false, "company file").value_or(0));
    std::filesystem::path dir = std::filesystem::path(y_.file()).parent_path();
    for (const auto& w : y_.str_list(root, "workflows", "company file")) {
      c_.workflow_files.push_back((dir / w).lexically_normal().string());
    }
    read_people(root["people"]);
    read_intake(root["intake"]);
    read_priority(root["priority"]);
    read_assignment(root["assignment"]);
    if (y_.diags().size() != before) return std::nullopt;
    return std::move(c_);
  }

 private:
  void read_calendar(const YAML::Node& root) {
    std::set<date::weekday> weekend{date::Saturday, date::Sunday};
    std::set<date::local_days> holidays;
    c_.time_zone = y_.str(root, "time_zone", false, "company file").value_or("UTC");
    auto zone = Calendar::find_zone(c_.time_zone);
    if (!zone.ok()) y_.error(root["time_zone"], zone.status().message());
    if (YAML::Node cal = root["calendar"]; cal.IsDefined() && y_.expect_map(cal, "calendar")) {
      y_.check_keys(cal, {"weekend", "holidays"}, "calendar");
      if (cal["weekend"].IsDefined()) {
        weekend.clear();
        auto days = y_.str_list(cal, "weekend", "calendar");
        for (std::size_t i = 0; i < days.size(); ++i) {
          auto wd = parse_weekday(days[i]);
          if (!wd) {
            y_.error(cal["weekend"].IsSequence() ? cal["weekend"][i] : cal["weekend"],
                     "unknown weekday '" + days[i] + "'; expected monday .. sunday");
          } else {
            weekend.insert(*wd);
          }
        }
        if (weekend.size() == 7) y_.error(cal["weekend"], "the weekend cannot be every day");
      }
      auto hs = y_.str_list(cal, "holidays", "calendar");
      for (std::size_t i = 0; i < hs.size(); ++i) {
        auto d = parse_local_date(hs[i]);
        if (!d) {
          y_.error(cal["holidays"].IsSequence() ? cal["holidays"][i] : cal["holidays"],
                   "holiday '" + hs[i] + "' is not a date YYYY-MM-DD");
        } else {
          holidays.insert(*d);
        }
      }
    }
    c_.calendar = Calendar(zone.ok() ? *zone : date::locate_zone("UTC"), weekend, holidays);
  }

  void read_segments(const YAML::Node& segs) {
    if (!segs.IsDefined()) return;
    if (!y_.expect_sequence(segs, "segments")) return;
    std::set<std::string> seen;
    for (const auto& s : segs) {
      if (!y_.expect_map(s, "a segment")) continue;
      y_.check_keys(s, {"name", "arr_min", "arr_max", "label"}, "segment");
      SegmentDef d;
      d.name = y_.str(s, "name", true, "segment").value_or("");
      if (!d.name.empty() && !seen.insert(d.name).second) {
        y_.error(s["name"], "duplicate segment '" + d.name + "'");
      }
      d.arr_min = y_.number(s, "arr_min", false, "segment '" + d.name + "'").value_or(0);
      d.arr_max = y_.number(s, "arr_max", false, "segment '" + d.name + "'");
      if (d.arr_max && *d.arr_max <= d.arr_min) {
        y_.error(s["arr_max"], "arr_max of segment '" + d.name + "' must be above arr_min");
      }
      c_.segments.push_back(std::move(d));
    }
  }

  void read_people(const YAML::Node& people) {
    if (!people.IsDefined()) return;
    if (!y_.expect_sequence(people, "people")) return;
    std::set<std::string> seen;
    for (const auto& p : people) {
      if (!y_.expect_map(p, "a person")) continue;
      y_.check_keys(p, {"id", "name", "roles", "teams", "capacity"}, "person");
      Person person;
      person.id = PersonId(y_.str(p, "id", true, "person").value_or(""));
      std::string where = "person '" + person.id.value + "'";
      if (!person.id.empty() && !valid_person_id(person.id.value)) {
        y_.error(p["id"], "person id '" + person.id.value +
                              "' may use letters, digits, . _ - @ only");
      }
      if (!person.id.empty() && !seen.insert(person.id.value).second) {
        y_.error(p["id"], "duplicate person id '" + person.id.value + "'");
      }
      person.name = y_.str(p, "name", true, where).value_or("");
      auto roles = y_.str_list(p, "roles", where);
      if (roles.empty()) y_.error(p, where + " has no roles");
      for (std::size_t i = 0; i < roles.size(); ++i) {
        auto r = parse_role(roles[i]);
        if (!r) {
          y_.error(p["roles"].IsSequence() ? p["roles"][i] : p["roles"],
                   "unknown role '" + roles[i] +
                       "'; expected one of: ops_lead, executive, owner, analyst, admin, ingest");
        } else {
          person.roles.push_back(*r);
        }
      }
      person.teams = y_.str_list(p, "teams", where);
      for (std::size_t i = 0; i < person.teams.size(); ++i) {
        teams_.insert(person.teams[i]);
      }
      double cap = y_.number(p, "capacity", false, where).value_or(0);
      if (cap < 0) y_.error(p["capacity"], "capacity of " + where + " must not be negative");
      person.capacity = static_cast<int>(cap);
      c_.people.push_back(std::move(person));
    }
  }

  std::optional<Guard> condition(const YAML::Node& rule, const std::string& where) {
    YAML::Node w = rule["when"];
    if (!w.IsDefined()) return std::nullopt;
    auto g = y_.guard(w, "condition of " + where);
    if (!g) return std::nullopt;
    for (const auto& n : g->names()) {
      if (!kConditionNames.count(n)) {
        y_.diags().error(name_location(y_, w, n),
                         "condition of " + where + " refers to unknown field '" + n +
                             "'; conditions may use: " + join({kConditionNames.begin(),
                                                               kConditionNames.end()}));
      }
    }
    return g;
  }

  void read_intake(const YAML::Node& intake) {
    if (!intake.IsDefined()) return;
    if (!y_.expect_sequence(intake, "intake")) return;
    for (const auto& r : intake) {
      if (!y_.expect_map(r, "an intake rule")) continue;
      y_.check_keys(r, {"on", "when", "open"}, "intake rule");
      IntakeRule rule;
      rule.where = y_.at(r);
      std::string on = y_.str(r, "on", true, "intake rule").value_or("response");
      if (on == "response") rule.on = IntakeRule::On::kResponse;
      else if (on == "churn") rule.on = IntakeRule::On::kChurn;
      else y_.error(r["on"], "'on' of an intake rule must be response or churn, not '" + on + "'");
      rule.when = condition(r, "intake rule");
      rule.workflow = y_.str(r, "open", true, "intake rule").value_or("");
      c_.intake.push_back(std::move(rule));
    }
  }

  void read_priority(const YAML::Node& prio) {
    if (!prio.IsDefined()) {
      // The spec's default: high for danger zone or heavy hitter, urgent for both.
      auto both = Guard::parse("danger_zone and heavy_hitter");
      auto either = Guard::parse("danger_zone or heavy_hitter");
      c_.priority.push_back({*both, Priority::kUrgent});
      c_.priority.push_back({*either, Priority::kHigh});
      return;
    }
    if (!y_.expect_sequence(prio, "priority")) return;
    for (const auto& r : prio) {
      if (!y_.expect_map(r, "a priority rule")) continue;
      y_.check_keys(r, {"when", "priority"}, "priority rule");
      PriorityRule rule;
      rule.when = condition(r, "priority rule");
      std::string p = y_.str(r, "priority", true, "priority rule").value_or("normal");
      auto pr = parse_priority(p);
      if (!pr) y_.error(r["priority"], "unknown priority '" + p + "'; expected low, normal, high or urgent");
      rule.priority = pr.value_or(Priority::kNormal);
      c_.priority.push_back(std::move(rule));
    }
  }

  void read_assignment(const YAML::Node& asg) {
    if (!asg.IsDefined()) return;
    if (!y_.expect_map(asg, "assignment")) return;
    y_.check_duplicate_keys(asg, "assignment");
    for (const auto& kv : asg) {
      std::string set = kv.first.Scalar();
      std::string where = "assignment rule set '" + set + "'";
      if (!y_.expect_sequence(kv.second, where)) continue;
      auto& rules = c_.assignment[set];
      for (const auto& r : kv.second) {
        if (!y_.expect_map(r, "a rule of " + where)) continue;
        y_.check_keys(r, {"when", "pool", "strategy"}, "rule of " + where);
        AssignmentRule rule;
        rule.where = y_.at(r);
        rule.when = condition(r, "rule of " + where);
        auto st = y_.str(r, "strategy", true, "rule of " + where);
        // The pool checks below need a known strategy and role (no cascades).
        bool known = true;
        if (!st) known = false;  // reported by str()
        else if (*st == "round_robin") rule.strategy = AssignStrategy::kRoundRobin;
        else if (*st == "least_loaded") rule.strategy = AssignStrategy::kLeastLoaded;
        else if (*st == "account_owner") rule.strategy = AssignStrategy::kAccountOwner;
        else if (*st == "queue") rule.strategy = AssignStrategy::kQueue;
        else {
          y_.error(r["strategy"], "unknown strategy '" + *st + "'; expected round_robin, least_loaded, account_owner or queue");
          known = false;
        }
        if (YAML::Node pool = r["pool"]; pool.IsDefined() && y_.expect_map(pool, "pool of " + where)) {
          y_.check_keys(pool, {"role", "team"}, "pool");
          if (auto role = y_.str(pool, "role", false, "pool")) {
            rule.pool_role = parse_role(*role);
            if (!rule.pool_role) {
              y_.error(pool["role"], "unknown role '" + *role + "' in pool of " + where);
              known = false;
            }
          }
          if (auto team = y_.str(pool, "team", false, "pool")) {
            rule.pool_team = *team;
            if (!teams_.count(*team)) y_.error(pool["team"], "no person serves team '" + *team + "' in pool of " + where);
          }
        }
        if (known && rule.strategy == AssignStrategy::kQueue && !rule.pool_role) {
          y_.error(r, "a queue rule of " + where + " needs pool.role (who may claim)");
        } else if (known && rule.strategy != AssignStrategy::kAccountOwner && !rule.pool_role &&
                   !rule.pool_team) {
          y_.error(r, "rule of " + where + " needs a pool (role and/or team)");
        }
        rules.push_back(std::move(rule));
      }
    }
  }

  YamlReader y_;
  CompanyConfig c_;
  std::set<std::string> teams_;
};

}  // namespace

std::optional<CompanyConfig> load_company_config(const std::string& text, const std::string& file,
                                                 Diagnostics& diags) {
  return CompanyLoader(file, diags).load(text);
}

}  // namespace turnaround

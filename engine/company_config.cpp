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
//   loss_review:                           # the monthly meeting (optional)
//     rrule: FREQ=MONTHLY;BYDAY=2TU        # RFC 5545 RRULE (engine/recurrence.h)
//     start: 2026-01-13T15:00              # local DTSTART: an occurrence of the rule
//     time_zone: Europe/Berlin             # default: the company's
//     duration: 60m
//     on_holiday: next_business_day        # | previous_business_day | skip | keep
//     agenda_cutoff: 2bd                   # or {before: 2bd, at: "12:00"}
//     attendees: [ines.ops, executive]     # person ids or role names
//     sample_size: 10                      # lost customers to call back
//     contact_events: [log_call]           # what counts as contacting a detractor
//     review_event: mark_reviewed          # fired by `review mark` where offered
//     review_notes_field: review_notes
//     list_limit: 200                      # longest case list per section

#include "engine/company_config.h"

#include <algorithm>
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
                         "workflows", "intake", "priority", "assignment", "people",
                         "loss_review"},
                  "company file");
    c_.name = y_.str(root, "company", true, "company file").value_or("");
    read_calendar(root);
    read_segments(root["segments"]);
    c_.themes = root["themes"].IsDefined() ? y_.str_list(root, "themes", "company file")
                                           : kDefaultThemes;
    c_.heavy_hitter_arr = y_.number(root, "heavy_hitter_arr", false, "company file").value_or(0);
    c_.danger_zone_max = y_.whole_number(root, "danger_zone_max", "company file", 0, 6, 3);
    c_.outreach_target_per_month =
        y_.whole_number(root, "outreach_target_per_month", "company file", 0, 1000000, 0);
    std::filesystem::path dir = std::filesystem::path(y_.file()).parent_path();
    for (const auto& w : y_.str_list(root, "workflows", "company file")) {
      c_.workflow_files.push_back((dir / w).lexically_normal().string());
    }
    read_people(root["people"]);
    read_intake(root["intake"]);
    read_priority(root["priority"]);
    read_assignment(root["assignment"]);
    read_loss_review(root["loss_review"]);
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
      person.capacity = y_.whole_number(p, "capacity", where, 0, 100000, 0);
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

  // The location of character `offset` of scalar `n`'s text (plain or
  // quoted on one line), for errors inside an RRULE.
  SourceLocation inside(const YAML::Node& n, std::size_t offset) const {
    SourceLocation loc = y_.at(n);
    if (loc.line > 0) loc.column += static_cast<int>(offset) + (n.Tag() == "!" ? 1 : 0);
    return loc;
  }

  std::optional<date::local_seconds> local_start(const YAML::Node& n) {
    std::string text = n.IsScalar() ? n.Scalar() : "";
    for (const char* fmt : {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"}) {
      std::istringstream in(text);
      date::local_seconds t;
      in >> date::parse(fmt, t);
      if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return t;
    }
    y_.error(n, "loss_review start '" + text +
                    "' is not a local date-time YYYY-MM-DDTHH:MM (no offset: the zone is time_zone)");
    return std::nullopt;
  }

  void read_cutoff(const YAML::Node& n, LossReviewConfig& lr) {
    if (!n.IsDefined()) return;
    // yaml-cpp's Node assignment writes through to the node, so choose
    // the node once instead of reassigning.
    const YAML::Node before = n.IsMap() ? n["before"] : n;
    if (n.IsMap()) {
      y_.check_keys(n, {"before", "at"}, "agenda_cutoff");
      if (!before.IsDefined()) y_.error(n, "agenda_cutoff needs 'before' (e.g. 2bd)");
      if (YAML::Node at = n["at"]; at.IsDefined()) {
        std::istringstream in(at.IsScalar() ? at.Scalar() : "");
        std::chrono::minutes tod{};
        in >> date::parse("%H:%M", tod);
        if (in.fail() || in.peek() != std::char_traits<char>::eof() || tod >= std::chrono::hours(24)) {
          y_.error(at, "agenda_cutoff.at must be a local time HH:MM");
        } else {
          lr.schedule.cutoff_time = tod;
        }
      }
    }
    if (before.IsDefined()) {
      if (auto d = y_.duration(before, "agenda_cutoff")) lr.schedule.cutoff_before = *d;
    }
  }

  void read_attendees(const YAML::Node& lrn, LossReviewConfig& lr) {
    auto names = y_.str_list(lrn, "attendees", "loss_review");
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string& a = names[i];
      bool person = std::any_of(c_.people.begin(), c_.people.end(),
                                [&](const Person& p) { return p.id.value == a; });
      if (person) lr.attendees.push_back(a);
      else if (parse_role(a)) lr.attendees.push_back("role:" + a);
      else {
        y_.error(lrn["attendees"].IsSequence() ? lrn["attendees"][i] : lrn["attendees"],
                 "loss_review attendee '" + a + "' is neither a person of people: nor a role");
      }
    }
  }

  int positive_int(const YAML::Node& map, const char* key, int fallback, int max) {
    return y_.whole_number(map, key, "loss_review", 1, max, fallback);
  }

  void read_loss_review(const YAML::Node& n) {
    if (!n.IsDefined()) return;
    if (!y_.expect_map(n, "loss_review")) return;
    y_.check_keys(n, {"rrule", "start", "time_zone", "duration", "on_holiday", "agenda_cutoff",
                      "attendees", "sample_size", "contact_events", "review_event",
                      "review_notes_field", "list_limit"},
                  "loss_review");
    const std::size_t before = y_.diags().size();
    LossReviewConfig lr;
    lr.time_zone = y_.str(n, "time_zone", false, "loss_review").value_or(c_.time_zone);
    const date::time_zone* zone = c_.calendar.zone();
    if (n["time_zone"].IsDefined()) {
      auto z = Calendar::find_zone(lr.time_zone);
      if (!z.ok()) y_.error(n["time_zone"], z.status().message());
      else zone = *z;
    }
    lr.schedule.calendar = Calendar(zone, c_.calendar.weekend(), c_.calendar.holidays());
    bool rule_ok = false;
    if (auto text = y_.str(n, "rrule", true, "loss_review")) {
      RruleError e;
      auto rule = parse_rrule(*text, &e);
      if (rule.ok()) {
        lr.schedule.rule = *rule;
        rule_ok = true;
      } else {
        y_.diags().error(inside(n["rrule"], e.offset), "loss_review rrule: " + e.message);
      }
    }
    bool start_ok = false;
    if (YAML::Node s = n["start"]; !s.IsDefined()) {
      y_.error(n, "loss_review needs 'start' (the first meeting, local time, e.g. 2026-01-13T15:00)");
    } else if (auto t = local_start(s)) {
      lr.schedule.start = *t;
      start_ok = true;
    }
    if (auto d = n["duration"]; d.IsDefined()) {
      if (auto dur = y_.duration(d, "loss_review duration")) lr.schedule.duration = *dur;
    }
    if (auto p = y_.str(n, "on_holiday", false, "loss_review")) {
      auto policy = parse_holiday_policy(*p);
      if (!policy) {
        y_.error(n["on_holiday"], "unknown on_holiday '" + *p +
                                      "'; expected next_business_day, previous_business_day, skip or keep");
      } else {
        lr.schedule.on_holiday = *policy;
      }
    }
    read_cutoff(n["agenda_cutoff"], lr);
    read_attendees(n, lr);
    lr.sample_size = positive_int(n, "sample_size", lr.sample_size, 10000);
    lr.list_limit = positive_int(n, "list_limit", lr.list_limit, 100000);
    if (n["contact_events"].IsDefined()) {
      lr.contact_events = y_.str_list(n, "contact_events", "loss_review");
      lr.contact_events_at = y_.at(n["contact_events"]);
    }
    if (auto e = y_.str(n, "review_event", false, "loss_review")) {
      lr.review_event = *e;
      lr.review_event_at = y_.at(n["review_event"]);
    }
    if (auto f = y_.str(n, "review_notes_field", false, "loss_review")) {
      lr.review_notes_field = *f;
      lr.review_notes_field_at = y_.at(n["review_notes_field"]);
    }
    if (rule_ok && start_ok) {
      if (Status s = validate_schedule(lr.schedule); !s.ok()) {
        y_.error(n["start"], "loss_review: " + s.message());
      }
    }
    if (y_.diags().size() == before) c_.loss_review = std::move(lr);
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

#pragma once
// The endpoint-level permission matrix of the HTTP API, shared by the unit
// test (dispatch, tests/api) and the end-to-end test (the real server): who
// may call what, with a body that passes the role check but fails
// validation (400), so no call changes anything and the order is free.
//
// The case is 1: an unowned enterprise case in the executives' queue.
// People: one per role, each with that role only.

#include <string>
#include <utility>
#include <vector>

namespace turnaround::testing {

struct RoleExpectation {
  const char* method;
  const char* target;
  const char* body;
  // Roles allowed (one letter each): o ops_lead, e executive, w owner,
  // a analyst, d admin, i ingest. Allowed calls get neither 401 nor 403;
  // refused ones get 403 permission_denied.
  const char* allowed;
};

inline const std::vector<std::pair<char, std::string>>& matrix_people() {
  static const std::vector<std::pair<char, std::string>> people = {
      {'o', "jonas.ops"}, {'e', "clara.ceo"}, {'w', "lena.owner"},
      {'a', "ana.analyst"}, {'d', "adm"},      {'i', "bot"}};
  return people;
}

inline const std::vector<RoleExpectation>& role_matrix() {
  static const std::vector<RoleExpectation> table = {
      {"GET", "/healthz", "", "oewadi"},
      {"POST", "/v1/responses", "{}", "i"},
      {"POST", "/v1/churn-events", "{}", "i"},
      {"GET", "/v1/cases", "", "oewa"},
      // Owners see their own cases only; this one is in the executives' queue.
      {"GET", "/v1/cases/1", "", "oea"},
      {"POST", "/v1/cases/1/events", "{}", "oew"},
      {"POST", "/v1/cases/1/assign", "{}", "o"},
      {"POST", "/v1/cases/1/claim", "{\"x\":1}", "oew"},
      {"GET", "/v1/me/tasks", "", "oew"},
      {"GET", "/v1/people", "", "oad"},
      {"POST", "/v1/people", "{}", "d"},
      {"GET", "/metrics", "", "oad"},
      // Top-five issues: ops leads write; executives and analysts read.
      // Case 1 is not an issue (GET answers 404); {} lacks the theme (400).
      {"POST", "/v1/issues", "{}", "o"},
      {"GET", "/v1/issues", "", "oea"},
      {"GET", "/v1/issues/top", "", "oea"},
      {"GET", "/v1/issues/candidates", "", "oea"},
      {"GET", "/v1/issues/1", "", "oea"},
      {"POST", "/v1/issues/1/links", "{}", "o"},
      {"GET", "/v1/reports/nps", "", "oea"},
      {"GET", "/v1/reports/detractors", "", "oea"},
      {"GET", "/v1/reports/themes", "", "oea"},
      {"GET", "/v1/reports/ranking", "", "oea"},
      {"GET", "/v1/reports/timing", "", "oea"},
      {"GET", "/v1/reports/scorecard", "", "oea"},
      {"GET", "/v1/reports/saturation", "", "oea"},
  };
  return table;
}

}  // namespace turnaround::testing

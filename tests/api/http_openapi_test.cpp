// docs/openapi.yaml documents exactly the routes the server serves: every
// route of the router is a path + method there with the same operationId
// and roles (x-roles), and every path + method there is a route.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>

#include "api/http/router.h"

namespace turnaround::api {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST_CASE("OpenApi.DocumentsExactlyTheServedRoutes") {
  const YAML::Node doc = YAML::LoadFile(std::string(TURNAROUND_SOURCE_DIR) + "/docs/openapi.yaml");
  REQUIRE(doc["openapi"].as<std::string>().starts_with("3."));
  const YAML::Node paths = doc["paths"];
  REQUIRE(paths.IsMap());
  const std::set<std::string> methods = {"get", "post", "put", "patch", "delete", "head", "options"};
  std::map<std::string, YAML::Node> documented;  // "get /v1/cases" -> operation
  for (const auto& path : paths) {
    for (const auto& op : path.second) {
      const std::string key = op.first.as<std::string>();
      if (methods.contains(key)) documented[key + " " + path.first.as<std::string>()] = op.second;
    }
  }
  std::set<std::string> served;
  for (const Route& r : Router::standard().routes()) {
    const std::string key = lower(r.method) + " " + r.pattern;
    served.insert(key);
    INFO("route " << key);
    auto it = documented.find(key);
    REQUIRE_MESSAGE(it != documented.end(), key << " is served but not in docs/openapi.yaml");
    CHECK(it->second["operationId"].as<std::string>() == r.operation_id);
    std::set<std::string> roles, doc_roles;
    for (Role role : r.roles) roles.insert(role_name(role));
    for (const auto& role : it->second["x-roles"]) doc_roles.insert(role.as<std::string>());
    CHECK(doc_roles == roles);
    // Public routes say so; the others rely on the global bearer security.
    CHECK((r.kind == RouteKind::kPublic) == (it->second["security"].IsSequence() &&
                                             it->second["security"].size() == 0));
  }
  for (const auto& [key, op] : documented) {
    CHECK_MESSAGE(served.contains(key), key << " is in docs/openapi.yaml but not served");
  }
}

}  // namespace
}  // namespace turnaround::api

// People, counters, the notifications outbox, workflows and settings: small
// tables read and written outside the hot import path.

#include "storage/json_codec.h"
#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"

namespace turnaround::storage {

namespace {

std::vector<std::string> role_names(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  names.reserve(roles.size());
  for (Role r : roles) names.emplace_back(role_name(r));
  return names;
}

Result<std::vector<Role>> parse_roles(std::string_view json, const std::string& person) {
  TA_ASSIGN_OR_RETURN(auto names, decode_strings(json));
  std::vector<Role> roles;
  roles.reserve(names.size());
  for (const auto& n : names) {
    auto r = parse_role(n);
    if (!r) return internal_error("corrupt role '" + n + "' of person " + person);
    roles.push_back(*r);
  }
  return roles;
}

}  // namespace

Result<std::vector<Person>> SqliteTransaction::list_people() {
  return guarded("list_people", [&]() -> Result<std::vector<Person>> {
    auto s = use(Sql::kListPeople);
    std::vector<Person> out;
    while (s->executeStep()) {
      Person p;
      p.id = PersonId(s->getColumn(0).getString());
      p.name = s->getColumn(1).getString();
      TA_ASSIGN_OR_RETURN(p.roles, parse_roles(s->getColumn(2).getText(), p.id.value));
      TA_ASSIGN_OR_RETURN(p.teams, decode_strings(s->getColumn(3).getText()));
      p.capacity = s->getColumn(4).getInt();
      p.active = s->getColumn(5).getInt() != 0;
      out.push_back(std::move(p));
    }
    return out;
  });
}

Status SqliteTransaction::upsert_person(const Person& p) {
  return guarded("upsert_person", [&]() -> Status {
    const std::string roles = encode_strings(role_names(p.roles));
    const std::string teams = encode_strings(p.teams);
    auto s = use(Sql::kUpsertPerson);
    bind_text(*s, 1, p.id.value);
    bind_text(*s, 2, p.name);
    bind_text(*s, 3, roles);
    bind_text(*s, 4, teams);
    s->bind(5, p.capacity);
    s->bind(6, p.active ? 1 : 0);
    s->exec();
    return Status();
  });
}

Result<std::int64_t> SqliteTransaction::get_counter(std::string_view key) {
  return guarded("get_counter", [&]() -> Result<std::int64_t> {
    auto s = use(Sql::kGetCounter);
    scratch_.assign(key);
    bind_text(*s, 1, scratch_);
    if (!s->executeStep()) return std::int64_t{0};
    return s->getColumn(0).getInt64();
  });
}

Status SqliteTransaction::set_counter(std::string_view key, std::int64_t value) {
  return guarded("set_counter", [&]() -> Status {
    auto s = use(Sql::kSetCounter);
    scratch_.assign(key);
    bind_text(*s, 1, scratch_);
    bind_int(*s, 2, value);
    s->exec();
    return Status();
  });
}

Status SqliteTransaction::enqueue_notification(const Notification& n) {
  return guarded("enqueue_notification", [&]() -> Status {
    auto s = use(Sql::kInsertNotification);
    if (n.case_id.valid()) {
      bind_int(*s, 1, n.case_id.value);
    } else {
      s->bind(1);
    }
    bind_text(*s, 2, n.recipient);
    bind_text(*s, 3, n.kind);
    bind_text(*s, 4, n.message);
    bind_instant(*s, 5, n.created_at);
    s->exec();
    return Status();
  });
}

Result<std::vector<StoredWorkflow>> SqliteTransaction::list_workflows() {
  return guarded("list_workflows", [&]() -> Result<std::vector<StoredWorkflow>> {
    auto s = use(Sql::kListWorkflows);
    std::vector<StoredWorkflow> out;
    while (s->executeStep()) {
      StoredWorkflow w;
      w.name = s->getColumn(0).getString();
      w.version = s->getColumn(1).getInt();
      w.content_hash = s->getColumn(2).getString();
      w.source = s->getColumn(3).getString();
      w.file = s->getColumn(4).getString();
      w.loaded_at = from_seconds(s->getColumn(5).getInt64());
      out.push_back(std::move(w));
    }
    return out;
  });
}

Result<int> SqliteTransaction::insert_workflow(const StoredWorkflow& w) {
  return guarded("insert_workflow " + w.name, [&]() -> Result<int> {
    auto s = use(Sql::kInsertWorkflow);
    bind_text(*s, 1, w.name);
    s->bind(2, w.version);
    bind_text(*s, 3, w.content_hash);
    bind_text(*s, 4, w.source);
    bind_text(*s, 5, w.file);
    bind_instant(*s, 6, w.loaded_at);
    s->exec();
    return w.version;
  });
}

Result<std::optional<std::string>> SqliteTransaction::get_setting(std::string_view key) {
  return guarded("get_setting", [&]() -> Result<std::optional<std::string>> {
    auto s = use(Sql::kGetSetting);
    scratch_.assign(key);
    bind_text(*s, 1, scratch_);
    if (!s->executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(s->getColumn(0).getString());
  });
}

Status SqliteTransaction::put_setting(std::string_view key, std::string_view value) {
  return guarded("put_setting", [&]() -> Status {
    auto s = use(Sql::kPutSetting);
    s->bind(1, std::string(key));  // bind() copies: both views may be short-lived
    s->bind(2, std::string(value));
    s->exec();
    return Status();
  });
}

}  // namespace turnaround::storage

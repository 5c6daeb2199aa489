// API tokens (the tokens table of migration 2), people by id, and the counts
// the HTTP server's /metrics reports. Tokens are stored as hashes only: the
// hashing lives in api/http/auth.cpp, so this file never sees a token.

#include "storage/json_codec.h"
#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"

namespace turnaround::storage {

namespace {

// Reads a row of "id, name, roles, teams, capacity, active" (kFindPerson,
// kFindTokenPerson).
Result<Person> read_person(SQLite::Statement& s) {
  Person p;
  p.id = PersonId(s.getColumn(0).getString());
  p.name = s.getColumn(1).getString();
  TA_ASSIGN_OR_RETURN(auto roles, decode_strings(s.getColumn(2).getText()));
  for (const auto& name : roles) {
    auto r = parse_role(name);
    if (!r) return internal_error("corrupt role '" + name + "' of person " + p.id.value);
    p.roles.push_back(*r);
  }
  TA_ASSIGN_OR_RETURN(p.teams, decode_strings(s.getColumn(3).getText()));
  p.capacity = s.getColumn(4).getInt();
  p.active = s.getColumn(5).getInt() != 0;
  return p;
}

}  // namespace

Result<std::optional<Person>> SqliteTransaction::find_person(const PersonId& id) {
  return guarded("find_person", [&]() -> Result<std::optional<Person>> {
    auto s = use(Sql::kFindPerson);
    bind_text(*s, 1, id.value);
    if (!s->executeStep()) return std::optional<Person>();
    TA_ASSIGN_OR_RETURN(Person p, read_person(*s));
    return std::optional<Person>(std::move(p));
  });
}

Status SqliteTransaction::insert_token(std::string_view hash, const PersonId& person,
                                       Instant created_at) {
  return guarded("insert_token", [&]() -> Status {
    auto s = use(Sql::kInsertToken);
    scratch_.assign(hash);
    bind_text(*s, 1, scratch_);
    bind_text(*s, 2, person.value);
    bind_instant(*s, 3, created_at);
    s->exec();
    return Status();
  });
}

Result<std::optional<PersonId>> SqliteTransaction::find_token(std::string_view hash) {
  return guarded("find_token", [&]() -> Result<std::optional<PersonId>> {
    auto s = use(Sql::kFindToken);
    scratch_.assign(hash);
    bind_text(*s, 1, scratch_);
    if (!s->executeStep()) return std::optional<PersonId>();
    return std::optional<PersonId>(PersonId(s->getColumn(0).getString()));
  });
}

Result<std::optional<Person>> SqliteTransaction::find_token_person(std::string_view hash) {
  return guarded("find_token_person", [&]() -> Result<std::optional<Person>> {
    // Read transactions remember what they found (ConnectionCache: dropped
    // when another connection commits; write transactions empty it).
    const bool cached = mode_ == TxnMode::kRead;
    scratch_.assign(hash);
    if (cached) {
      check_cache();
      if (auto it = cache_.token_persons.find(scratch_); it != cache_.token_persons.end()) {
        return std::optional<Person>(it->second);
      }
    }
    auto s = use(Sql::kFindTokenPerson);
    bind_text(*s, 1, scratch_);
    if (!s->executeStep()) return std::optional<Person>();
    TA_ASSIGN_OR_RETURN(Person p, read_person(*s));
    if (cached) {
      if (cache_.token_persons.size() >= ConnectionCache::kMaxTokens) cache_.token_persons.clear();
      cache_.token_persons.emplace(scratch_, p);
    }
    return std::optional<Person>(std::move(p));
  });
}

Result<std::int64_t> SqliteTransaction::revoke_tokens(const PersonId& person, Instant at) {
  return guarded("revoke_tokens", [&]() -> Result<std::int64_t> {
    auto s = use(Sql::kRevokeTokens);
    bind_text(*s, 1, person.value);
    bind_instant(*s, 2, at);
    return static_cast<std::int64_t>(s->exec());
  });
}

Status SqliteTransaction::insert_session(std::string_view hash, std::string_view token_hash,
                                         const WebSession& session) {
  return guarded("insert_session", [&]() -> Status {
    {
      auto d = use(Sql::kDeleteExpiredSessions);
      bind_instant(*d, 1, session.created_at);
      d->exec();
    }
    auto s = use(Sql::kInsertSession);
    const std::string h(hash), t(token_hash);
    bind_text(*s, 1, h);
    bind_text(*s, 2, t);
    bind_text(*s, 3, session.person.value);
    bind_instant(*s, 4, session.created_at);
    bind_instant(*s, 5, session.expires_at);
    s->exec();
    return Status();
  });
}

Result<std::optional<WebSession>> SqliteTransaction::find_session(std::string_view hash,
                                                                 Instant now) {
  return guarded("find_session", [&]() -> Result<std::optional<WebSession>> {
    auto s = use(Sql::kFindSession);
    scratch_.assign(hash);
    bind_text(*s, 1, scratch_);
    bind_instant(*s, 2, now);
    if (!s->executeStep()) return std::optional<WebSession>();
    WebSession w;
    w.person = PersonId(s->getColumn(0).getString());
    w.created_at = Instant(std::chrono::seconds(s->getColumn(1).getInt64()));
    w.expires_at = Instant(std::chrono::seconds(s->getColumn(2).getInt64()));
    return std::optional<WebSession>(std::move(w));
  });
}

Result<bool> SqliteTransaction::delete_session(std::string_view hash) {
  return guarded("delete_session", [&]() -> Result<bool> {
    auto s = use(Sql::kDeleteSession);
    scratch_.assign(hash);
    bind_text(*s, 1, scratch_);
    return s->exec() > 0;
  });
}

Result<std::map<std::string, std::int64_t>> SqliteTransaction::open_cases_by_state() {
  return guarded("open_cases_by_state", [&]() -> Result<std::map<std::string, std::int64_t>> {
    auto s = use(Sql::kOpenCasesByState);
    std::map<std::string, std::int64_t> out;
    while (s->executeStep()) out.emplace(s->getColumn(0).getString(), s->getColumn(1).getInt64());
    return out;
  });
}

Result<std::int64_t> SqliteTransaction::pending_timer_count() {
  return guarded("pending_timer_count", [&]() -> Result<std::int64_t> {
    auto s = use(Sql::kPendingTimerCount);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

}  // namespace turnaround::storage

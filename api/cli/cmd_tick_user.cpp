// `turnaround tick` and `turnaround user`.
#include <boost/json.hpp>
#include <iostream>

#include "api/cli/commands.h"
#include "api/cli/table.h"
#include "api/codec/case_json.h"
#include "api/http/auth.h"

namespace turnaround::api {

int cmd_tick(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "now", "format"}, {}, {"help"}, 0, 0};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "tick");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround tick --db PATH [--now T] [--format table|json]\n"
              "Fires every timer due at or before T (default: now): reminders, missed\n"
              "deadlines and escalations, each exactly once.\n";
    return kExitOk;
  }
  std::string format = args.get("format").value_or("table");
  if (format != "table" && format != "json") return usage(io, "--format must be table or json", "tick");
  CliContext ctx;
  if (int rc = open_context(args, io, "tick", ctx)) return rc;
  auto r = ctx.engine->tick(ctx.clock->now());
  if (!r.ok()) return fail(io, r.status());
  if (format == "json") {
    boost::json::object o;
    o["fired"] = r->fired;
    o["reminders"] = r->reminders;
    o["escalations"] = r->escalations;
    o["deadlines_missed"] = r->deadlines_missed;
    o["agendas_frozen"] = r->agendas_frozen;
    o["now"] = format_instant(ctx.clock->now());
    io.out << to_json_text(o);
  } else {
    io.out << "fired " << r->fired << " timer(s) at " << format_instant(ctx.clock->now()) << ": "
           << r->reminders << " reminder(s), " << r->deadlines_missed << " missed deadline(s), "
           << r->escalations << " escalation(s)";
    if (r->agendas_frozen > 0) io.out << ", " << r->agendas_frozen << " loss-review agenda(s) frozen";
    io.out << "\n";
  }
  return kExitOk;
}

namespace {

int user_add(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "name", "capacity"}, {"role", "team"}, {"help", "inactive", "token"}, 1, 1};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "user add");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround user add ID --db PATH --name NAME --role ROLE... [--team TEAM]... [--capacity N] [--token]\n"
              "Adds a person, or updates the one with that id. Roles: ops_lead, executive,\n"
              "owner, analyst, admin, ingest. --token also makes an API token for the HTTP API and\n"
              "prints it once, alone on the last line (only its hash is stored).\n";
    return kExitOk;
  }
  Person p;
  p.id = PersonId(args.positional()[0]);
  auto name = args.get("name");
  if (!name || name->empty()) return usage(io, "--name NAME is required", "user add");
  p.name = *name;
  auto roles = args.all("role");
  if (roles.empty()) return usage(io, "at least one --role is required", "user add");
  for (const auto& r : roles) {
    auto role = parse_role(r);
    if (!role) {
      return fail(io, invalid_argument("unknown role '" + r +
                                       "'; expected ops_lead, executive, owner, analyst, admin or ingest",
                                       {"role"}));
    }
    p.roles.push_back(*role);
  }
  p.teams = args.all("team");
  if (auto cap = args.get("capacity")) {
    auto n = parse_whole_number(*cap, 0, 100000);
    if (!n) return usage(io, "--capacity must be a whole number from 0 to 100000", "user add");
    p.capacity = static_cast<int>(*n);
  }
  p.active = !args.flag("inactive");
  if (!valid_person_id(p.id.value)) {
    return fail(io, invalid_argument("person id may use letters, digits, . _ - @ only", {"id"}));
  }
  CliContext ctx;
  if (int rc = open_context(args, io, "user add", ctx, /*with_engine=*/false)) return rc;
  auto txn = ctx.store->begin(TxnMode::kWrite);
  if (!txn.ok()) return fail(io, txn.status());
  if (Status s = (*txn)->upsert_person(p); !s.ok()) return fail(io, s);
  std::string token;
  if (args.flag("token")) {
    auto issued = issue_token(**txn, p.id, SystemClock().now());
    if (!issued.ok()) return fail(io, issued.status());
    token = std::move(*issued);
  }
  if (Status s = (*txn)->commit(); !s.ok()) return fail(io, s);
  io.out << "person " << p.id.value << " saved\n";
  if (!token.empty()) io.out << token << "\n";
  return kExitOk;
}

// `user token add ID`: a new token for an existing person (printed once,
// alone on the last line). `user token revoke ID` (also `user
// revoke-token ID`): every live token of the person stops working.
int user_token(const Argv& argv, Io& io, const std::string& action) {
  const std::string name = "user token " + action;
  ArgSpec spec{{"db"}, {}, {"help"}, 1, 1};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, name);
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround " << name << " ID --db PATH\n"
           << (action == "add" ? "Makes a new API token for person ID and prints it once, alone on the last line.\n"
                               : "Revokes every API token of person ID: requests with them get 401.\n");
    return kExitOk;
  }
  const PersonId id(args.positional()[0]);
  CliContext ctx;
  if (int rc = open_context(args, io, name, ctx, /*with_engine=*/false)) return rc;
  auto txn = ctx.store->begin(TxnMode::kWrite);
  if (!txn.ok()) return fail(io, txn.status());
  auto person = (*txn)->find_person(id);
  if (!person.ok()) return fail(io, person.status());
  if (!*person) return fail(io, not_found("no person '" + id.value + "'"));
  if (action == "add") {
    auto issued = issue_token(**txn, id, SystemClock().now());
    if (!issued.ok()) return fail(io, issued.status());
    if (Status s = (*txn)->commit(); !s.ok()) return fail(io, s);
    io.out << "new token for " << id.value << " (shown once; only its hash is stored):\n" << *issued << "\n";
    return kExitOk;
  }
  auto revoked = (*txn)->revoke_tokens(id, SystemClock().now());
  if (!revoked.ok()) return fail(io, revoked.status());
  if (Status s = (*txn)->commit(); !s.ok()) return fail(io, s);
  io.out << "revoked " << *revoked << " token(s) of " << id.value << "\n";
  return kExitOk;
}

int user_list(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "format"}, {}, {"help"}, 0, 0};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "user list");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround user list --db PATH [--format table|json]\n"
              "Lists every person: id, name, roles, teams, capacity, active.\n";
    return kExitOk;
  }
  std::string format = args.get("format").value_or("table");
  if (format != "table" && format != "json") return usage(io, "--format must be table or json", "user list");
  CliContext ctx;
  if (int rc = open_context(args, io, "user list", ctx, /*with_engine=*/false)) return rc;
  auto txn = ctx.store->begin(TxnMode::kRead);
  if (!txn.ok()) return fail(io, txn.status());
  auto people = (*txn)->list_people();
  if (!people.ok()) return fail(io, people.status());
  if (format == "json") {
    boost::json::array arr;
    for (const auto& p : *people) arr.emplace_back(person_to_json(p));
    boost::json::object o;
    o["people"] = std::move(arr);
    io.out << to_json_text(o);
    return kExitOk;
  }
  Table t({"ID", "NAME", "ROLES", "TEAMS", "CAPACITY", "ACTIVE"});
  for (const auto& p : *people) {
    std::string roles, teams;
    for (Role r : p.roles) roles += (roles.empty() ? "" : ",") + std::string(role_name(r));
    for (const auto& tm : p.teams) teams += (teams.empty() ? "" : ",") + tm;
    t.add({p.id.value, p.name, roles, teams, p.capacity ? std::to_string(p.capacity) : "-",
           p.active ? "yes" : "no"});
  }
  io.out << t.render();
  return kExitOk;
}

}  // namespace

int cmd_user(const Argv& argv, Io& io) {
  const char* kSubcommands = "add, list, token add, token revoke, revoke-token";
  if (argv.empty()) return usage(io, std::string("expected: user ") + kSubcommands, "user");
  Argv rest(argv.begin() + 1, argv.end());
  if (argv[0] == "--help" || argv[0] == "help") {
    io.out << "turnaround user add ID --db PATH --name NAME --role ROLE... [--team TEAM]... [--capacity N] [--inactive] [--token]\n"
              "turnaround user list --db PATH [--format table|json]\n"
              "turnaround user token add ID --db PATH\n"
              "turnaround user token revoke ID --db PATH   (also: user revoke-token ID)\n"
              "Each subcommand takes --help for its options. Reference: docs/cli.md.\n";
    return kExitOk;
  }
  if (argv[0] == "add") return user_add(rest, io);
  if (argv[0] == "list") return user_list(rest, io);
  if (argv[0] == "revoke-token") return user_token(rest, io, "revoke");
  if (argv[0] == "token" && !rest.empty() && (rest[0] == "add" || rest[0] == "revoke")) {
    return user_token(Argv(rest.begin() + 1, rest.end()), io, rest[0]);
  }
  return usage(io, "unknown subcommand 'user " + argv[0] + "' (" + kSubcommands + ")", "user");
}

}  // namespace turnaround::api

#pragma once
// Assignment: who owns a case on entering a state, and the permission checks
// for claim and manual assign.
//
// An Assigner lives for one transaction: it loads the people and the open-case
// counts once, when a rule first needs them, and keeps the counts current as
// it assigns, so an import of thousands of cases costs one count query per
// batch, not one per case. Looking up one person before that reads one row.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/company_config.h"
#include "engine/store.h"

namespace turnaround {

struct AssignmentDecision {
  PersonId owner;     // empty: unassigned
  std::string queue;  // role whose members may claim ("" when owned)
  std::string how;    // "round_robin", "least_loaded", "account_owner", "queue", "none"
};

class Assigner {
 public:
  // REQUIRES: `txn` and `company` outlive the Assigner.
  Assigner(Transaction& txn, const CompanyConfig& company) : txn_(txn), company_(company) {}

  // Applies rule set `rule_set` to `c`: the first rule whose condition holds
  // and that yields a decision wins (a pool with everyone at capacity, or a
  // customer without account owner, falls through to the next rule). No
  // rule: the case keeps its owner (how == "none").
  Result<AssignmentDecision> decide(const Case& c, const std::string& rule_set);

  // The least-loaded active member of `role` with spare capacity, if any.
  Result<std::optional<PersonId>> least_loaded_member(Role role);

  // Keeps the in-memory counts right when ownership changes.
  void on_owner_change(const PersonId& from, const PersonId& to);

  // Person by id (active or not); null if unknown.
  Result<const Person*> person(const PersonId& id);

 private:
  Status load();
  bool has_capacity(const Person& p) const;
  std::vector<const Person*> pool(const AssignmentRule& rule) const;
  // The member with the fewest open cases and spare capacity; null if none.
  const Person* least_loaded(const std::vector<const Person*>& members) const;

  Transaction& txn_;
  const CompanyConfig& company_;
  bool loaded_ = false;
  std::vector<Person> people_;
  std::map<PersonId, int> counts_;
  // People fetched one at a time by person() before load() (node-based, so
  // the pointers person() returned stay valid).
  std::map<PersonId, Person> looked_up_;
};

}  // namespace turnaround

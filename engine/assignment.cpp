#include "engine/assignment.h"

#include "engine/case_scope.h"

namespace turnaround {

Status Assigner::load() {
  if (loaded_) return Status();
  TA_ASSIGN_OR_RETURN(people_, txn_.list_people());
  TA_ASSIGN_OR_RETURN(counts_, txn_.open_case_counts());
  loaded_ = true;
  return Status();
}

Result<const Person*> Assigner::person(const PersonId& id) {
  if (loaded_) {
    for (const auto& p : people_) {
      if (p.id == id) return &p;
    }
    return static_cast<const Person*>(nullptr);
  }
  // Until a rule needs the whole pool, one row is enough: checking an actor
  // (fire, claim, assign, allowed events) then costs no scan of the people
  // and no count of every open case.
  if (auto it = looked_up_.find(id); it != looked_up_.end()) return &it->second;
  TA_ASSIGN_OR_RETURN(auto found, txn_.find_person(id));
  if (!found) return static_cast<const Person*>(nullptr);
  return &looked_up_.emplace(id, std::move(*found)).first->second;
}

bool Assigner::has_capacity(const Person& p) const {
  if (p.capacity <= 0) return true;
  auto it = counts_.find(p.id);
  return (it == counts_.end() ? 0 : it->second) < p.capacity;
}

std::vector<const Person*> Assigner::pool(const AssignmentRule& rule) const {
  std::vector<const Person*> out;
  for (const auto& p : people_) {  // people_ is ordered by id
    if (!p.active) continue;
    if (rule.pool_role && !p.has_role(*rule.pool_role)) continue;
    if (rule.pool_team && !p.in_team(*rule.pool_team)) continue;
    out.push_back(&p);
  }
  return out;
}

void Assigner::on_owner_change(const PersonId& from, const PersonId& to) {
  if (!loaded_) return;
  if (!from.empty() && counts_[from] > 0) --counts_[from];
  if (!to.empty()) ++counts_[to];
}

const Person* Assigner::least_loaded(const std::vector<const Person*>& members) const {
  const Person* best = nullptr;
  int best_count = 0;
  for (const Person* p : members) {  // ordered by id: ties go to the first
    if (!has_capacity(*p)) continue;
    auto it = counts_.find(p->id);
    int n = it == counts_.end() ? 0 : it->second;
    if (!best || n < best_count) {
      best = p;
      best_count = n;
    }
  }
  return best;
}

Result<std::optional<PersonId>> Assigner::least_loaded_member(Role role) {
  TA_RETURN_IF_ERROR(load());
  AssignmentRule rule;
  rule.pool_role = role;
  const Person* best = least_loaded(pool(rule));
  if (!best) return std::optional<PersonId>();
  return std::optional<PersonId>(best->id);
}

Result<AssignmentDecision> Assigner::decide(const Case& c, const std::string& rule_set) {
  TA_RETURN_IF_ERROR(load());
  auto it = company_.assignment.find(rule_set);
  if (it == company_.assignment.end()) return AssignmentDecision{c.owner, c.queue, "none"};
  CaseScope scope(c, company_);
  for (std::size_t i = 0; i < it->second.size(); ++i) {
    const AssignmentRule& rule = it->second[i];
    if (rule.when && !rule.when->evaluate(scope)) continue;
    switch (rule.strategy) {
      case AssignStrategy::kQueue:
        return AssignmentDecision{PersonId(), role_name(*rule.pool_role), "queue"};
      case AssignStrategy::kAccountOwner: {
        TA_ASSIGN_OR_RETURN(auto customer, txn_.find_customer(c.customer_id));
        if (!customer || customer->account_owner.empty()) continue;
        TA_ASSIGN_OR_RETURN(const Person* p, person(customer->account_owner));
        if (!p || !p->active) continue;
        return AssignmentDecision{p->id, "", "account_owner"};
      }
      case AssignStrategy::kLeastLoaded: {
        const Person* best = least_loaded(pool(rule));
        if (!best) continue;
        return AssignmentDecision{best->id, "", "least_loaded"};
      }
      case AssignStrategy::kRoundRobin: {
        auto members = pool(rule);
        if (members.empty()) continue;
        std::string key = "round_robin:" + rule_set + ":" + std::to_string(i);
        TA_ASSIGN_OR_RETURN(std::int64_t cursor, txn_.get_counter(key));
        for (std::size_t k = 0; k < members.size(); ++k) {
          const Person* p = members[static_cast<std::size_t>(cursor + k) % members.size()];
          if (!has_capacity(*p)) continue;
          TA_RETURN_IF_ERROR(txn_.set_counter(key, cursor + static_cast<std::int64_t>(k) + 1));
          return AssignmentDecision{p->id, "", "round_robin"};
        }
        continue;
      }
    }
  }
  return AssignmentDecision{c.owner, c.queue, "none"};
}

}  // namespace turnaround

#include "engine/case_scope.h"

namespace turnaround {

Value CaseScope::lookup(std::string_view name) const {
  if (overlay_) {
    if (auto it = overlay_->find(std::string(name)); it != overlay_->end()) return it->second;
  }
  if (auto it = c_.data.find(std::string(name)); it != c_.data.end()) return it->second;
  if (name == "score") return c_.score ? Value(*c_.score) : Value();
  if (name == "arr") return Value(c_.arr);
  if (name == "segment") return Value(c_.segment);
  if (name == "priority") return Value(priority_name(c_.priority));
  if (name == "customer_id") return Value(c_.customer_id.value);
  if (name == "customer_name") return Value(c_.customer_name);
  if (name == "danger_zone") return Value(c_.score && company_.danger_zone(*c_.score));
  if (name == "heavy_hitter") return Value(company_.heavy_hitter(c_.arr));
  if (name == "category") return c_.score ? Value(category_name(categorize(*c_.score))) : Value();
  if (name == "state") return Value(c_.state);
  if (name == "workflow") return Value(c_.workflow);
  if (name == "owner") return Value(c_.owner.value);
  if (name == "queue") return Value(c_.queue);
  if (name == "responses_count") return Value(static_cast<long long>(c_.responses.size()));
  if (actor_ && name == "actor.id") return Value(actor_->id.value);
  if (actor_ && name == "actor.roles") {
    Value::List roles;
    for (Role r : actor_->roles) roles.push_back(role_name(r));
    return Value(roles);
  }
  return Value();
}

Value ResponseScope::lookup(std::string_view name) const {
  if (name == "score") return Value(r_.score);
  if (name == "arr") return Value(r_.arr);
  if (name == "segment") return Value(company_.segment_for(r_.segment, r_.arr));
  if (name == "customer_id") return Value(r_.customer_id.value);
  if (name == "customer_name") return Value(r_.customer_name);
  if (name == "comment") return Value(r_.comment);
  if (name == "category") return Value(category_name(categorize(r_.score)));
  if (name == "danger_zone") return Value(company_.danger_zone(r_.score));
  if (name == "heavy_hitter") return Value(company_.heavy_hitter(r_.arr));
  return Value();
}

}  // namespace turnaround

#pragma once
// GuardScopes over the things conditions look at: a case (with its data and
// the acting person) and an incoming response.

#include "engine/case.h"
#include "engine/company_config.h"
#include "engine/guard.h"

namespace turnaround {

// Names: the built-in case attributes (score, arr, segment, priority,
// customer_id, customer_name, danger_zone, heavy_hitter, category, state,
// workflow, owner, queue, responses_count), actor.id and actor.roles, and
// every data field by its name.
class CaseScope final : public GuardScope {
 public:
  // `actor` may be null (system actions). Holds references: keep the
  // arguments alive while the scope is used.
  CaseScope(const Case& c, const CompanyConfig& company, const Person* actor = nullptr,
            const FieldValues* overlay = nullptr)
      : c_(c), company_(company), actor_(actor), overlay_(overlay) {}
  Value lookup(std::string_view name) const override;

 private:
  const Case& c_;
  const CompanyConfig& company_;
  const Person* actor_;
  const FieldValues* overlay_;  // event data not yet applied to the case
};

// Names: score, arr, segment, customer_id, customer_name, comment, category,
// danger_zone, heavy_hitter.
class ResponseScope final : public GuardScope {
 public:
  ResponseScope(const Response& r, const CompanyConfig& company) : r_(r), company_(company) {}
  Value lookup(std::string_view name) const override;

 private:
  const Response& r_;
  const CompanyConfig& company_;
};

}  // namespace turnaround

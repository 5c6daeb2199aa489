#pragma once
// The loss review's agenda: what the monthly meeting pulls from the data
// (SPEC section 5), built from a read of the Store. The Engine freezes it at
// each meeting's cut-off (Engine::tick) and serves it frozen or live
// (Engine::review_agenda).
//
// Which cases are which: "detractor cases" are those of the workflows the
// company's intake rules open on responses (detractor-followup); "loss
// cases" those of the workflows opened on churn events (loss-followup). The
// engine knows no workflow by name.
//
// Thread-safety: pure functions over their arguments.

#include <optional>
#include <string>
#include <vector>

#include "engine/agenda.h"
#include "engine/company_config.h"
#include "engine/recurrence.h"
#include "engine/store.h"

namespace turnaround {

// The workflows opened by intake rules on responses / churn events, in rule
// order, without repeats.
std::vector<std::string> response_workflows(const CompanyConfig& company);
std::vector<std::string> churn_workflows(const CompanyConfig& company);

// A reproducible sample of up to `n` of `lost`, stratified by segment:
// proportional allocation (largest remainder) with at least one customer of
// every non-empty segment (when n is smaller than the number of segments,
// the largest segments get one each). Within a segment, customers are taken
// in the order of a 64-bit hash (FNV-1a with MurmurHash3's finalizer) of
// "month \x1f customer_id", so the
// same data and month always give the same sample, and another month a
// different one. Result ordered by segment, then that hash order.
std::vector<LostCustomer> stratified_sample(const std::vector<LostCustomer>& lost, int n,
                                            const std::string& month);

// The agenda of meeting `m` (`prev`: the meeting before it, if any) from
// `txn`'s data, with states, overdue flags and open counts at `as_of`.
// REQUIRES: company.loss_review.
Result<Agenda> build_agenda(Transaction& txn, const CompanyConfig& company, const Meeting& m,
                            const std::optional<Meeting>& prev, Instant as_of);

// The analytics sections of an agenda whose period is [from, to), through
// engine/reports.h over whole local days of the company's zone (the day of
// `from` to the day before the day of `to`): the on-time rate of each step
// of the detractor workflow overall and by owner (deadlines due in the
// period), the top `themes_per_segment` themes of each segment with their
// change against the window of equal length before, and the flagged
// segment-months of the detractor-share test. Reports begin their own read
// transactions on `store`: REQUIRES no transaction of `store` is live on
// this thread (unless it shares one, like the HTTP server's snapshot).
Result<AgendaAnalytics> agenda_analytics(Store& store, const CompanyConfig& company, Instant from,
                                         Instant to, int themes_per_segment = 5);

}  // namespace turnaround

#include "engine/report_rows.h"

#include <algorithm>

namespace turnaround {

LocalDay local_day_of(Instant t, const std::vector<ZoneOffset>& offsets) {
  // The last entry with since <= t.
  auto it = std::upper_bound(offsets.begin(), offsets.end(), t,
                             [](Instant v, const ZoneOffset& o) { return v < o.since; });
  const std::int64_t offset = it == offsets.begin() ? 0 : std::prev(it)->offset_s;
  const std::int64_t local = t.time_since_epoch().count() + offset;
  // Floor division, also before 1970.
  return static_cast<LocalDay>(local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
}

std::vector<ZoneOffset> zone_offsets(const date::time_zone* zone) {
  using namespace std::chrono;
  const Instant end = date::sys_days(date::year(2200) / 1 / 1);
  std::vector<ZoneOffset> out;
  Instant t = date::sys_days(date::year(1970) / 1 / 1);
  while (t < end) {
    const date::sys_info info = zone->get_info(t);
    const auto offset = static_cast<std::int32_t>(info.offset.count());
    if (out.empty() || out.back().offset_s != offset) out.push_back({t, offset});
    if (info.end <= t) break;
    t = time_point_cast<seconds>(info.end);
  }
  return out;
}

}  // namespace turnaround

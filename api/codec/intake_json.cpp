#include "api/codec/intake_json.h"

#include <boost/json/object.hpp>

namespace turnaround::api {

boost::json::object import_summary_to_json(const ImportSummary& s) {
  boost::json::object o;
  o["read"] = s.read;
  o["cases_opened"] = s.cases_opened;
  o["attached"] = s.attached;
  o["duplicates"] = s.duplicates;
  o["rejected"] = s.rejected;
  o["recorded"] = s.recorded;
  o["cases_closed"] = s.cases_closed;
  return o;
}

}  // namespace turnaround::api

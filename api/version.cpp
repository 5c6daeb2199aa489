#include "api/version.h"
namespace turnaround::api {
const char* version() { return "0.1.0"; }
}  // namespace turnaround::api

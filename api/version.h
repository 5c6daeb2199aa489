#pragma once
// The program's version, as printed by `turnaround --version`.
namespace turnaround::api {
const char* version();
}  // namespace turnaround::api

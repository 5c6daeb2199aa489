#pragma once
// Strong id types: a CaseId cannot be passed where a PersonId is expected.

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace turnaround {

// Numeric ids assigned by storage.
template <typename Tag>
struct NumericId {
  std::int64_t value = 0;
  constexpr NumericId() = default;
  constexpr explicit NumericId(std::int64_t v) : value(v) {}
  bool valid() const { return value > 0; }
  auto operator<=>(const NumericId&) const = default;
};

// Text ids chosen by people or by the survey tool.
template <typename Tag>
struct TextId {
  std::string value;
  TextId() = default;
  explicit TextId(std::string v) : value(std::move(v)) {}
  bool empty() const { return value.empty(); }
  auto operator<=>(const TextId&) const = default;
};

using CaseId = NumericId<struct CaseIdTag>;
using TimerId = NumericId<struct TimerIdTag>;
using PersonId = TextId<struct PersonIdTag>;
using ResponseId = TextId<struct ResponseIdTag>;
using CustomerId = TextId<struct CustomerIdTag>;

}  // namespace turnaround

template <typename Tag>
struct std::hash<turnaround::NumericId<Tag>> {
  size_t operator()(const turnaround::NumericId<Tag>& id) const noexcept {
    return std::hash<std::int64_t>()(id.value);
  }
};
template <typename Tag>
struct std::hash<turnaround::TextId<Tag>> {
  size_t operator()(const turnaround::TextId<Tag>& id) const noexcept {
    return std::hash<std::string>()(id.value);
  }
};

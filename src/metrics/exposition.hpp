#pragma once
// The Prometheus text exposition format, version 0.0.4: a family's HELP and TYPE lines, then
// its samples. Pure: it writes into a string, and its tests need no server.
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace evs::metrics {

inline constexpr std::string_view exposition_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

struct label {
  std::string_view name;
  std::string_view value;  // escaped as the format asks
};

using label_set = std::initializer_list<label>;

class exposition {
 public:
  // Starts a family; type is counter, gauge or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);

  void sample(std::string_view name, label_set labels, std::uint64_t value);
  void sample(std::string_view name, label_set labels, double value);

  // A family of one sample without labels: most counters and gauges.
  template <class Value>
  void single(std::string_view name, std::string_view type, std::string_view help, Value value) {
    family(name, type, help);
    sample(name, {}, value);
  }

  // A histogram's samples: one cumulative _bucket per bound and +Inf, then _sum and _count.
  // `counts` holds each bucket's own count (bounds.size() + 1 of them); bounds and sum are in
  // whole units, `per_unit` of which make one of the family's (1e9 nanoseconds make a second).
  // Divided, not multiplied by an inexact 1e-9, so a bound of 500000 ns reads 0.0005.
  void histogram(std::string_view name, label_set labels, std::span<const std::uint64_t> bounds,
                 std::span<const std::uint64_t> counts, std::uint64_t sum, double per_unit = 1);

  const std::string& text() const { return text_; }
  std::string take() { return std::move(text_); }

 private:
  void begin_sample(std::string_view name, std::string_view suffix, label_set labels,
                    const label* extra);

  std::string text_;
};

}  // namespace evs::metrics

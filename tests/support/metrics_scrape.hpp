#pragma once
// Reading a GET /metrics answer (Prometheus text format) in tests.
#include <optional>
#include <string>

namespace evs::test {

// The value of the sample named exactly `series` (its name and labels as the consumer writes
// them), or nullopt when the scrape has no such line.
inline std::optional<std::string> sample_value(const std::string& scrape,
                                               const std::string& series) {
  const auto line = scrape.starts_with(series + " ") ? 0 : scrape.find("\n" + series + " ");
  if (line == std::string::npos) return std::nullopt;
  const auto start = scrape.find(' ', line + series.size()) + 1;
  return scrape.substr(start, scrape.find('\n', start) - start);
}

}  // namespace evs::test

#include "metrics/exposition.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace evs::metrics {
namespace {

void append_number(std::string& out, std::uint64_t value) {
  std::array<char, 24> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  out.append(buffer.data(), end);
}

// Shortest text that reads back as the same double; the format spells infinity +Inf.
void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  // Plain decimals where they stay short (0.0005 rather than 5e-04, a start time in whole
  // seconds rather than 1.7e+09), the shortest form elsewhere.
  const double magnitude = std::fabs(value);
  const bool plain = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
  std::array<char, 64> buffer{};
  const auto end = plain ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                         std::chars_format::fixed)
                               .ptr
                         : std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  out.append(buffer.data(), end);
}

// HELP text escapes backslash and line feed; label values also escape the double quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quote && c == '"')
      out += "\\\"";
    else
      out.push_back(c);
  }
}

void append_label(std::string& out, const label& l, bool first) {
  if (!first) out.push_back(',');
  out += l.name;
  out += "=\"";
  append_escaped(out, l.value, true);
  out.push_back('"');
}

}  // namespace

void exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  text_ += "# HELP ";
  text_ += name;
  text_.push_back(' ');
  append_escaped(text_, help, false);
  text_ += "\n# TYPE ";
  text_ += name;
  text_.push_back(' ');
  text_ += type;
  text_.push_back('\n');
}

void exposition::begin_sample(std::string_view name, std::string_view suffix, label_set labels,
                              const label* extra) {
  text_ += name;
  text_ += suffix;
  if (labels.size() != 0 || extra != nullptr) {
    text_.push_back('{');
    bool first = true;
    for (const auto& l : labels) {
      append_label(text_, l, first);
      first = false;
    }
    if (extra != nullptr) append_label(text_, *extra, first);
    text_.push_back('}');
  }
  text_.push_back(' ');
}

void exposition::sample(std::string_view name, label_set labels, std::uint64_t value) {
  begin_sample(name, {}, labels, nullptr);
  append_number(text_, value);
  text_.push_back('\n');
}

void exposition::sample(std::string_view name, label_set labels, double value) {
  begin_sample(name, {}, labels, nullptr);
  append_number(text_, value);
  text_.push_back('\n');
}

void exposition::histogram(std::string_view name, label_set labels,
                           std::span<const std::uint64_t> bounds,
                           std::span<const std::uint64_t> counts, std::uint64_t sum,
                           double per_unit) {
  std::uint64_t cumulative = 0;
  std::string bound;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    bound.clear();
    if (i < bounds.size())
      append_number(bound, static_cast<double>(bounds[i]) / per_unit);
    else
      bound = "+Inf";
    const label le{"le", bound};
    begin_sample(name, "_bucket", labels, &le);
    append_number(text_, cumulative);
    text_.push_back('\n');
  }
  begin_sample(name, "_sum", labels, nullptr);
  append_number(text_, static_cast<double>(sum) / per_unit);
  text_.push_back('\n');
  begin_sample(name, "_count", labels, nullptr);
  append_number(text_, cumulative);
  text_.push_back('\n');
}

}  // namespace evs::metrics

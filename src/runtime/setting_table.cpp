#include "runtime/setting_table.hpp"

#include <CLI/CLI.hpp>

namespace evs::runtime {
namespace {

std::string range_text(const setting_spec& spec) {
  if (spec.type == setting_type::integer)
    return std::to_string(static_cast<std::int64_t>(spec.min)) + ".." +
           std::to_string(static_cast<std::int64_t>(spec.max));
  if (spec.type == setting_type::number)
    return CLI::detail::to_string(spec.min) + ".." + CLI::detail::to_string(spec.max);
  std::string out;
  for (const auto c : spec.choices) out += (out.empty() ? "" : "|") + std::string{c};
  return out;
}

setting_value check(const setting_spec& spec, const std::string& value) {
  const std::string key{spec.key};
  setting_value v;
  v.text = value;
  switch (spec.type) {
    case setting_type::text: break;
    case setting_type::secret:
      // Unset is the program's to refuse (it knows whether the key is required).
      if (!value.empty() && static_cast<double>(value.size()) < spec.min)
        throw config_error(key + ": must be at least " +
                           std::to_string(static_cast<std::int64_t>(spec.min)) + " bytes, got " +
                           std::to_string(value.size()));
      break;
    case setting_type::integer:
      v.integer = parse_integer(key, value, static_cast<std::int64_t>(spec.min),
                                static_cast<std::int64_t>(spec.max));
      break;
    case setting_type::number: v.number = parse_number(key, value, spec.min, spec.max); break;
    case setting_type::choice: v.text = parse_choice(key, value, spec.choices); break;
  }
  return v;
}

}  // namespace

void declare(settings& s, const setting_spec& spec) {
  std::string help{spec.help};
  if (spec.type != setting_type::text && spec.type != setting_type::secret)
    help += " (" + range_text(spec) + ")";
  s.declare(std::string{spec.key}, std::string{spec.default_value}, help);
}

setting_value read_value(const settings& s, const setting_spec& spec) {
  return check(spec, s.text(std::string{spec.key}));
}

// Checked as a given value would be: a table whose default breaks its own range fails at
// once, in every test that reads defaults.
setting_value default_value(const setting_spec& spec) {
  return check(spec, std::string{spec.default_value});
}

}  // namespace evs::runtime

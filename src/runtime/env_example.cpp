#include "runtime/env_example.hpp"

#include <map>
#include <stdexcept>

namespace evs::runtime {

std::string render_env_example(std::string_view header, const std::vector<env_section>& sections) {
  std::string out{header};
  std::map<std::string_view, const setting_spec*> documented;
  for (const auto& section : sections) {
    out += "\n# --- " + std::string{section.program} + " ---\n";
    std::string also;
    for (const auto& spec : section.settings) {
      if (const auto it = documented.find(spec.key); it != documented.end()) {
        if (it->second->default_value != spec.default_value)
          throw std::logic_error(std::string{spec.key} +
                                 ": two programs declare it with different defaults");
        also += (also.empty() ? "" : ", ") + std::string{spec.key};
        continue;
      }
      documented.emplace(spec.key, &spec);
      out += "# " + std::string{spec.help} + "\n";
      out += (spec.default_value.empty() ? "# " : "") + std::string{spec.key} + "=" +
             std::string{spec.default_value} + "\n";
    }
    if (!also.empty())
      out += "# " + std::string{section.program} + " also reads " + also + " (see above)\n";
  }
  return out;
}

}  // namespace evs::runtime

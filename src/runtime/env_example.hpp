#pragma once
// `.env.example` generated from the programs' setting tables: a section per program, each key
// as `# help` and `KEY=default` (commented out when it has no default). A key that an earlier
// section documents is named once more at the end of the later one, not repeated.
#include "runtime/setting_table.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace evs::runtime {

struct env_section {
  std::string_view program;
  std::vector<setting_spec> settings;
};

// `header` is copied as it is (comment lines). Throws std::logic_error when two sections give
// one key different defaults: one .env configures every program. (Types may differ: the
// propagator takes fractions of a second where the consumer takes whole seconds.)
std::string render_env_example(std::string_view header, const std::vector<env_section>& sections);

}  // namespace evs::runtime

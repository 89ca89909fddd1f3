// evs-env-example: prints .env.example from the consumer's, the propagator's and the loader's
// setting tables.
// The env_example test compares its output with the committed file.
#include "runtime/env_example.hpp"
#include "consumer/consumer_config.hpp"
#include "loader/loader_config.hpp"
#include "propagator/cli.hpp"

#include <cstdio>

namespace {

constexpr const char* header =
    "# event-services settings. Copy to .env and edit; flags override the environment, which\n"
    "# overrides this file. `make run` creates a .env with a random SECRET_KEY and a token.\n"
    "# event-token reads SECRET_KEY and ALGORITHM as the consumer does. Generated from the\n"
    "# programs' setting tables: after changing one, run evs-env-example > .env.example.\n";

}  // namespace

int main() {
  using evs::runtime::describe;
  const auto text = evs::runtime::render_env_example(
      header, {{"event-consumer", describe(evs::consumer::consumer_settings())},
               {"event-propagator", describe(evs::propagator::propagator_settings())},
               {"event-loader", describe(evs::loader::loader_settings())}});
  std::fputs(text.c_str(), stdout);
  return 0;
}

#pragma once
// What event-propagator does once its configuration is known: the real wiring of the run
// loop, and the dead-letter commands. Each returns the exit code; a configuration that does
// not work (unreadable EVENTS_FILE, spool in use) throws runtime::config_error.
#include "propagator/cli.hpp"
#include "propagator/config.hpp"

#include <ostream>

namespace evs::propagator {

int run_command(const config& cfg, action what);

int run_propagator(const config& cfg);
int list_dead_letters(const config& cfg, std::ostream& out);
int requeue_dead_letters(const config& cfg);
int print_sample_events(std::ostream& out);

}  // namespace evs::propagator

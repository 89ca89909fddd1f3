#pragma once
// Names the calling thread as `top -H`, `ps -L` and /proc/<pid>/task/<tid>/comm show it, so
// an operator can tell the I/O threads from the writers by name.
#include <string>

namespace evs::runtime {

// Linux keeps 15 bytes of a thread's name; longer names are cut.
void name_this_thread(const std::string& name) noexcept;

}  // namespace evs::runtime

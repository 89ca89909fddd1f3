#include "metrics/families.hpp"

namespace evs::metrics {

void process_families(exposition& out, const process_stats& p) {
  out.single("process_cpu_seconds_total", "counter",
             "Total user and system CPU time spent in seconds.", p.cpu_seconds);
  out.single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
             p.resident_bytes);
  out.single("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
             p.virtual_bytes);
  out.single("process_start_time_seconds", "gauge",
             "Start time of the process since unix epoch in seconds.", p.start_time_seconds);
  out.single("process_open_fds", "gauge", "Number of open file descriptors.", p.open_fds);
  out.single("process_max_fds", "gauge", "Maximum number of open file descriptors.", p.max_fds);
}

}  // namespace evs::metrics

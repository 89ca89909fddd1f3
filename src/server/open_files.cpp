#include "server/open_files.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace evs::server {

std::size_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return std::size_t{1} << 20;
  const std::size_t soft = limit.rlim_cur;
  return soft;
}

std::size_t default_max_connections(std::size_t open_file_limit) {
  const std::size_t reserve = std::min<std::size_t>(64, open_file_limit / 4);
  return std::max<std::size_t>(1, open_file_limit - reserve);
}

}  // namespace evs::server

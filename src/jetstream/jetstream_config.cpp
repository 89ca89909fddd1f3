#include "jetstream/jetstream_config.hpp"

#include "runtime/settings.hpp"

#include <string_view>

namespace evs::jetstream {

std::vector<std::string> split_nats_url(const std::string& url) {
  std::vector<std::string> servers;
  std::string_view rest{url};
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    auto part = rest.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) {
      if (!part.starts_with("nats://") && !part.starts_with("tls://"))
        throw runtime::config_error("NATS_URL: \"" + std::string{part} +
                                    "\" must start with nats:// or tls://");
      servers.emplace_back(part);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (servers.empty()) throw runtime::config_error("NATS_URL: must name at least one server");
  return servers;
}

}  // namespace evs::jetstream

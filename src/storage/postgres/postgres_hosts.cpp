#include "storage/postgres/postgres_hosts.hpp"

#include "runtime/settings.hpp"

#include <charconv>
#include <string>
#include <type_traits>
#include <variant>

namespace evs::storage {
namespace {

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string_view> split(std::string_view list) {
  std::vector<std::string_view> items;
  for (;;) {
    const auto comma = list.find(',');
    items.push_back(trimmed(list.substr(0, comma)));
    if (comma == std::string_view::npos) return items;
    list.remove_prefix(comma + 1);
  }
}

template <class T>
std::string joined(const std::vector<T>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    if constexpr (std::is_same_v<T, std::string>)
      out += item;
    else
      out += std::to_string(item);
  }
  return out;
}

}  // namespace

std::vector<std::string> split_host_list(std::string_view hosts) {
  std::vector<std::string> names;
  for (const auto name : split(hosts)) {
    if (name.empty())
      throw runtime::config_error("DB_HOSTNAME: empty host name in '" + std::string{hosts} +
                                  "' (use h1,h2 for several hosts)");
    names.emplace_back(name);
  }
  return names;
}

std::vector<std::uint16_t> parse_port_list(std::string_view ports) {
  std::vector<std::uint16_t> parsed;
  if (ports == "0") return parsed;  // the driver's default
  for (const auto item : split(ports)) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc{} || end != item.data() + item.size() || value < 1 ||
        value > 65535)
      throw runtime::config_error("DB_PORT: '" + std::string{item} +
                                  "' is not a port in 1..65535 (one port, or one per "
                                  "DB_HOSTNAME host: 5432,5433)");
    parsed.push_back(static_cast<std::uint16_t>(value));
  }
  return parsed;
}

std::vector<connection_param> host_params(std::string_view hosts,
                                          const std::vector<std::uint16_t>& ports) {
  const auto names = split_host_list(hosts);
  if (ports.size() != 1 && ports.size() != names.size())
    throw runtime::config_error("DB_PORT: " + std::to_string(ports.size()) + " ports for " +
                                std::to_string(names.size()) +
                                " DB_HOSTNAME hosts; give one port for all, or one per host");
  std::vector<connection_param> params{{"host", joined(names)}, {"port", joined(ports)}};
  if (names.size() > 1) params.push_back({"target_session_attrs", "read-write"});
  return params;
}

bool url_has_several_hosts(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  auto authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?"));
  // user:password@ comes first; a password may hold a comma (percent-encoded or not).
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  return authority.find(',') != std::string_view::npos;
}

void check_read_url(const std::string& read_url, const storage_config& chosen) {
  if (read_url.empty()) return;
  if (!std::holds_alternative<postgres_config>(chosen))
    throw runtime::config_error(
        "DB_READ_URL: a standby for reads needs PostgreSQL (DATABASE_URL or DB_HOSTNAME)");
  if (!read_url.starts_with("postgresql://") && !read_url.starts_with("postgres://"))
    throw runtime::config_error("DB_READ_URL: must start with postgresql://");
}

}  // namespace evs::storage

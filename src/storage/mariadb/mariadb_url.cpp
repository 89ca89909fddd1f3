#include "storage/mariadb/mariadb_url.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

namespace evs::storage::mariadb {
namespace {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view text, const char* part) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
    if (high < 0 || low < 0)
      throw std::invalid_argument(std::string{"bad percent-escape in the "} + part);
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string_view strip_scheme(std::string_view url) noexcept {
  for (const std::string_view scheme : {"mysql://", "mariadb://"})
    if (url.starts_with(scheme)) return url.substr(scheme.size());
  return {};
}

}  // namespace

bool is_mariadb_url(std::string_view url) noexcept {
  return url.starts_with("mysql://") || url.starts_with("mariadb://");
}

mariadb_config mariadb_from_url(std::string_view url) {
  if (!is_mariadb_url(url)) throw std::invalid_argument("must start with mysql:// or mariadb://");
  std::string_view rest = strip_scheme(url);
  if (rest.find_first_of("?#") != std::string_view::npos)
    throw std::invalid_argument("query parameters are not supported in a mysql:// URL");
  mariadb_config config;

  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos)
    config.database = percent_decoded(rest.substr(slash + 1), "database name");

  // The password may contain '@' only percent-encoded; the last '@' ends the user info.
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_info = authority.substr(0, at);
    const std::size_t colon = user_info.find(':');
    config.user = percent_decoded(user_info.substr(0, colon), "user");
    if (colon != std::string_view::npos)
      config.password = percent_decoded(user_info.substr(colon + 1), "password");
    authority = authority.substr(at + 1);
  }

  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("unclosed [ in the host");
    config.host = std::string{authority.substr(1, close - 1)};
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':'))
      throw std::invalid_argument("unexpected text after the host");
    if (!after.empty()) port = after.substr(1);
  } else {
    const std::size_t colon = authority.find(':');
    config.host = std::string{authority.substr(0, colon)};
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (config.host.empty()) throw std::invalid_argument("the host is missing");
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535)
      throw std::invalid_argument("the port must be a number from 1 to 65535");
    config.port = static_cast<std::uint16_t>(value);
  }
  return config;
}

}  // namespace evs::storage::mariadb

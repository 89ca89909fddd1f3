#pragma once
// The PostgreSQL settings beyond one server: DB_HOSTNAME and DB_PORT with several hosts
// (failover), checked, and what libpq is told so that every connection finds the current
// primary; DB_READ_URL, a standby for reads.
#include "storage/storage_config.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace evs::storage {

// "h1,h2" -> {"h1", "h2"}, spaces around names dropped; throws config_error naming
// DB_HOSTNAME for an empty name.
std::vector<std::string> split_host_list(std::string_view hosts);

// "5432" or "5432,5433" -> the ports; "0" -> none (the driver's default port); throws
// config_error naming DB_PORT for anything else that is not a port in 1..65535.
std::vector<std::uint16_t> parse_port_list(std::string_view ports);

// The host and port keywords for libpq: one port for every host, or one per host (else
// config_error naming DB_PORT). With several hosts, target_session_attrs=read-write too, so
// that a connection skips a standby and lands on whichever host is the primary now.
std::vector<connection_param> host_params(std::string_view hosts,
                                          const std::vector<std::uint16_t>& ports);

// Whether a postgresql:// URL names several hosts (postgresql://u@h1:5432,h2:5433/db).
bool url_has_several_hosts(std::string_view url);

// DB_READ_URL (empty: unset) against the store chosen: only PostgreSQL reads from a standby,
// and only by postgresql:// URL. Throws config_error naming DB_READ_URL.
void check_read_url(const std::string& read_url, const storage_config& chosen);

}  // namespace evs::storage

#pragma once
// mysql://user:password@host:port/database (also mariadb://) -> mariadb_config.
#include "storage/storage_config.hpp"

#include <string_view>

namespace evs::storage::mariadb {

// Splits the URL into its parts; user, password and database are percent-decoded, so any byte
// can be written. The host may be [IPv6]. Throws std::invalid_argument saying what is wrong.
mariadb_config mariadb_from_url(std::string_view url);

// True for the schemes mariadb_from_url reads.
bool is_mariadb_url(std::string_view url) noexcept;

}  // namespace evs::storage::mariadb

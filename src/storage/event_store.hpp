#pragma once
// The one storage interface. Every backend passes the contract suite in tests/contract/.
#include "core/errc.hpp"
#include "core/event.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace evs::storage {

// For each event of an insert, in order: its new row id, or nullopt when its event_id was
// already stored (or appeared earlier in the same call). Duplicates are not an error.
using insert_outcome = std::vector<std::optional<std::int64_t>>;

// All members may be called from several threads at once; implementations synchronise.
// Failures are errc::storage_unavailable (retry later: 503), errc::storage_failure (500) or
// errc::not_found.
class event_store {
 public:
  virtual ~event_store() = default;

  // One transaction, all or nothing; returns only once committed and durable.
  virtual result<insert_outcome> insert(std::span<const core::new_event> events) = 0;

  virtual result<core::stored_event> get(std::int64_t id) = 0;
  virtual result<core::stored_event> get_by_event_id(std::string_view event_id) = 0;
  virtual result<core::event_page> list(const core::list_query& query) = 0;
  virtual result<core::stored_event> update(std::int64_t id, const core::event_update& update) = 0;
  virtual result<void> remove(std::int64_t id) = 0;

  // Reachable and writable: what /api/ready reports.
  virtual result<void> ping() = 0;

  // How many insert() calls may usefully run at once (one per writer connection).
  virtual std::size_t max_concurrent_writers() const { return 1; }
};

}  // namespace evs::storage

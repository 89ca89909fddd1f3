#pragma once
// One batch of events into the events table, in either dialect (mariadb_dialect.hpp): ids
// drawn in request order, rows inserted in event_id order, new rows told from duplicates.
#include "storage/event_store.hpp"
#include "storage/mariadb/mariadb_connection.hpp"
#include "storage/mariadb/mariadb_dialect.hpp"

#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace evs::storage::mariadb {

// What stays the same when a batch is tried again.
struct batch_plan {
  explicit batch_plan(std::span<const core::new_event> batch);

  std::span<const core::new_event> events;
  // The first occurrence of each event_id; later ones in the same batch are duplicates.
  std::unordered_map<std::string_view, std::size_t> position_of;
  std::vector<std::size_t> unique;       // those first occurrences, in request order
  std::vector<std::size_t> by_event_id;  // the same, in the order rows are inserted
};

// Inserts the plan's unique events and commits before it returns: the outcome holds the new
// row's id of each event stored now, nullopt for the others. Throws mariadb_error.
insert_outcome insert_batch(connection& db, dialect d, const batch_plan& plan);

}  // namespace evs::storage::mariadb

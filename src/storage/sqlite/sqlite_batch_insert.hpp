#pragma once
// Inserts a batch of events with multi-row INSERT statements. One statement of up to 64 rows
// costs SQLite noticeably less than one statement per row: statement start-up and the
// AUTOINCREMENT bookkeeping happen once per statement, not once per row.
#include "core/event.hpp"
#include "sqlite/statement.hpp"
#include "storage/event_store.hpp"

#include <array>
#include <optional>
#include <span>

namespace evs::storage::sqlite {

class batch_insert {
 public:
  static constexpr std::size_t max_rows = 64;

  explicit batch_insert(evs::sqlite::connection& db);

  // Inserts inside the caller's transaction and appends, for each event in order, its new id
  // or nullopt when its event_id is already stored (or appears earlier in the batch).
  // Throws evs::sqlite::error; the caller rolls back.
  void run(std::span<const core::new_event> events, insert_outcome& outcome);

 private:
  // The statement for `rows` rows (1 to max_rows), prepared on first use: a group of requests
  // goes in as one statement, not as a series of smaller ones.
  evs::sqlite::statement& for_rows(std::size_t rows);
  // Inserts one statement's rows; rows it inserts get ids above `max_before`. Returns the
  // largest id stored so far, for the next chunk.
  std::int64_t insert_chunk(std::span<const core::new_event> chunk, std::int64_t max_before,
                            insert_outcome& outcome);

  evs::sqlite::connection& db_;
  // by_rows_[n - 1] has n rows
  std::array<std::optional<evs::sqlite::statement>, max_rows> by_rows_;
  evs::sqlite::statement max_id_;
  evs::sqlite::statement find_id_;
};

}  // namespace evs::storage::sqlite

#pragma once
// The settings of the store's one writer connection. The durability promise rests on them: in
// WAL mode with synchronous=FULL a commit's frames are fsynced before COMMIT returns, that is
// before any request in the commit is acknowledged.
#include "sqlite/connection.hpp"

namespace evs::storage::sqlite {

void configure_writer(evs::sqlite::connection& db);

}  // namespace evs::storage::sqlite

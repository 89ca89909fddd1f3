#pragma once
// A VFS over SQLite's default one that gathers the writes of a commit to the WAL file.
//
// SQLite appends each WAL frame with two writes (a 24-byte header, then the page), so a commit
// of a dozen pages costs two dozen write calls. This VFS keeps consecutive writes to a WAL
// file in memory and hands them to the file in one write before anything could observe them:
// a sync, a read, a size or lock change, a file control, a close, or the wal-index barrier
// that publishes a commit to readers. Until a sync, SQLite already assumes that unsynced
// writes can be lost or reordered, so durability and crash recovery are unchanged.
#include <cstdint>

namespace evs::storage::sqlite {

// The VFS's name for sqlite3_open_v2: a layer over the VFS that is the default at the time of
// the call, registered (not as the default) the first time it is asked for over that VFS.
const char* wal_write_batching_vfs();

// How many WAL writes so far joined a pending batch instead of reaching the file alone.
std::uint64_t wal_writes_gathered();

}  // namespace evs::storage::sqlite

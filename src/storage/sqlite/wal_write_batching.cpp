#include "storage/sqlite/wal_write_batching.hpp"

#include <sqlite3.h>

#include <atomic>
#include <map>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace evs::storage::sqlite {
namespace {

// One write call carries at most this much (SQLite's unix VFS refuses single writes of
// 128 KiB or more); a commit of a few dozen pages fits.
constexpr std::size_t max_pending_bytes = 64 * 1024;

sqlite3_vfs* base_vfs = nullptr;
std::atomic<std::uint64_t> gathered{0};

// SQLite allocates sqlite3_vfs::szOsFile bytes per open file: this struct, then the base
// VFS's own file object right after it.
struct batching_file {
  sqlite3_file base;  // first: SQLite sees a batching_file as a sqlite3_file
  sqlite3_file* real;
  // A main database file and the WAL file of the same connection point at each other: SQLite
  // publishes a commit through the database file's shared memory, and the WAL's pending
  // writes must reach the file first.
  batching_file* partner = nullptr;
  std::string database_path;  // main database files only
  sqlite3_int64 pending_offset = 0;
  std::vector<char> pending;  // WAL files only
  bool batch_writes = false;
};

batching_file& self(sqlite3_file* f) { return *reinterpret_cast<batching_file*>(f); }
sqlite3_file* real(sqlite3_file* f) { return self(f).real; }

// Main database files open through this VFS, by path. A WAL file batches its writes only when
// exactly one connection has its database open here, so that its partner is unambiguous.
struct open_databases {
  std::mutex mutex;
  std::multimap<std::string, batching_file*> by_path;
};

open_databases& databases() {
  static open_databases instance;
  return instance;
}

int write_pending(batching_file& file) {
  if (file.pending.empty()) return SQLITE_OK;
  const int rc = file.real->pMethods->xWrite(
      file.real, file.pending.data(), static_cast<int>(file.pending.size()), file.pending_offset);
  file.pending.clear();
  return rc;
}

// Before any operation that could let the file's content be observed: this file's pending
// writes, or those of the WAL of this database.
int flush(sqlite3_file* f) {
  auto& file = self(f);
  if (file.batch_writes) return write_pending(file);
  if (file.partner != nullptr) return write_pending(*file.partner);
  return SQLITE_OK;
}

int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  auto& file = self(f);
  if (!file.batch_writes) return file.real->pMethods->xWrite(file.real, data, amount, offset);
  const auto size = static_cast<std::size_t>(amount);
  const bool continues =
      offset == file.pending_offset + static_cast<sqlite3_int64>(file.pending.size());
  if (!file.pending.empty() && (!continues || file.pending.size() + size > max_pending_bytes)) {
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (size > max_pending_bytes) return file.real->pMethods->xWrite(file.real, data, amount, offset);
  if (file.pending.empty())
    file.pending_offset = offset;
  else
    gathered.fetch_add(1, std::memory_order_relaxed);
  const auto* bytes = static_cast<const char*>(data);
  file.pending.insert(file.pending.end(), bytes, bytes + size);
  return SQLITE_OK;
}

int x_close(sqlite3_file* f) {
  auto& file = self(f);
  const int flushed = flush(f);
  {
    auto& open = databases();
    const std::lock_guard lock{open.mutex};
    if (file.partner != nullptr) file.partner->partner = nullptr;
    if (!file.database_path.empty()) {
      for (auto [it, end] = open.by_path.equal_range(file.database_path); it != end; ++it)
        if (it->second == &file) {
          open.by_path.erase(it);
          break;
        }
    }
  }
  const int closed = file.real->pMethods->xClose(file.real);
  file.~batching_file();
  return flushed != SQLITE_OK ? flushed : closed;
}

// The base file's method `Member`, once the pending writes have reached the file.
template <auto Member>
constexpr auto after_flush = [](sqlite3_file* f, auto... args) -> int {
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return (real(f)->pMethods->*Member)(real(f), args...);
};

// The base file's method `Member`, for what cannot reveal the file's content.
template <auto Member>
constexpr auto forward =
    [](sqlite3_file* f, auto... args) { return (real(f)->pMethods->*Member)(real(f), args...); };

// SQLite calls the barrier (on the database file) between the two copies of the wal-index
// header it writes to publish a commit: the frames must be in the WAL before readers see them.
void x_shm_barrier(sqlite3_file* f) {
  (void)flush(f);
  real(f)->pMethods->xShmBarrier(real(f));
}

using methods = sqlite3_io_methods;
const sqlite3_io_methods batching_methods = {
    3,
    x_close,
    after_flush<&methods::xRead>,
    x_write,
    after_flush<&methods::xTruncate>,
    after_flush<&methods::xSync>,
    after_flush<&methods::xFileSize>,
    after_flush<&methods::xLock>,
    after_flush<&methods::xUnlock>,
    forward<&methods::xCheckReservedLock>,
    after_flush<&methods::xFileControl>,
    forward<&methods::xSectorSize>,
    forward<&methods::xDeviceCharacteristics>,
    after_flush<&methods::xShmMap>,
    after_flush<&methods::xShmLock>,
    x_shm_barrier,
    forward<&methods::xShmUnmap>,
    after_flush<&methods::xFetch>,
    forward<&methods::xUnfetch>,
};

// Links a new file with its partner: a WAL file with the one connection that has its
// database open here, if there is exactly one.
void register_open_file(batching_file& file, sqlite3_filename name, int flags) {
  auto& open = databases();
  const std::lock_guard lock{open.mutex};
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr) {
    file.database_path = name;
    open.by_path.emplace(file.database_path, &file);
  } else if ((flags & SQLITE_OPEN_WAL) != 0 && name != nullptr) {
    const std::string database = sqlite3_filename_database(name);
    if (open.by_path.count(database) != 1) return;
    auto* db = open.by_path.find(database)->second;
    if (db->partner != nullptr) return;
    db->partner = &file;
    file.partner = db;
    file.batch_writes = true;
  }
}

int x_open(sqlite3_vfs* /*vfs*/, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
  auto* file = new (f) batching_file{};
  file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(batching_file));
  const int rc = base_vfs->xOpen(base_vfs, name, file->real, flags, out);
  // The wrapper offers what the base file offers (version 3: shared memory and mmap).
  const bool usable =
      rc == SQLITE_OK && file->real->pMethods != nullptr && file->real->pMethods->iVersion >= 3;
  if (!usable) {
    if (rc == SQLITE_OK && file->real->pMethods != nullptr)
      file->real->pMethods->xClose(file->real);
    file->~batching_file();
    f->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  register_open_file(*file, name, flags);
  f->pMethods = &batching_methods;
  return SQLITE_OK;
}

sqlite3_vfs make_vfs() {
  base_vfs = sqlite3_vfs_find(nullptr);
  if (base_vfs == nullptr) throw std::runtime_error("SQLite has no default VFS");
  sqlite3_vfs vfs = *base_vfs;
  vfs.pNext = nullptr;
  vfs.zName = "evs-wal-write-batching";
  vfs.szOsFile = static_cast<int>(sizeof(batching_file)) + base_vfs->szOsFile;
  vfs.xOpen = x_open;
  return vfs;
}

}  // namespace

std::uint64_t wal_writes_gathered() { return gathered.load(std::memory_order_relaxed); }

const char* wal_write_batching_vfs() {
  static sqlite3_vfs vfs = make_vfs();
  static const int registered = sqlite3_vfs_register(&vfs, 0);
  if (registered != SQLITE_OK) throw std::runtime_error("cannot register the SQLite VFS");
  return vfs.zName;
}

}  // namespace evs::storage::sqlite

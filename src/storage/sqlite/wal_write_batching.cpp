#include "storage/sqlite/wal_write_batching.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <map>
#include <memory>
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

std::atomic<std::uint64_t> gathered{0};

// One batching layer per VFS it was put over: the default VFS when a store asked for one. A
// process uses one default VFS all its life, but a test may make its own VFS the default for a
// while (tests/support/crash_vfs); a layer over a VFS that is gone is never used again.
struct layer {
  sqlite3_vfs vfs;
  sqlite3_vfs* base;
  sqlite3_vfs base_as_seen;  // what `base` held: a VFS made later at the same address differs
  std::string name;
};

// The base's fields as a layer copies them (the list link aside).
sqlite3_vfs as_seen(const sqlite3_vfs& base) {
  sqlite3_vfs copy = base;
  copy.pNext = nullptr;
  return copy;
}

bool same_vfs(const sqlite3_vfs& a, const sqlite3_vfs& b) {
  return std::memcmp(&a, &b, sizeof(sqlite3_vfs)) == 0;
}

struct layers {
  std::mutex mutex;
  std::vector<std::unique_ptr<layer>> all;
};

layers& known_layers() {
  static layers instance;
  return instance;
}

sqlite3_vfs* base_of(sqlite3_vfs* vfs) {
  auto& known = known_layers();
  const std::lock_guard lock{known.mutex};
  for (const auto& l : known.all)
    if (&l->vfs == vfs) return l->base;  // the base of the layer SQLite opens through
  return nullptr;
}

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

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
  sqlite3_vfs* base_vfs = base_of(vfs);
  if (base_vfs == nullptr) return SQLITE_CANTOPEN;
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

// Registers (once per base) a batching layer over `base`; returns its name.
const char* layer_over(sqlite3_vfs* base) {
  auto& known = known_layers();
  const std::lock_guard lock{known.mutex};
  // SQLite makes some other VFS the default when the default is unregistered, and that may be
  // one of these layers: a layer then goes over its base, never over another layer.
  for (bool unwrapped = true; unwrapped;) {
    unwrapped = false;
    for (const auto& l : known.all)
      if (&l->vfs == base) {
        base = l->base;
        unwrapped = true;
      }
  }
  const sqlite3_vfs seen = as_seen(*base);
  for (const auto& l : known.all)
    if (l->base == base && same_vfs(l->base_as_seen, seen)) return l->name.c_str();
  auto added = std::make_unique<layer>();
  added->base = base;
  added->base_as_seen = seen;
  added->name = known.all.empty() ? "evs-wal-write-batching"
                                  : "evs-wal-write-batching-" + std::to_string(known.all.size());
  added->vfs = *base;
  added->vfs.pNext = nullptr;
  added->vfs.zName = added->name.c_str();
  added->vfs.szOsFile = static_cast<int>(sizeof(batching_file)) + base->szOsFile;
  added->vfs.xOpen = x_open;
  if (sqlite3_vfs_register(&added->vfs, 0) != SQLITE_OK)
    throw std::runtime_error("cannot register the SQLite VFS");
  known.all.push_back(std::move(added));
  return known.all.back()->name.c_str();
}

}  // namespace

std::uint64_t wal_writes_gathered() { return gathered.load(std::memory_order_relaxed); }

const char* wal_write_batching_vfs() {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr) throw std::runtime_error("SQLite has no default VFS");
  return layer_over(base);
}

}  // namespace evs::storage::sqlite

#include "support/crash_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace evs::test {
namespace {

constexpr std::size_t sector = 512;

// A write or truncation not yet covered by a sync.
struct pending_op {
  bool truncate = false;
  std::int64_t offset = 0;  // the new size for a truncation
  std::string bytes;
};

// What the disk holds of one file for sure, and what may or may not have reached it.
struct tracked_file {
  std::string synced;
  std::vector<pending_op> pending;
};

void apply_op(std::string& image, const pending_op& op) {
  const auto offset = static_cast<std::size_t>(op.offset);
  if (op.truncate) {
    image.resize(offset);
    return;
  }
  if (image.size() < offset + op.bytes.size()) image.resize(offset + op.bytes.size());
  std::memcpy(image.data() + offset, op.bytes.data(), op.bytes.size());
}

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

}  // namespace

struct crash_vfs_state {
  std::filesystem::path scratch;
  std::mt19937_64 rng;
  sqlite3_vfs* real = nullptr;
  sqlite3_vfs vfs{};

  std::mutex mutex;  // every tracked call holds it: a power cut sees one instant
  std::map<std::string, tracked_file> files;
  std::function<void(const power_cut&)> callback;
  double probability = 0;
  std::uint64_t every_nth_sync = 0;
  bool stopped = true;
  std::uint64_t cuts = 0;
  std::uint64_t sync_count = 0;

  // Called with `mutex` held.
  void maybe_cut(double p) {
    if (stopped || !callback) return;
    if (p < 1.0 && std::uniform_real_distribution<double>{0.0, 1.0}(rng) >= p) return;
    cut();
  }

  void cut() {
    const auto mode = cuts % 2 == 0 ? power_cut_mode::drop_unsynced : power_cut_mode::torn_unsynced;
    const auto folder = scratch / ("cut-" + std::to_string(cuts));
    std::filesystem::create_directories(folder);
    for (const auto& [path, file] : files) {
      std::string image = file.synced;
      if (mode == power_cut_mode::torn_unsynced) survive_some(image, file.pending);
      std::ofstream{folder / std::filesystem::path{path}.filename(), std::ios::binary}.write(
          image.data(), static_cast<std::streamsize>(image.size()));
    }
    callback(power_cut{folder, mode, cuts});
    std::filesystem::remove_all(folder);
    ++cuts;
  }

  // A random subset of the pending writes, in a random order; a write that survives may be
  // torn: only some of its sectors reach the disk.
  void survive_some(std::string& image, const std::vector<pending_op>& pending) {
    std::vector<const pending_op*> order;
    for (const auto& op : pending)
      if (std::bernoulli_distribution{0.5}(rng)) order.push_back(&op);
    std::shuffle(order.begin(), order.end(), rng);
    for (const auto* op : order) {
      if (op->truncate || op->bytes.size() <= sector || std::bernoulli_distribution{0.5}(rng)) {
        apply_op(image, *op);
        continue;
      }
      for (std::size_t at = 0; at < op->bytes.size(); at += sector) {
        if (!std::bernoulli_distribution{0.5}(rng)) continue;
        apply_op(image, pending_op{false, op->offset + static_cast<std::int64_t>(at),
                                   op->bytes.substr(at, sector)});
      }
    }
  }
};

namespace {

crash_vfs_state* the_state = nullptr;

struct crash_file {
  sqlite3_file base;
  sqlite3_file* real;
  std::string* path;  // nullptr: not tracked (temporary files)
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<crash_file*>(f)->real; }
crash_file* crash_of(sqlite3_file* f) { return reinterpret_cast<crash_file*>(f); }

int x_close(sqlite3_file* f) {
  const int rc = real_of(f)->pMethods->xClose(real_of(f));
  delete crash_of(f)->path;
  return rc;
}
int x_read(sqlite3_file* f, void* data, int amount, sqlite3_int64 offset) {
  return real_of(f)->pMethods->xRead(real_of(f), data, amount, offset);
}
int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  auto* file = crash_of(f);
  if (file->path == nullptr) return real_of(f)->pMethods->xWrite(real_of(f), data, amount, offset);
  const std::lock_guard lock{the_state->mutex};
  the_state->maybe_cut(the_state->probability);
  const int rc = real_of(f)->pMethods->xWrite(real_of(f), data, amount, offset);
  if (rc == SQLITE_OK)
    the_state->files[*file->path].pending.push_back(
        {false, offset,
         std::string{static_cast<const char*>(data), static_cast<std::size_t>(amount)}});
  return rc;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  auto* file = crash_of(f);
  if (file->path == nullptr) return real_of(f)->pMethods->xTruncate(real_of(f), size);
  const std::lock_guard lock{the_state->mutex};
  const int rc = real_of(f)->pMethods->xTruncate(real_of(f), size);
  if (rc == SQLITE_OK) the_state->files[*file->path].pending.push_back({true, size, {}});
  return rc;
}
int x_sync(sqlite3_file* f, int flags) {
  auto* file = crash_of(f);
  if (file->path == nullptr) return real_of(f)->pMethods->xSync(real_of(f), flags);
  const std::lock_guard lock{the_state->mutex};
  auto& s = *the_state;
  ++s.sync_count;
  const bool around = s.every_nth_sync != 0 && s.sync_count % s.every_nth_sync == 0;
  s.maybe_cut(around ? 1.0 : s.probability);
  const int rc = real_of(f)->pMethods->xSync(real_of(f), flags);
  if (rc == SQLITE_OK) {
    auto& tracked = s.files[*file->path];
    for (const auto& op : tracked.pending) apply_op(tracked.synced, op);
    tracked.pending.clear();
  }
  if (around) s.maybe_cut(1.0);
  return rc;
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int x_unlock(sqlite3_file* f, int level) {
  return real_of(f)->pMethods->xUnlock(real_of(f), level);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}
// Memory-mapped reads; SQLite still writes through xWrite (no SQLITE_MMAP_READWRITE).
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real_of(f)->pMethods->xFetch(real_of(f), offset, amount, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return real_of(f)->pMethods->xUnfetch(real_of(f), offset, page);
}

const sqlite3_io_methods crash_methods = {3,
                                          x_close,
                                          x_read,
                                          x_write,
                                          x_truncate,
                                          x_sync,
                                          x_file_size,
                                          x_lock,
                                          x_unlock,
                                          x_check_reserved_lock,
                                          x_file_control,
                                          x_sector_size,
                                          x_device_characteristics,
                                          x_shm_map,
                                          x_shm_lock,
                                          x_shm_barrier,
                                          x_shm_unmap,
                                          x_fetch,
                                          x_unfetch};

// The VFS underneath, which every call but open and delete is handed to as it is.
sqlite3_vfs* below(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int x_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* file = crash_of(f);
  file->base.pMethods = nullptr;
  file->real = reinterpret_cast<sqlite3_file*>(file + 1);
  file->path = nullptr;
  auto* real = below(vfs);
  const int rc = real->xOpen(real, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  const bool durable_kind =
      (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) != 0;
  if (name != nullptr && durable_kind) {
    file->path = new std::string{name};
    const std::lock_guard lock{the_state->mutex};
    // A file we have not seen is on disk as it is now (created or left by an earlier run).
    if (!the_state->files.contains(name)) the_state->files[name].synced = read_whole_file(name);
  }
  file->base.pMethods = &crash_methods;
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  auto* real = below(vfs);
  const std::lock_guard lock{the_state->mutex};
  the_state->files.erase(name);
  return real->xDelete(real, name, sync_dir);
}
int x_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return below(vfs)->xAccess(below(vfs), name, flags, out);
}
int x_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return below(vfs)->xFullPathname(below(vfs), name, size, out);
}
void* x_dl_open(sqlite3_vfs* vfs, const char* name) {
  return below(vfs)->xDlOpen(below(vfs), name);
}
void x_dl_error(sqlite3_vfs* vfs, int size, char* out) {
  below(vfs)->xDlError(below(vfs), size, out);
}
void (*x_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return below(vfs)->xDlSym(below(vfs), handle, symbol);
}
void x_dl_close(sqlite3_vfs* vfs, void* handle) { below(vfs)->xDlClose(below(vfs), handle); }
int x_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return below(vfs)->xRandomness(below(vfs), size, out);
}
int x_sleep(sqlite3_vfs* vfs, int microseconds) {
  return below(vfs)->xSleep(below(vfs), microseconds);
}
int x_current_time(sqlite3_vfs* vfs, double* out) {
  return below(vfs)->xCurrentTime(below(vfs), out);
}
int x_get_last_error(sqlite3_vfs* vfs, int size, char* out) {
  return below(vfs)->xGetLastError(below(vfs), size, out);
}
int x_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return below(vfs)->xCurrentTimeInt64(below(vfs), out);
}

}  // namespace

crash_vfs::crash_vfs(std::filesystem::path scratch, std::uint64_t seed)
    : state_{new crash_vfs_state{}} {
  if (the_state != nullptr) throw std::logic_error("one crash_vfs at a time");
  state_->scratch = std::move(scratch);
  state_->rng.seed(seed);
  state_->real = sqlite3_vfs_find(real_vfs_name());
  if (state_->real == nullptr) throw std::runtime_error("no unix VFS");
  auto& v = state_->vfs;
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(sizeof(crash_file)) + state_->real->szOsFile;
  v.mxPathname = state_->real->mxPathname;
  v.zName = "evs-crash";
  v.pAppData = state_->real;
  v.xOpen = x_open;
  v.xDelete = x_delete;
  v.xAccess = x_access;
  v.xFullPathname = x_full_pathname;
  v.xDlOpen = x_dl_open;
  v.xDlError = x_dl_error;
  v.xDlSym = x_dl_sym;
  v.xDlClose = x_dl_close;
  v.xRandomness = x_randomness;
  v.xSleep = x_sleep;
  v.xCurrentTime = x_current_time;
  v.xGetLastError = x_get_last_error;
  v.xCurrentTimeInt64 = x_current_time_int64;
  the_state = state_;
  sqlite3_vfs_register(&state_->vfs, 1);
}

crash_vfs::~crash_vfs() {
  sqlite3_vfs_unregister(&state_->vfs);
  the_state = nullptr;
  delete state_;
}

const char* crash_vfs::real_vfs_name() { return "unix"; }

void crash_vfs::on_power_cut(std::function<void(const power_cut&)> callback) {
  const std::lock_guard lock{state_->mutex};
  state_->callback = std::move(callback);
}

void crash_vfs::schedule(double probability_per_call, std::uint64_t every_nth_sync) {
  const std::lock_guard lock{state_->mutex};
  state_->probability = probability_per_call;
  state_->every_nth_sync = every_nth_sync;
  state_->stopped = false;
}

void crash_vfs::stop() {
  const std::lock_guard lock{state_->mutex};
  state_->stopped = true;
}

std::uint64_t crash_vfs::power_cuts() const {
  const std::lock_guard lock{state_->mutex};
  return state_->cuts;
}

std::uint64_t crash_vfs::syncs() const {
  const std::lock_guard lock{state_->mutex};
  return state_->sync_count;
}

}  // namespace evs::test

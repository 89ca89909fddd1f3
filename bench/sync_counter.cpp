// LD_PRELOAD shim for `make bench`: counts the consumer's fsync/fdatasync calls, split into the
// SQLite WAL ("-wal" files) and everything else, so that the bench can tell how many commits a
// run made without changing the consumer. In WAL mode with synchronous=FULL, SQLite syncs the
// WAL once per commit; a checkpoint adds one WAL sync and one database sync, and the WAL header
// written after a checkpoint one more WAL sync.
//
// The two counts live in the file named by EVS_SYNC_COUNTS (two native-endian uint64: WAL
// syncs, other syncs), shared-mapped, so the bench reads them while the consumer runs.
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using sync_function = int (*)(int);

std::atomic<std::uint64_t>* counters = nullptr;  // [0] WAL syncs, [1] other syncs

__attribute__((constructor)) void map_counters() {
  const char* path = std::getenv("EVS_SYNC_COUNTS");
  if (path == nullptr) return;
  const int fd = ::open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  constexpr std::size_t size = 2 * sizeof(std::uint64_t);
  if (::ftruncate(fd, size) == 0) {
    void* mapped = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (mapped != MAP_FAILED) counters = static_cast<std::atomic<std::uint64_t>*>(mapped);
  }
  ::close(fd);
}

bool is_wal(int fd) {
  char link[64];
  char target[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = ::readlink(link, target, sizeof target);
  return n > 0 && std::string_view{target, static_cast<std::size_t>(n)}.ends_with("-wal");
}

void count(int fd) {
  if (counters != nullptr) counters[is_wal(fd) ? 0 : 1].fetch_add(1, std::memory_order_relaxed);
}

sync_function next(const char* name) {
  return reinterpret_cast<sync_function>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" int fsync(int fd) {
  static const sync_function real = next("fsync");
  count(fd);
  return real(fd);
}

extern "C" int fdatasync(int fd) {
  static const sync_function real = next("fdatasync");
  count(fd);
  return real(fd);
}

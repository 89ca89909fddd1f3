#pragma once
// A SQLite VFS that can "cut the power", in the spirit of SQLite's own crash simulation
// (src/test6.c). It sits over the real default VFS and passes every call through, but it also
// remembers, per file, what the disk is guaranteed to hold: the content as of the last xSync.
// Writes and truncations since then are kept aside as pending. At a power cut, the image of
// each file is its synced content plus, depending on the mode, none of the pending writes or a
// random subset of them applied in a random order, some torn at sector boundaries: what a disk
// with a volatile write cache may hold after losing power.
//
// Power cuts happen at chosen points of the write stream (the n-th write or sync call), inside
// the VFS call, while every other VFS call waits: the images are a consistent instant.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <random>
#include <string>

namespace evs::test {

struct crash_vfs_state;

enum class power_cut_mode {
  drop_unsynced,  // nothing written after the last sync survives
  torn_unsynced,  // a random subset of unsynced writes survives, reordered and torn
};

// What a power cut hands to the test: a folder holding the surviving image of every file the
// VFS tracked (same base names), the mode used, and the cut's sequence number.
struct power_cut {
  std::filesystem::path folder;
  power_cut_mode mode;
  std::uint64_t index;
};

class crash_vfs {
 public:
  // Registers the VFS as the default one, over the current default. One instance at a time.
  crash_vfs(std::filesystem::path scratch, std::uint64_t seed);
  ~crash_vfs();
  crash_vfs(const crash_vfs&) = delete;
  crash_vfs& operator=(const crash_vfs&) = delete;

  // The name to pass to sqlite3_open_v2 to bypass this VFS (the real default).
  static const char* real_vfs_name();

  // Called at each power cut, inside the VFS call that triggered it, with every other VFS call
  // on hold. The folder is removed after the callback returns.
  void on_power_cut(std::function<void(const power_cut&)> callback);

  // Each write or sync call cuts the power before it with this probability; every
  // `every_nth_sync`-th sync also cuts right before and right after itself (around commits).
  void schedule(double probability_per_call, std::uint64_t every_nth_sync);

  // Stops cutting (the callback is no longer called).
  void stop();

  std::uint64_t power_cuts() const;
  std::uint64_t syncs() const;

 private:
  crash_vfs_state* state_;
};

}  // namespace evs::test

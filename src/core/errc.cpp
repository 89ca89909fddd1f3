#include "core/errc.hpp"

#include <string>

namespace evs {
namespace {

// Boost's error_category has a protected non-virtual destructor by design.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"

class evs_category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "evs"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::not_found: return "not found";
      case errc::storage_unavailable: return "storage unavailable";
      case errc::storage_failure: return "storage failure";
      case errc::queue_full: return "write queue full";
      case errc::shutting_down: return "shutting down";
      case errc::bad_cursor: return "invalid cursor";
    }
    return "unknown error";
  }
};
#pragma GCC diagnostic pop

}  // namespace

const boost::system::error_category& error_category() noexcept {
  static const evs_category category;
  return category;
}

}  // namespace evs

#pragma once
// One error vocabulary for the request path (the Beast http/error.hpp pattern).
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <type_traits>

namespace evs {

enum class errc {
  not_found = 1,        // no such event
  storage_unavailable,  // storage down or busy: retry later (503)
  storage_failure,      // storage failed in a way a retry will not fix (500)
  queue_full,           // the write queue is at capacity (503)
  shutting_down,        // the service is stopping (503)
  bad_cursor,           // a pagination cursor we did not issue
};

const boost::system::error_category& error_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

template <class T>
using result = boost::system::result<T>;

}  // namespace evs

template <>
struct boost::system::is_error_code_enum<evs::errc> : std::true_type {};

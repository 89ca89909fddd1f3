#include "propagator/batch_body.hpp"

#include "core/event_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace evs::propagator {
namespace {

namespace json = boost::json;

}  // namespace

batch_body make_batch_body(std::span<const spooled_event> events, std::size_t max_bytes) {
  batch_body body;
  body.json = "[";
  for (const auto& e : events) {
    // Written in place and cut back when it does not fit: no copy of each event through a
    // temporary (the burst benchmark sends 1000 events per request).
    const std::size_t before = body.json.size();
    if (body.count > 0) body.json += ',';
    core::append_event_json(body.json, {e.event_id, e.event_type, e.payload_json, e.occurred_at});
    if (body.count > 0 && body.json.size() + 1 > max_bytes) {
      body.json.resize(before);
      break;
    }
    ++body.count;
  }
  body.json += ']';
  return body;
}

std::optional<std::size_t> reported_duplicates(std::string_view response_body) {
  boost::system::error_code ec;
  const json::value v = json::parse(response_body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* d = v.as_object().if_contains("duplicates");
  if (d == nullptr) return std::nullopt;
  if (d->is_int64() && d->as_int64() >= 0) return static_cast<std::size_t>(d->as_int64());
  if (d->is_uint64()) return d->as_uint64();
  return std::nullopt;
}

std::vector<std::size_t> rejected_positions(std::string_view response_body, std::size_t count) {
  std::vector<std::size_t> out;
  boost::system::error_code ec;
  const json::value v = json::parse(response_body, ec);
  if (ec || !v.is_object()) return out;
  const auto* detail = v.as_object().if_contains("detail");
  if (detail == nullptr || !detail->is_array()) return out;
  for (const auto& problem : detail->as_array()) {
    const auto* loc = problem.is_object() ? problem.as_object().if_contains("loc") : nullptr;
    if (loc == nullptr || !loc->is_array() || loc->as_array().size() < 2) return {};
    const auto& position = loc->as_array()[1];
    if (!position.is_int64() || position.as_int64() < 0 ||
        static_cast<std::size_t>(position.as_int64()) >= count)
      return {};  // a problem with the request as a whole
    out.push_back(static_cast<std::size_t>(position.as_int64()));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace evs::propagator

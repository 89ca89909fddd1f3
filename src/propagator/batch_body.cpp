#include "propagator/batch_body.hpp"

#include "core/json_text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace evs::propagator {
namespace {

namespace json = boost::json;

void append_event(std::string& out, const spooled_event& e) {
  out += "{\"event_id\":";
  core::append_json_string(out, e.event_id);
  out += ",\"event_type\":";
  core::append_json_string(out, e.event_type);
  out += ",\"event_payload\":";
  out += e.payload_json;
  out += ",\"occurred_at\":";
  core::append_json_string(out, e.occurred_at);
  out += '}';
}

}  // namespace

batch_body make_batch_body(std::span<const spooled_event> events, std::size_t max_bytes) {
  batch_body body;
  body.json = "[";
  std::string item;
  for (const auto& e : events) {
    item.clear();
    if (body.count > 0) item += ',';
    append_event(item, e);
    if (body.count > 0 && body.json.size() + item.size() + 1 > max_bytes) break;
    body.json += item;
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

#include "core/validation.hpp"

#include "core/json_raw.hpp"
#include "core/json_text.hpp"
#include "core/rfc3339.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace evs::core {
namespace {

namespace json = boost::json;

constexpr std::size_t max_event_type_chars = 255;
constexpr std::size_t max_event_id_chars = 128;

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Code points that have no place in a name: C0 and C1 controls, DEL, the line and paragraph
// separators, and the bidi embeddings, overrides and isolates that reorder what a log reader sees.
bool forbidden_in_name(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// `s` is valid UTF-8 (Boost.JSON refuses anything else), so a lead byte tells the length.
bool has_forbidden_code_point(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t cp = length == 1   ? lead
                  : length == 2 ? (lead & 0x1Fu)
                  : length == 3 ? (lead & 0x0Fu)
                                : (lead & 0x07u);
    for (std::size_t k = 1; k < length && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    if (forbidden_in_name(cp)) return true;
    i += length;
  }
  return false;
}

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// Builds locations such as ["body", 3, "event_type"]; `index` < 0 means a single object.
class location {
 public:
  explicit location(long index) : index_{index} {}
  json::array at(std::string_view field = {}) const {
    json::array loc{"body"};
    if (index_ >= 0) loc.emplace_back(index_);
    if (!field.empty()) loc.emplace_back(field);
    return loc;
  }

 private:
  long index_;
};

void add(std::vector<field_error>& errors, json::array loc, std::string msg, std::string type) {
  errors.push_back({std::move(loc), std::move(msg), std::move(type)});
}

// Optional string fields: absent and null both mean "not given".
const json::value* optional_member(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

void check_event_type(const json::value& v, const location& at, std::vector<field_error>& errors,
                      std::optional<std::string>& out) {
  if (!v.is_string()) {
    add(errors, at.at("event_type"), "Input should be a valid string", "string_type");
    return;
  }
  const auto& s = v.get_string();
  const auto length = utf8_length(s);
  if (length == 0) {
    add(errors, at.at("event_type"), "String should have at least 1 character", "string_too_short");
  } else if (length > max_event_type_chars) {
    add(errors, at.at("event_type"), "String should have at most 255 characters",
        "string_too_long");
  } else if (has_forbidden_code_point(s)) {
    // NUL cannot be stored by PostgreSQL, and no control character belongs in a type name.
    add(errors, at.at("event_type"), "String should not contain control characters",
        "string_control_characters");
  } else {
    out = std::string{s};
  }
}

// `raw` is the payload's text as the client wrote it; it is what gets stored, so that the
// payload comes back byte for byte (numbers beyond 64 bits included).
void check_payload(const json::value& v, std::optional<std::string_view> raw, const location& at,
                   const validation_limits& limits, std::vector<field_error>& errors,
                   std::optional<std::string>& out) {
  if (!v.is_string() && !v.is_object() && !v.is_array()) {
    add(errors, at.at("event_payload"), "Input should be a string, an object or an array",
        "payload_type");
    return;
  }
  std::string text = raw ? std::string{*raw} : to_json_text(v);
  if (text.size() > limits.max_payload_bytes) {
    add(errors, at.at("event_payload"),
        "Payload should be at most " + std::to_string(limits.max_payload_bytes) +
            " bytes as JSON text",
        "payload_too_large");
    return;
  }
  out = std::move(text);
}

void check_occurred_at(const json::value& v, const location& at, std::vector<field_error>& errors,
                       std::optional<std::string>& out) {
  if (!v.is_string() || !parse_rfc3339(v.get_string())) {
    add(errors, at.at("occurred_at"), "Input should be an RFC 3339 timestamp", "datetime_parsing");
    return;
  }
  out = std::string{v.get_string()};
}

void check_event(const json::value& item, std::optional<std::string_view> raw_payload,
                 const location& at, const validation_limits& limits, parsed_events& result) {
  if (!item.is_object()) {
    add(result.errors, at.at(),
        "Input should be a valid dictionary or object to extract fields from",
        "model_attributes_type");
    return;
  }
  const auto& obj = item.get_object();
  const auto errors_before = result.errors.size();
  std::optional<std::string> type, payload, occurred_at;

  if (const auto* v = obj.if_contains("event_type"))
    check_event_type(*v, at, result.errors, type);
  else
    add(result.errors, at.at("event_type"), "Field required", "missing");

  if (const auto* v = obj.if_contains("event_payload"))
    check_payload(*v, raw_payload, at, limits, result.errors, payload);
  else
    add(result.errors, at.at("event_payload"), "Field required", "missing");

  std::string event_id;
  if (const auto* v = optional_member(obj, "event_id")) {
    if (!v->is_string()) {
      add(result.errors, at.at("event_id"), "Input should be a valid string", "string_type");
    } else if (const auto& s = v->get_string();
               s.empty() || s.size() > max_event_id_chars || !printable_ascii(s)) {
      add(result.errors, at.at("event_id"),
          "event_id should be 1 to 128 printable ASCII characters", "event_id_format");
    } else {
      event_id = std::string{s};
    }
  }
  if (const auto* v = optional_member(obj, "occurred_at"))
    check_occurred_at(*v, at, result.errors, occurred_at);

  if (result.errors.size() != errors_before) return;
  result.events.push_back(
      {std::move(event_id), std::move(*type), std::move(*payload), std::move(occurred_at), 0});
}

// Parses into a per-call arena: one allocation pattern per request, freed at once.
std::optional<std::string_view> first_raw_payload(std::string_view body) {
  const auto raw = raw_member_values(body, "event_payload");
  return raw.empty() ? std::nullopt : raw.front();
}

// The returned value keeps the arena as its storage; `ok` says whether it parsed.
json::value parse_body(std::string_view body, std::vector<field_error>& errors,
                       json::monotonic_resource& arena, bool& ok) {
  boost::system::error_code ec;
  json::value root = json::parse(body, ec, &arena);
  ok = !ec;
  if (ec) add(errors, json::array{"body"}, "JSON decode error: " + ec.message(), "json_invalid");
  return root;
}

}  // namespace

parsed_events parse_event_batch(std::string_view body, const validation_limits& limits) {
  parsed_events result;
  unsigned char buffer[4096];
  json::monotonic_resource arena{buffer, sizeof buffer};
  bool ok = false;
  const json::value root = parse_body(body, result.errors, arena, ok);
  if (!ok) return result;

  if (root.is_array()) {
    const auto& items = root.get_array();
    if (items.empty()) {
      add(result.errors, json::array{"body"}, "List should have at least 1 item", "too_short");
      return result;
    }
    if (items.size() > limits.max_batch) {
      result.too_many = true;
      return result;
    }
    const auto raw = raw_member_values(body, "event_payload");
    result.events.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
      check_event(items[i], i < raw.size() ? raw[i] : std::nullopt, location{static_cast<long>(i)},
                  limits, result);
  } else {
    check_event(root, first_raw_payload(body), location{-1}, limits, result);
  }
  if (!result.errors.empty()) result.events.clear();
  return result;
}

parsed_events parse_single_event(std::string_view body, const validation_limits& limits) {
  parsed_events result;
  json::monotonic_resource arena;
  bool ok = false;
  const json::value root = parse_body(body, result.errors, arena, ok);
  if (!ok) return result;
  check_event(root, first_raw_payload(body), location{-1}, limits, result);
  if (!result.errors.empty()) result.events.clear();
  return result;
}

parsed_update parse_event_update(std::string_view body, bool replace,
                                 const validation_limits& limits) {
  parsed_update result;
  json::monotonic_resource arena;
  bool ok = false;
  const json::value root = parse_body(body, result.errors, arena, ok);
  if (!ok) return result;
  const location at{-1};
  if (!root.is_object()) {
    add(result.errors, at.at(),
        "Input should be a valid dictionary or object to extract fields from",
        "model_attributes_type");
    return result;
  }
  const auto& obj = root.get_object();
  if (const auto* v = obj.if_contains("event_type"))
    check_event_type(*v, at, result.errors, result.update.event_type);
  else if (replace)
    add(result.errors, at.at("event_type"), "Field required", "missing");

  if (const auto* v = obj.if_contains("event_payload"))
    check_payload(*v, first_raw_payload(body), at, limits, result.errors,
                  result.update.payload_json);
  else if (replace)
    add(result.errors, at.at("event_payload"), "Field required", "missing");

  if (const auto* v = obj.if_contains("occurred_at")) {
    if (v->is_null()) {
      result.update.occurred_at = std::optional<std::string>{};
    } else {
      std::optional<std::string> occurred_at;
      check_occurred_at(*v, at, result.errors, occurred_at);
      if (occurred_at) result.update.occurred_at = std::move(occurred_at);
    }
  } else if (replace) {
    result.update.occurred_at = std::optional<std::string>{};
  }
  return result;
}

std::string validation_error_body(const std::vector<field_error>& errors) {
  json::array detail;
  detail.reserve(errors.size());
  for (const auto& e : errors)
    detail.push_back(json::object{{"loc", e.loc}, {"msg", e.msg}, {"type", e.type}});
  std::string out = R"({"detail":)";
  append_json(out, detail);
  out += "}";
  return out;
}

}  // namespace evs::core

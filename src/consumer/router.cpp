#include "consumer/router.hpp"

namespace evs::consumer {

namespace {

// The text of the first segment of `path` (which starts with '/'), and the rest after it.
std::string_view next_segment(std::string_view& path) {
  const auto end = path.find('/', 1);
  const auto segment = path.substr(1, end == std::string_view::npos ? path.npos : end - 1);
  path.remove_prefix(end == std::string_view::npos ? path.size() : end);
  return segment;
}

// Whether `path` fits `pattern` segment by segment; a `{name}` segment's text goes to `param`.
bool fits(std::string_view pattern, std::string_view path, std::string_view& param) {
  if (!path.starts_with('/')) return false;
  while (!pattern.empty() && !path.empty()) {
    const auto expected = next_segment(pattern);
    const auto actual = next_segment(path);
    if (expected.starts_with('{'))
      param = actual;
    else if (expected != actual)
      return false;
  }
  return pattern.empty() && path.empty();
}

}  // namespace

route match_route(std::string_view method, std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  std::string allow;
  for (const auto& row : route_table) {
    std::string_view param;
    if (!fits(row.path, path, param)) continue;
    if (row.method == method) return {row.target, std::string{param}, {}};
    if (!allow.empty()) allow += ", ";
    allow += row.method;
  }
  if (allow.empty()) return {endpoint::not_found, {}, {}};
  return {endpoint::method_not_allowed, {}, std::move(allow)};
}

access_rule access_for(endpoint e) {
  switch (e) {
    case endpoint::ingest:
    case endpoint::create_event: return {true, auth::scope::write};
    case endpoint::list_events:
    case endpoint::get_event: return {true, auth::scope::read};
    case endpoint::replace_event:
    case endpoint::patch_event:
    case endpoint::delete_event: return {true, auth::scope::admin};
    case endpoint::ready: return {true, std::nullopt};
    case endpoint::health:
    case endpoint::metrics:
    case endpoint::openapi:
    case endpoint::docs:
    case endpoint::docs_asset:
    case endpoint::dashboard:
    case endpoint::dashboard_asset:
    case endpoint::not_found:
    case endpoint::method_not_allowed: return {false, std::nullopt};
  }
  return {true, std::nullopt};
}

route_name name_of(endpoint e) {
  for (const auto& row : route_table)
    if (row.target == e) return {row.method, row.path};
  return {};
}

bool follows_metrics(endpoint e) {
  return e == endpoint::metrics || e == endpoint::dashboard || e == endpoint::dashboard_asset;
}

bool has_body(endpoint e) {
  return e == endpoint::ingest || e == endpoint::create_event || e == endpoint::replace_event ||
         e == endpoint::patch_event;
}

}  // namespace evs::consumer

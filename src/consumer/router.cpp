#include "consumer/router.hpp"

namespace evs::consumer {

route match_route(std::string_view method, std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto one = [&](std::string_view allowed, endpoint e) -> route {
    if (method == allowed) return {e, {}, {}};
    return {endpoint::method_not_allowed, {}, std::string{allowed}};
  };
  if (path == "/api/event" || path == "/event") return one("POST", endpoint::ingest);
  if (path == "/api/ready" || path == "/ready") return one("GET", endpoint::ready);
  if (path == "/healthz") return one("GET", endpoint::health);
  if (path == "/metrics") return one("GET", endpoint::metrics);
  if (path == "/api/events") {
    if (method == "POST") return {endpoint::create_event, {}, {}};
    if (method == "GET") return {endpoint::list_events, {}, {}};
    return {endpoint::method_not_allowed, {}, "GET, POST"};
  }
  constexpr std::string_view prefix = "/api/events/";
  if (path.starts_with(prefix) && path.find('/', prefix.size()) == std::string_view::npos) {
    std::string id{path.substr(prefix.size())};
    if (method == "GET") return {endpoint::get_event, std::move(id), {}};
    if (method == "PUT") return {endpoint::replace_event, std::move(id), {}};
    if (method == "PATCH") return {endpoint::patch_event, std::move(id), {}};
    if (method == "DELETE") return {endpoint::delete_event, std::move(id), {}};
    return {endpoint::method_not_allowed, {}, "GET, PUT, PATCH, DELETE"};
  }
  return {endpoint::not_found, {}, {}};
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
    case endpoint::not_found:
    case endpoint::method_not_allowed: return {false, std::nullopt};
  }
  return {true, std::nullopt};
}

route_name name_of(endpoint e) {
  switch (e) {
    case endpoint::ingest: return {"POST", "/api/event"};
    case endpoint::ready: return {"GET", "/api/ready"};
    case endpoint::health: return {"GET", "/healthz"};
    case endpoint::create_event: return {"POST", "/api/events"};
    case endpoint::list_events: return {"GET", "/api/events"};
    case endpoint::get_event: return {"GET", "/api/events/{id}"};
    case endpoint::replace_event: return {"PUT", "/api/events/{id}"};
    case endpoint::patch_event: return {"PATCH", "/api/events/{id}"};
    case endpoint::delete_event: return {"DELETE", "/api/events/{id}"};
    case endpoint::metrics: return {"GET", "/metrics"};
    case endpoint::not_found:
    case endpoint::method_not_allowed: break;
  }
  return {};
}

bool has_body(endpoint e) {
  return e == endpoint::ingest || e == endpoint::create_event || e == endpoint::replace_event ||
         e == endpoint::patch_event;
}

}  // namespace evs::consumer

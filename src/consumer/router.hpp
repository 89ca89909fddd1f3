#pragma once
// Which endpoint a method and path name. Pure: tested without sockets.
#include "auth/scopes.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace evs::consumer {

// The routes first, then not_found and method_not_allowed: the metrics keep a slot per route,
// indexed by endpoint up to routed_endpoints.
enum class endpoint {
  ingest,         // POST /api/event, /event
  ready,          // GET /api/ready, /ready
  health,         // GET /healthz
  create_event,   // POST /api/events
  list_events,    // GET /api/events
  get_event,      // GET /api/events/{id}
  replace_event,  // PUT /api/events/{id}
  patch_event,    // PATCH /api/events/{id}
  delete_event,   // DELETE /api/events/{id}
  metrics,        // GET /metrics
  not_found,
  method_not_allowed,
};

struct route {
  endpoint target = endpoint::not_found;
  std::string id;     // the {id} segment, undecoded
  std::string allow;  // for method_not_allowed: the Allow header
};

inline constexpr std::size_t routed_endpoints = static_cast<std::size_t>(endpoint::not_found);

route match_route(std::string_view method, std::string_view path);

// How the metrics name a route: its method and its path as a template ("/api/events/{id}");
// empty for not_found and method_not_allowed.
struct route_name {
  std::string_view method;
  std::string_view path;
};
route_name name_of(endpoint e);

// What a request to the endpoint must present: a valid token or none, and which scope
// (no scope: any valid token will do, as for /api/ready).
struct access_rule {
  bool token_required = true;
  std::optional<auth::scope> scope;
};
access_rule access_for(endpoint e);

// Whether requests to the endpoint carry a JSON body.
bool has_body(endpoint e);

}  // namespace evs::consumer

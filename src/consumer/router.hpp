#pragma once
// Which endpoint a method and path name. Pure: tested without sockets.
#include "auth/scopes.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace evs::consumer {

// The routes first, then not_found and method_not_allowed: the metrics keep a slot per route,
// indexed by endpoint up to routed_endpoints.
enum class endpoint {
  ingest,           // POST /api/event, /event
  ready,            // GET /api/ready, /ready
  health,           // GET /healthz
  create_event,     // POST /api/events
  list_events,      // GET /api/events
  get_event,        // GET /api/events/{id}
  replace_event,    // PUT /api/events/{id}
  patch_event,      // PATCH /api/events/{id}
  delete_event,     // DELETE /api/events/{id}
  metrics,          // GET /metrics
  openapi,          // GET /openapi.json
  docs,             // GET /docs
  docs_asset,       // GET /docs/{file}
  dashboard,        // GET /dashboard
  dashboard_asset,  // GET /dashboard/{file}
  not_found,
  method_not_allowed,
};

// One row per method and path template: the matcher walks this table, and the OpenAPI test
// checks the document against it, so the routes are written down once. A `{name}` segment
// matches any one segment. Rows of one path keep the order their Allow header lists them in.
struct route_spec {
  std::string_view method;
  std::string_view path;
  endpoint target;
};
inline constexpr std::array<route_spec, 17> route_table{{
    {"POST", "/api/event", endpoint::ingest},
    {"POST", "/event", endpoint::ingest},
    {"GET", "/api/ready", endpoint::ready},
    {"GET", "/ready", endpoint::ready},
    {"GET", "/healthz", endpoint::health},
    {"GET", "/api/events", endpoint::list_events},
    {"POST", "/api/events", endpoint::create_event},
    {"GET", "/api/events/{id}", endpoint::get_event},
    {"PUT", "/api/events/{id}", endpoint::replace_event},
    {"PATCH", "/api/events/{id}", endpoint::patch_event},
    {"DELETE", "/api/events/{id}", endpoint::delete_event},
    {"GET", "/metrics", endpoint::metrics},
    {"GET", "/openapi.json", endpoint::openapi},
    {"GET", "/docs", endpoint::docs},
    {"GET", "/docs/{file}", endpoint::docs_asset},
    {"GET", "/dashboard", endpoint::dashboard},
    {"GET", "/dashboard/{file}", endpoint::dashboard_asset},
}};

struct route {
  endpoint target = endpoint::not_found;
  std::string id;     // the {id} or {file} segment, undecoded
  std::string allow;  // for method_not_allowed: the Allow header
};

inline constexpr std::size_t routed_endpoints = static_cast<std::size_t>(endpoint::not_found);

route match_route(std::string_view method, std::string_view path);

// How the metrics name a route: its method and its path as a template ("/api/events/{id}"), from
// the endpoint's first row of route_table; empty for not_found and method_not_allowed.
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

// The operator's pages that follow /metrics: off with METRICS=off, on the admin listener with
// ADMIN_PORT.
bool follows_metrics(endpoint e);

// Whether requests to the endpoint carry a JSON body.
bool has_body(endpoint e);

}  // namespace evs::consumer

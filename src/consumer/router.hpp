#pragma once
// Which endpoint a method and path name. Pure: tested without sockets.
#include "auth/scopes.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace evs::consumer {

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
  not_found,
  method_not_allowed,
};

struct route {
  endpoint target = endpoint::not_found;
  std::string id;     // the {id} segment, undecoded
  std::string allow;  // for method_not_allowed: the Allow header
};

route match_route(std::string_view method, std::string_view path);

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

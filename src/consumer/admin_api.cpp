#include "consumer/admin_api.hpp"

#include "consumer/responses.hpp"

namespace evs::consumer {

bool admin_api::served(endpoint e) const {
  return e == endpoint::openapi || e == endpoint::docs || e == endpoint::docs_asset ||
         (follows_metrics(e) && metrics_);
}

server::admission admin_api::admit(const server::http_request& head) {
  const auto refuse = [](endpoint e, server::http_response refusal) {
    return server::admission{std::move(refusal), {static_cast<unsigned>(e), {}}};
  };
  auto r = match_route("GET", head.path);  // every operator page is GET
  // The rest is the main listener's API, token rules and all, so that /docs' "Try it out" and
  // the dashboard's event panels, which call their own origin, work on this port too.
  if (!served(r.target)) return api_.admit(head);
  if (head.method != "GET") return refuse(endpoint::method_not_allowed, method_not_allowed("GET"));
  if (head.has_body()) return refuse(r.target, body_not_taken());
  return {std::nullopt, {static_cast<unsigned>(r.target), std::move(r.id)}};
}

// The main handler's answers: what is served here, admit() decided.
boost::asio::awaitable<server::http_response> admin_api::respond(
    const server::matched_route& route, const server::http_request& request) {
  return api_.respond(route, request);
}

server::http_response admin_api::on_protocol_error(server::protocol_error error,
                                                   std::string_view detail) {
  return api_.on_protocol_error(error, detail);
}

void admin_api::on_answered(const server::matched_route* route, unsigned status,
                            std::size_t request_body_bytes,
                            std::chrono::nanoseconds elapsed) noexcept {
  api_.on_answered(route, status, request_body_bytes, elapsed);
}

}  // namespace evs::consumer

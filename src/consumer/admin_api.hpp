#pragma once
// The handler of the second listener (ADMIN_PORT): the operator's pages, GET /metrics and
// /dashboard (unless METRICS=off), /openapi.json and /docs, for operators who keep them off the
// public port. It also serves the API as the main listener does (same tokens), since the pages
// call their own origin. Answers and counts as the main listener's handler does.
#include "consumer/event_api.hpp"
#include "server/request_handler.hpp"

namespace evs::consumer {

class admin_api final : public server::request_handler {
 public:
  admin_api(event_api& api, bool metrics) : api_{api}, metrics_{metrics} {}

  server::admission admit(const server::http_request& head) override;
  boost::asio::awaitable<server::http_response> respond(
      const server::matched_route& route, const server::http_request& request) override;
  server::http_response on_protocol_error(server::protocol_error error,
                                          std::string_view detail) override;
  void on_answered(const server::matched_route* route, unsigned status,
                   std::size_t request_body_bytes,
                   std::chrono::nanoseconds elapsed) noexcept override;

 private:
  bool served(endpoint e) const;

  event_api& api_;
  bool metrics_;
};

}  // namespace evs::consumer

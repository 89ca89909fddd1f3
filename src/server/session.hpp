#pragma once
// One coroutine per connection, one request at a time: read its head, let the handler admit
// it (route, token, limits), read its body, respond; repeat while keep-alive lasts. Every read
// has a size limit and a deadline.
#include "server/request_handler.hpp"
#include "server/server_config.hpp"
#include "server/session_registry.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace evs::server {

boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket,
                                         const server_config& config, request_handler& handler,
                                         session_registry& registry);

}  // namespace evs::server

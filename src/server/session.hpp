#pragma once
// One coroutine per connection: read with limits and deadlines, hand the request to the
// handler, write the answer, repeat while keep-alive lasts.
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

#pragma once
// One coroutine per connection: read with limits and timeouts, hand the request to the
// handler, write the answer, repeat while keep-alive lasts.
#include "server/request_handler.hpp"
#include "server/server_config.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <list>

namespace evs::server {

// Per-thread bookkeeping that lets shutdown close idle connections at once.
struct session_registry {
  struct entry {
    boost::asio::ip::tcp::socket* socket = nullptr;
    bool idle = true;  // waiting for the next request
  };
  std::list<entry> sessions;
  bool stopping = false;
};

boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket,
                                         const server_config& config, request_handler& handler,
                                         session_registry& registry);

}  // namespace evs::server

#include "server/session_registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace evs::server {

namespace asio = boost::asio;

registration::registration(session_registry& registry, asio::ip::tcp::socket& socket)
    : registry_{registry}, it_{registry.sessions.insert(registry.sessions.end(), {&socket})} {}

registration::~registration() { registry_.sessions.erase(it_); }

void close_expired(session_registry& registry, deadline_clock::time_point now) {
  for (auto& s : registry.sessions) {
    if (s.deadline >= now || !s.socket->is_open()) continue;
    boost::system::error_code ignored;
    if (s.answer_on_timeout && !s.timed_out) {
      s.timed_out = true;
      s.answer_on_timeout = false;
      s.deadline = now + std::chrono::seconds{1};  // time to write the 408
      s.socket->cancel(ignored);
      continue;
    }
    s.socket->close(ignored);
  }
}

asio::awaitable<void> enforce_deadlines(session_registry& registry,
                                        std::chrono::milliseconds tick) {
  asio::steady_timer timer{co_await asio::this_coro::executor};
  while (!(registry.stopping && registry.sessions.empty())) {
    timer.expires_after(tick);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    close_expired(registry, deadline_clock::now());
  }
}

std::chrono::milliseconds deadline_tick(std::chrono::milliseconds shortest_timeout) {
  return std::clamp(shortest_timeout / 8, std::chrono::milliseconds{5},
                    std::chrono::milliseconds{250});
}

}  // namespace evs::server

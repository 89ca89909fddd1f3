#pragma once
// Per-thread bookkeeping of the live connections: which are idle (shutdown closes those at
// once) and by when each one's current read or write must finish. One periodic sweep per
// thread enforces those deadlines, instead of a timer armed and cancelled around every
// read and write.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <list>

namespace evs::server {

using deadline_clock = std::chrono::steady_clock;

struct session_registry {
  struct entry {
    boost::asio::ip::tcp::socket* socket = nullptr;
    bool idle = true;  // waiting for the next request
    deadline_clock::time_point deadline = deadline_clock::time_point::max();
    bool answer_on_timeout = false;  // a request is being read: a timeout gets a 408 first
    bool timed_out = false;          // its read was cancelled so that the 408 can be sent
  };
  std::list<entry> sessions;
  bool stopping = false;
};

// A session's entry in the registry, for as long as the session lives.
class registration {
 public:
  registration(session_registry& registry, boost::asio::ip::tcp::socket& socket);
  ~registration();
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;

  void set_idle(bool idle) { it_->idle = idle; }
  // The next read or write must end within `timeout`, or the connection is closed.
  void deadline_in(std::chrono::milliseconds timeout) {
    it_->deadline = deadline_clock::now() + timeout;
    it_->answer_on_timeout = false;
  }
  // The rest of a request must arrive within `timeout`; if it does not, the pending read is
  // cancelled (timed_out() turns true) and the session has a moment to answer 408.
  void request_deadline_in(std::chrono::milliseconds timeout) {
    it_->deadline = deadline_clock::now() + timeout;
    it_->answer_on_timeout = true;
  }
  bool timed_out() const { return it_->timed_out; }
  // While the handler works on a request, the connection has no deadline of its own.
  void no_deadline() {
    it_->deadline = deadline_clock::time_point::max();
    it_->answer_on_timeout = false;
  }

 private:
  session_registry& registry_;
  std::list<session_registry::entry>::iterator it_;
};

// Closes every connection whose deadline is before `now`: its pending read or write ends
// with operation_aborted, and its session ends. A connection reading a request is first only
// cancelled, and closed if it is still there a second later.
void close_expired(session_registry& registry, deadline_clock::time_point now);

// Calls close_expired every `tick` until the registry is stopping and no session is left.
boost::asio::awaitable<void> enforce_deadlines(session_registry& registry,
                                               std::chrono::milliseconds tick);

// How often to sweep: often enough that a timeout fires within an eighth of its length.
std::chrono::milliseconds deadline_tick(std::chrono::milliseconds shortest_timeout);

}  // namespace evs::server

#pragma once
// A scripted HTTP/1.1 server on 127.0.0.1 for the propagator's integration tests: it answers
// each POST with the next scripted reply, and once the script is used up behaves like the
// consumer (stores the events by event_id, counts duplicates). One thread, poll(), any
// number of keep-alive connections.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace evs::propagator::testing {

struct scripted_reply {
  enum class kind {
    answer,        // send status, headers, body
    close,         // read the request, close the connection without a word
    commit_close,  // store the events like a 200, then close: the answer is lost
    hang,          // read the request, never answer (the client times out)
  };
  kind what = kind::answer;
  int status = 200;
  std::string body;  // empty with a 2xx: the consumer's {"accepted":N,"duplicates":D}
  std::vector<std::pair<std::string, std::string>> headers;
};

struct recorded_request {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::size_t connection = 0;  // which connection carried it, counted from 1
};

class test_http_server {
 public:
  // Port 0: any free port.
  explicit test_http_server(std::uint16_t port = 0);
  ~test_http_server();
  test_http_server(const test_http_server&) = delete;
  test_http_server& operator=(const test_http_server&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/event"; }

  void push(scripted_reply reply);
  void push(int status, std::string body = {},
            std::vector<std::pair<std::string, std::string>> headers = {});
  void push(scripted_reply::kind what);

  std::vector<recorded_request> requests() const;
  std::size_t connections() const;
  // event_id -> how many committed requests carried it. The server, like the consumer, stores
  // an id once; more than 1 means the propagator sent it again after a commit.
  std::map<std::string, int> deliveries() const;

 private:
  void serve();
  std::string handle(const recorded_request& request, scripted_reply::kind& what);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::deque<scripted_reply> script_;
  std::vector<recorded_request> requests_;
  std::map<std::string, int> deliveries_;
  std::size_t connections_ = 0;
  std::thread thread_;
};

// A port on 127.0.0.1 with nothing listening (a moment ago something was).
std::uint16_t unused_port();

}  // namespace evs::propagator::testing

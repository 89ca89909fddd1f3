#pragma once
// A scripted HTTP/1.1 endpoint on 127.0.0.1 for tests of HTTP clients (the propagator): each
// request gets the next scripted reply; once the script is used up it answers like the
// consumer (stores the events by event_id, counts duplicates). Every request is recorded.
// Beast on one I/O thread, any number of keep-alive connections.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace evs::test {

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

class scripted_server {
 public:
  // Port 0: any free port.
  explicit scripted_server(std::uint16_t port = 0);
  ~scripted_server();
  scripted_server(const scripted_server&) = delete;
  scripted_server& operator=(const scripted_server&) = delete;

  std::uint16_t port() const noexcept;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/api/event"; }

  void push(scripted_reply reply);
  void push(int status, std::string body = {},
            std::vector<std::pair<std::string, std::string>> headers = {});
  void push(scripted_reply::kind what);

  std::vector<recorded_request> requests() const;
  std::size_t connections() const;
  // event_id -> how many committed requests carried it. The server, like the consumer, stores
  // an id once; more than 1 means the client sent it again after a commit.
  std::map<std::string, int> deliveries() const;

 private:
  struct parts;
  std::unique_ptr<parts> parts_;
};

// A port on 127.0.0.1 with nothing listening (a moment ago something was).
std::uint16_t unused_port();

}  // namespace evs::test

#include "propagator_test_server.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace evs::propagator::testing {
namespace {

int listen_on(std::uint16_t port, std::uint16_t& bound) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    ::close(fd);
    throw std::runtime_error(std::string{"bind/listen failed: "} + std::strerror(errno));
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  bound = ntohs(addr.sin_port);
  return fd;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const char* reason_of(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

// One complete request at the front of `buffer`, removed from it; false when incomplete.
bool take_request(std::string& buffer, recorded_request& out) {
  const auto end_of_head = buffer.find("\r\n\r\n");
  if (end_of_head == std::string::npos) return false;
  const std::string head = buffer.substr(0, end_of_head);
  recorded_request request;
  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.find(' ', sp1 + 1);
  request.method = request_line.substr(0, sp1);
  request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  while (line_end != std::string::npos && line_end < head.size()) {
    const auto start = line_end + 2;
    line_end = head.find("\r\n", start);
    const auto line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    request.headers[lower(line.substr(0, colon))] = value;
  }
  std::size_t length = 0;
  if (auto it = request.headers.find("content-length"); it != request.headers.end())
    length = std::stoul(it->second);
  if (buffer.size() < end_of_head + 4 + length) return false;
  request.body = buffer.substr(end_of_head + 4, length);
  buffer.erase(0, end_of_head + 4 + length);
  out = std::move(request);
  return true;
}

void write_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace

test_http_server::test_http_server(std::uint16_t port) {
  listen_fd_ = listen_on(port, port_);
  thread_ = std::thread{[this] { serve(); }};
}

test_http_server::~test_http_server() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void test_http_server::push(scripted_reply reply) {
  const std::lock_guard lock{mutex_};
  script_.push_back(std::move(reply));
}

void test_http_server::push(int status, std::string body,
                            std::vector<std::pair<std::string, std::string>> headers) {
  push(scripted_reply{scripted_reply::kind::answer, status, std::move(body), std::move(headers)});
}

void test_http_server::push(scripted_reply::kind what) { push(scripted_reply{what, 0, {}, {}}); }

std::vector<recorded_request> test_http_server::requests() const {
  const std::lock_guard lock{mutex_};
  return requests_;
}

std::size_t test_http_server::connections() const {
  const std::lock_guard lock{mutex_};
  return connections_;
}

std::map<std::string, int> test_http_server::deliveries() const {
  const std::lock_guard lock{mutex_};
  return deliveries_;
}

std::string test_http_server::handle(const recorded_request& request, scripted_reply::kind& what) {
  const std::lock_guard lock{mutex_};
  requests_.push_back(request);
  scripted_reply reply;
  if (!script_.empty()) {
    reply = std::move(script_.front());
    script_.pop_front();
  }
  what = reply.what;
  if (what == scripted_reply::kind::close || what == scripted_reply::kind::hang) return {};
  const bool commit =
      what == scripted_reply::kind::commit_close || (reply.status >= 200 && reply.status < 300);
  if (commit) {
    std::size_t accepted = 0;
    std::size_t duplicates = 0;
    const auto parsed = boost::json::parse(request.body);
    for (const auto& e : parsed.as_array()) {
      const std::string id{e.as_object().at("event_id").as_string()};
      (deliveries_[id]++ == 0 ? accepted : duplicates)++;
    }
    if (reply.body.empty())
      reply.body = R"({"status_code":"200","accepted":)" + std::to_string(accepted) +
                   R"(,"duplicates":)" + std::to_string(duplicates) + "}";
  }
  if (what == scripted_reply::kind::commit_close) return {};
  std::string out =
      "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_of(reply.status) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reply.body.size()) +
      "\r\n";
  for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
  return out + "\r\n" + reply.body;
}

void test_http_server::serve() {
  struct connection {
    int fd;
    std::size_t number;
    std::string buffer;
    bool hung = false;
  };
  std::vector<connection> open;
  while (!stopping_) {
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    for (const auto& c : open) fds.push_back({c.fd, static_cast<short>(c.hung ? 0 : POLLIN), 0});
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    if ((fds[0].revents & POLLIN) != 0) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        const std::lock_guard lock{mutex_};
        open.push_back({fd, ++connections_, {}, false});
      }
    }
    for (std::size_t i = 1; i < fds.size(); ++i) {
      auto& c = open[i - 1];
      if (fds[i].revents == 0) continue;
      char chunk[16384];
      const auto n = ::recv(c.fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        ::close(c.fd);
        c.fd = -1;
        continue;
      }
      c.buffer.append(chunk, static_cast<std::size_t>(n));
      recorded_request request;
      while (c.fd >= 0 && !c.hung && take_request(c.buffer, request)) {
        request.connection = c.number;
        scripted_reply::kind what{};
        const auto response = handle(request, what);
        if (what == scripted_reply::kind::hang) {
          c.hung = true;
        } else if (response.empty()) {
          ::close(c.fd);
          c.fd = -1;
        } else {
          write_all(c.fd, response);
        }
      }
    }
    std::erase_if(open, [](const connection& c) { return c.fd < 0; });
  }
  for (const auto& c : open) ::close(c.fd);
}

std::uint16_t unused_port() {
  std::uint16_t port = 0;
  ::close(listen_on(0, port));
  return port;
}

}  // namespace evs::propagator::testing

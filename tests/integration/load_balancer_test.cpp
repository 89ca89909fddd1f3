// Two consumers on one PostgreSQL database behind real nginx, configured with the sample in
// deploy/nginx/: writers through nginx with overlapping event_ids, one consumer killed midway,
// and every event stored exactly once.
#include "support/backends.hpp"
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <boost/json/value.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <thread>

namespace evs::test {
namespace {

constexpr const char* nginx_binary = "/usr/sbin/nginx";

std::string read_file(const std::filesystem::path& path) { return read_text_file(path); }

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

std::uint16_t free_port() {
  // Any port the kernel hands out for loopback; nginx binds it right after.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Sends `ids` in batches through `port`, retrying a batch with the same event_ids until it
// is acknowledged, as a client of the pipeline does. Returns the accepted count.
std::size_t send_all(std::uint16_t port, const std::vector<std::string>& ids,
                     const std::string& token) {
  std::size_t accepted = 0;
  for (std::size_t start = 0; start < ids.size(); start += 10) {
    std::string body = "[";
    for (std::size_t i = start; i < std::min(ids.size(), start + 10); ++i) {
      if (i != start) body += ",";
      body += R"({"event_type":"lb","event_payload":{"n":)" + std::to_string(i) +
              R"(},"event_id":")" + ids[i] + "\"}";
    }
    body += "]";
    bool done = false;
    for (int attempt = 0; attempt < 200 && !done; ++attempt) {
      try {
        const auto reply =
            http_once(port, "POST", "/api/event", body, {{"Authorization", bearer(token)}});
        if (reply.status == 200) {
          accepted +=
              static_cast<std::size_t>(reply.json().at("accepted").to_number<std::int64_t>());
          done = true;
        }
      } catch (const std::exception&) {
        // A connection cut by the killed instance: retry with the same ids.
      }
    }
    if (!done) throw std::runtime_error("a batch was never acknowledged");
  }
  return accepted;
}

std::map<std::string, int> stored_counts(std::uint16_t port, const std::string& token) {
  std::map<std::string, int> counts;
  std::string cursor;
  for (;;) {
    const auto target = "/api/events?event_type=lb&limit=1000" +
                        (cursor.empty() ? std::string{} : "&cursor=" + cursor);
    const auto reply = http_once(port, "GET", target, {}, {{"Authorization", bearer(token)}});
    if (reply.status != 200) throw std::runtime_error("list failed: " + reply.body);
    const auto page = reply.json();
    for (const auto& item : page.at("items").as_array())
      ++counts[std::string{item.at("event_id").as_string()}];
    if (page.at("next_cursor").is_null()) break;
    cursor = std::string{page.at("next_cursor").as_string()};
  }
  return counts;
}

TEST(LoadBalancer, TwoConsumersBehindNginxStoreEveryEventOnce) {
  ASSERT_TRUE(std::filesystem::exists(nginx_binary)) << "nginx is missing: run make install";
  const auto backends = all_backends();
  const auto pg = std::find_if(backends.begin(), backends.end(),
                               [](const backend& b) { return b.name == "postgres"; });
  ASSERT_NE(pg, backends.end());
  std::unique_ptr<test_database> db;
  ASSERT_NO_THROW(db = std::make_unique<test_database>(*pg));
  const auto url = std::get<storage::postgres_config>(db->config()).params.at(0).value;

  temp_dir dir{"evs-lb"};
  consumer_process a{EVS_CONSUMER_BINARY, dir / "a.log", {{"DATABASE_URL", url}}};
  consumer_process b{EVS_CONSUMER_BINARY, dir / "b.log", {{"DATABASE_URL", url}}};
  const auto port_a = a.wait_listening();
  const auto port_b = b.wait_listening();

  // The sample configuration, pointed at these two consumers and a free port.
  auto site =
      read_file(std::filesystem::path{EVS_SOURCE_DIR} / "deploy/nginx/event-consumers.conf");
  const auto nginx_port = free_port();
  replace_all(site, "127.0.0.1:8001", "127.0.0.1:" + std::to_string(port_a));
  replace_all(site, "127.0.0.1:8002", "127.0.0.1:" + std::to_string(port_b));
  replace_all(site, "listen 127.0.0.1:8080", "listen 127.0.0.1:" + std::to_string(nginx_port));
  const auto d = dir.path().string();
  std::ofstream{dir.path() / "site.conf"} << site;
  std::ofstream{dir.path() / "nginx.conf"}
      << "daemon off;\nworker_processes 2;\npid " << d << "/nginx.pid;\nerror_log " << d
      << "/error.log warn;\nevents { worker_connections 1024; }\nhttp {\n"
      << "  log_format upstream '$upstream_addr $status';\n  access_log " << d
      << "/access.log upstream;\n  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d
      << "/proxy;\n  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d
      << "/uwsgi;\n  scgi_temp_path " << d << "/scgi;\n  include " << d << "/site.conf;\n}\n";
  process_options nginx_options;
  nginx_options.program = nginx_binary;
  nginx_options.args = {"-c", d + "/nginx.conf", "-e", d + "/error.log"};
  nginx_options.stderr_path = dir.path() / "nginx.stderr";
  child_process nginx{nginx_options};
  ASSERT_TRUE(eventually([&] {
    try {
      return http_once(nginx_port, "GET", "/healthz").status == 200;
    } catch (const std::exception&) {
      return false;
    }
  })) << read_file(dir.path() / "error.log");

  const auto token = make_token();
  // Four writers; each pair sends the same 300 ids, so every id reaches nginx twice.
  std::vector<std::string> set_one, set_two;
  for (int i = 0; i < 300; ++i) {
    set_one.push_back("lb-one-" + std::to_string(i));
    set_two.push_back("lb-two-" + std::to_string(i));
  }
  std::atomic<std::size_t> accepted{0};
  auto writer = [&](const std::vector<std::string>& ids) {
    accepted += send_all(nginx_port, ids, token);
  };
  {
    std::vector<std::jthread> writers;
    writers.emplace_back(writer, std::cref(set_one));
    writers.emplace_back(writer, std::cref(set_one));
    writers.emplace_back(writer, std::cref(set_two));
    // One instance dies while the last writer is still sending.
    writers.emplace_back([&] {
      std::vector<std::string> first_half(set_two.begin(), set_two.begin() + 150);
      std::vector<std::string> second_half(set_two.begin() + 150, set_two.end());
      accepted += send_all(nginx_port, first_half, token);
      a.kill_hard(std::chrono::seconds{10});
      accepted += send_all(nginx_port, second_half, token);
    });
  }

  // A batch committed by the killed instance whose answer was lost comes back as duplicates
  // on retry, so `accepted` may fall short of 600; it can never exceed it.
  EXPECT_LE(accepted.load(), 600U);
  EXPECT_GT(accepted.load(), 0U);
  const auto counts = stored_counts(nginx_port, token);
  EXPECT_EQ(counts.size(), 600U);
  for (const auto& [id, count] : counts) EXPECT_EQ(count, 1) << id;

  // Both instances took traffic before one was killed.
  const auto access = read_file(dir.path() / "access.log");
  EXPECT_NE(access.find("127.0.0.1:" + std::to_string(port_a)), std::string::npos);
  EXPECT_NE(access.find("127.0.0.1:" + std::to_string(port_b)), std::string::npos);
  nginx.send_signal(SIGQUIT);
  nginx.wait_for(std::chrono::seconds{10});
}

}  // namespace
}  // namespace evs::test

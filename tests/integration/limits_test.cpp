// What a client without a token can make the real consumer hold: connections, file
// descriptors, memory and log lines. Idle TCP connections cost nothing to open, so they are the
// first flood to try.
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

namespace evs::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// User + system CPU seconds the process has used, from /proc/PID/stat.
double cpu_seconds(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string stat{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
  std::istringstream fields{stat.substr(stat.rfind(')') + 2)};
  std::string field;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::vector<tcp::socket> open_idle_connections(asio::io_context& ioc, std::uint16_t port,
                                               int count) {
  std::vector<tcp::socket> sockets;
  for (int i = 0; i < count; ++i) {
    tcp::socket s{ioc};
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    sockets.push_back(std::move(s));
  }
  return sockets;
}

TEST(Limits, IdleFloodUnderALowFileLimitNeitherSpinsNorFloodsTheLog) {
  temp_dir dir{"evs-limits"};
  consumer_process consumer{
      EVS_CONSUMER_BINARY, dir / "consumer.log", {{"DB_PATH", (dir / "events.db").string()}}};
  const auto port = consumer.wait_listening();
  // As if started under `ulimit -n 64`: the flood below needs more descriptors than that.
  const rlimit low{64, 64};
  ASSERT_EQ(::prlimit(consumer.process().pid(), RLIMIT_NOFILE, &low, nullptr), 0);
  const auto log_before = std::filesystem::file_size(dir / "consumer.log");

  asio::io_context ioc;
  auto flood = open_idle_connections(ioc, port, 80);
  const double cpu_before = cpu_seconds(consumer.process().pid());
  std::this_thread::sleep_for(std::chrono::seconds{2});  // the flood's duration is the subject
  const double cpu_used = cpu_seconds(consumer.process().pid()) - cpu_before;
  EXPECT_LT(cpu_used, 0.4) << "an acceptor out of descriptors pauses instead of spinning";
  EXPECT_LT(std::filesystem::file_size(dir / "consumer.log") - log_before, 2048U)
      << "accept failures are logged once per interval, with a count:\n"
      << consumer.log();
  EXPECT_NE(consumer.log().find("accept failed"), std::string::npos) << consumer.log();

  flood.clear();  // the flood ends
  const auto start = std::chrono::steady_clock::now();
  const auto reply = http_once(port, "GET", "/healthz");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(reply.status, 200U);
  EXPECT_LT(waited, std::chrono::seconds{1});
  EXPECT_TRUE(consumer.terminate(std::chrono::seconds{10}));
}

TEST(Limits, ConnectionsOverMaxConnectionsAreClosedAtOnce) {
  temp_dir dir{"evs-limits"};
  consumer_process consumer{
      EVS_CONSUMER_BINARY,
      dir / "consumer.log",
      {{"DB_PATH", (dir / "events.db").string()}, {"MAX_CONNECTIONS", "4"}, {"THREADS", "1"}}};
  const auto port = consumer.wait_listening();
  EXPECT_NE(consumer.log().find("max_connections=4"), std::string::npos) << consumer.log();

  asio::io_context ioc;
  auto held = open_idle_connections(ioc, port, 4);
  // Each of the four has a session: a request on it is answered.
  for (auto& s : held) {
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    asio::write(s, asio::buffer(request));
    char first[12];
    asio::read(s, asio::buffer(first));
    EXPECT_EQ(std::string(first, sizeof first), "HTTP/1.1 200");
  }
  // The fifth is accepted and closed: the client reads end of stream, not an answer.
  auto extra = open_idle_connections(ioc, port, 1);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  boost::system::error_code ec;
  asio::write(extra.front(), asio::buffer(request), ec);
  char byte = 0;
  asio::read(extra.front(), asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_NE(consumer.log().find("MAX_CONNECTIONS reached"), std::string::npos) << consumer.log();

  held.pop_back();  // one leaves: a new client gets in once the server has seen it go
  EXPECT_TRUE(eventually([&] {
    try {
      return http_once(port, "GET", "/healthz").status == 200U;
    } catch (const std::exception&) {
      return false;  // still at the cap: closed at once
    }
  }));
  EXPECT_TRUE(consumer.terminate(std::chrono::seconds{10}));
}

// A memory figure of /proc/PID/status ("VmHWM:" the peak resident size), in bytes.
std::size_t status_bytes(pid_t pid, std::string_view field) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(field)) return std::stoull(line.substr(field.size())) * 1024;
  return 0;
}

// Lifts this process's soft descriptor limit to its hard one, for floods of many sockets.
void raise_own_file_limit(rlim_t wanted) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = std::max(limit.rlim_cur, std::min(wanted, limit.rlim_max));
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

TEST(Limits, BodiesOnRoutesThatTakeNoneHoldNoMemory) {
  constexpr int connections = 1000;
  raise_own_file_limit(connections + 256);
  temp_dir dir{"evs-limits"};
  consumer_process consumer{
      EVS_CONSUMER_BINARY, dir / "consumer.log", {{"DB_PATH", (dir / "events.db").string()}}};
  const auto port = consumer.wait_listening();
  const auto pid = consumer.process().pid();
  const auto before = status_bytes(pid, "VmHWM:");

  // Each connection announces a megabyte to GET /healthz and sends what the socket takes of
  // it without waiting (a few hundred KB on loopback); none of it needs a token.
  asio::io_context ioc;
  auto flood = open_idle_connections(ioc, port, connections);
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n";
  const std::string body(1024 * 1024, 'x');
  std::size_t sent = 0;
  for (auto& s : flood) {
    s.non_blocking(true);
    boost::system::error_code ec;
    sent += asio::write(s, std::array{asio::buffer(head), asio::buffer(body)}, ec);
  }
  EXPECT_GT(sent, std::size_t{connections} * 64 * 1024) << "the flood did not get going";

  const auto peak = status_bytes(pid, "VmHWM:");
  // A megabyte held per connection would be a gigabyte; what 1,000 connections may cost is
  // their sessions' small buffers.
  EXPECT_LT(peak - before, std::size_t{32} << 20)
      << "peak RSS went from " << (before >> 20) << " to " << (peak >> 20) << " MiB";
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer's shadow memory and quarantine come on top
  EXPECT_LT(peak, std::size_t{64} << 20) << "peak RSS " << (peak >> 20) << " MiB";
#endif
  // Each was answered 413 from its head.
  char first[12];
  boost::system::error_code ec;
  flood.front().non_blocking(false);
  asio::read(flood.front(), asio::buffer(first), ec);
  EXPECT_EQ(std::string(first, sizeof first), "HTTP/1.1 413") << ec.message();
  flood.clear();
  EXPECT_EQ(http_once(port, "GET", "/healthz").status, 200U);
  EXPECT_TRUE(consumer.terminate(std::chrono::seconds{10}));
}

TEST(Limits, RefusedTokensAreLoggedOncePerSecondWithTheClientAndNeverTheToken) {
  temp_dir dir{"evs-limits"};
  consumer_process consumer{
      EVS_CONSUMER_BINARY, dir / "consumer.log", {{"DB_PATH", (dir / "events.db").string()}}};
  const auto port = consumer.wait_listening();
  const std::string forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWZvcmdlZA";
  http_client client{port};
  for (int i = 0; i < 200; ++i) ASSERT_EQ(client.get("/api/events", forged).status, 401U);
  ASSERT_EQ(client.get("/api/events", make_token("events:write")).status, 403U);

  const auto log = consumer.log();
  std::size_t lines = 0;
  for (auto at = log.find("request refused"); at != std::string::npos;
       at = log.find("request refused", at + 1))
    ++lines;
  EXPECT_GE(lines, 1U) << log;
  EXPECT_LE(lines, 3U) << "201 refusals within a second or two:\n" << log;
  EXPECT_NE(log.find("status=401"), std::string::npos) << log;
  EXPECT_NE(log.find("client=127.0.0.1:"), std::string::npos) << log;
  EXPECT_EQ(log.find(forged), std::string::npos) << "a token never reaches the log";
  EXPECT_EQ(log.find("c2lnbmF0dXJl"), std::string::npos) << "nor any part of it";

  // A second later the next refusal is logged again, with the count of those in between.
  std::this_thread::sleep_for(std::chrono::milliseconds{1100});  // the interval is the subject
  ASSERT_EQ(client.get("/api/events", make_token("events:write")).status, 403U);
  const auto later = consumer.log();
  EXPECT_NE(later.find("status=403"), std::string::npos) << later;
  EXPECT_NE(later.find("refused_since_last_line="), std::string::npos) << later;
  EXPECT_TRUE(consumer.terminate(std::chrono::seconds{10}));
}

}  // namespace
}  // namespace evs::test

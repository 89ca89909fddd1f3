// What a client without a token can make the real consumer hold: connections and file
// descriptors. Idle TCP connections cost nothing to open, so they are the first flood to try.
#include "support/consumer_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
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

}  // namespace
}  // namespace evs::test

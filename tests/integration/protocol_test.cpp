// HTTP/1 details of the real consumer, in-process on SQLite and spoken to over loopback with
// raw bytes: bodies on routes that take none, Expect, versions, malformed chunks, compressed
// bodies and the read timeout. Each is something a client without a token can send.
#include "codec/content_coding.hpp"
#include "support/backends.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"
#include "support/tokens.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/time.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

const std::string event = R"({"event_type":"t","event_payload":"p"})";

class Protocol : public ::testing::Test {
 protected:
  void SetUp() override { start(test_server_options{}); }

  void start(test_server_options options) {
    server_.reset();
    options.storage = db_.config();
    server_ = std::make_unique<test_server>(options);
  }

  void start_with_read_timeout(std::chrono::milliseconds timeout) {
    test_server_options options;
    options.server.read_timeout = timeout;
    start(options);
  }

  std::uint16_t port() const { return server_->port(); }

  // Sends `bytes` on a fresh connection and reads one answer.
  http_reply exchange(const std::string& bytes) {
    http_client client{port(), 10s};
    client.write_raw(bytes);
    return client.read_reply();
  }

  std::size_t stored() {
    const auto r = http_once(port(), "GET", "/api/events", {},
                             {{"Authorization", bearer(make_token("events:read"))}});
    EXPECT_EQ(r.status, 200U) << r.body;
    return r.json().at("items").as_array().size();
  }

  std::string post_head(const std::string& extra) {
    return "POST /api/event HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token_ +
           "\r\nContent-Type: application/json\r\n" + extra + "\r\n";
  }

  test_database db_{all_backends().front()};  // SQLite: the protocol is the same on every store
  std::unique_ptr<test_server> server_;
  const std::string token_ = make_token("events:write");
};

TEST_F(Protocol, ABodyOnARouteThatTakesNoneIs413BeforeItIsRead) {
  // Announced and only partly sent: the answer comes from the head, and the connection closes
  // rather than read a megabyte nobody asked for.
  const std::vector<std::string> heads = {
      "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
      "GET /api/ready HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n",
      "DELETE /api/events/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n",
  };
  for (const auto& head : heads) {
    http_client client{port(), 10s};
    client.write_raw(head + std::string(4096, 'x'));
    const auto r = client.read_reply();
    EXPECT_EQ(r.status, 413U) << head;
    EXPECT_EQ(r.detail(), "Request body not allowed: this endpoint takes none") << head;
    EXPECT_FALSE(r.keep_alive) << head;
    EXPECT_TRUE(client.wait_closed_by_peer()) << head;
  }
  // An empty body is no body.
  EXPECT_EQ(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status, 200U);
}

TEST_F(Protocol, AnExpectationOtherThan100ContinueIs417) {
  for (const std::string expect : {"200-ok", "100-continue, foo", "x"}) {
    http_client client{port(), 10s};
    client.write_raw(post_head("Expect: " + expect +
                               "\r\nContent-Length: " + std::to_string(event.size()) + "\r\n") +
                     event);
    EXPECT_EQ(client.read_reply().status, 417U) << expect;
    EXPECT_TRUE(client.wait_closed_by_peer()) << expect;
  }
  EXPECT_EQ(stored(), 0U);
  // 100-continue, in any case, is met.
  http_client client{port(), 10s};
  client.write_raw(post_head(
      "Expect: 100-Continue\r\nContent-Length: " + std::to_string(event.size()) + "\r\n"));
  EXPECT_EQ(client.read_reply().status, 100U);
  client.write_raw(event);
  EXPECT_EQ(client.read_reply().status, 200U);
  EXPECT_EQ(stored(), 1U);
}

TEST_F(Protocol, Http10IsServedAndOtherMajorVersionsAre505) {
  // HTTP/1.0, as nginx speaks it to upstreams by default: answered in kind, then closed.
  http_client client{port(), 10s};
  client.write_raw("GET /healthz HTTP/1.0\r\n\r\n");
  const auto r = client.read_reply();
  EXPECT_EQ(r.status, 200U);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_TRUE(client.wait_closed_by_peer());

  for (const std::string version : {"HTTP/2.0", "HTTP/0.9", "HTTP/1.2"}) {
    http_client other{port(), 10s};
    other.write_raw("GET /healthz " + version + "\r\nHost: x\r\n\r\n");
    EXPECT_EQ(other.read_reply().status, 505U) << version;
    EXPECT_TRUE(other.wait_closed_by_peer()) << version;
  }
  EXPECT_EQ(exchange("GET /healthz HTTP/1.x\r\nHost: x\r\n\r\n").status, 400U);
}

TEST_F(Protocol, AMalformedChunkSizeIs400AndAnOversizedOneIs413) {
  for (const std::string size : {"fffffffffffffffffffff", "zz", "-1"}) {
    http_client client{port(), 10s};
    client.write_raw(post_head("Transfer-Encoding: chunked\r\n") + size + "\r\n");
    EXPECT_EQ(client.read_reply().status, 400U) << size;
    EXPECT_TRUE(client.wait_closed_by_peer()) << size;
  }
  http_client client{port(), 10s};
  client.write_raw(post_head("Transfer-Encoding: chunked\r\n") + "7fffffff\r\n");
  EXPECT_EQ(client.read_reply().status, 413U);
  EXPECT_EQ(stored(), 0U);
}

TEST_F(Protocol, GzipAndDeflateBodiesAreDecodedAndStored) {
  for (const auto& [name, coding] : {std::pair{"gzip", codec::content_coding::gzip},
                                     std::pair{"deflate", codec::content_coding::deflate}}) {
    const auto body = "[" + event + "," + event + "]";
    const auto packed = codec::compress(body, coding);
    const auto r =
        exchange(post_head("Content-Encoding: " + std::string{name} +
                           "\r\nContent-Length: " + std::to_string(packed.size()) + "\r\n") +
                 packed);
    EXPECT_EQ(r.status, 200U) << name << ": " << r.body;
  }
  EXPECT_EQ(stored(), 4U);
}

TEST_F(Protocol, AGzipBombIs413AtTheLimitAndStoresNothing) {
  // Ten megabytes of JSON-ish text in about ten kilobytes: past MAX_BODY_BYTES (1 MiB) once
  // decoded, the request is refused where the limit is crossed.
  const auto bomb = codec::compress("[" + event + std::string(10 * 1024 * 1024, ' ') + "]",
                                    codec::content_coding::gzip);
  ASSERT_LT(bomb.size(), 64U * 1024);
  http_client client{port(), 10s};
  client.write_raw(post_head("Content-Encoding: gzip\r\nContent-Length: " +
                             std::to_string(bomb.size()) + "\r\n") +
                   bomb);
  const auto r = client.read_reply();
  EXPECT_EQ(r.status, 413U) << r.body;
  EXPECT_TRUE(client.wait_closed_by_peer());
  EXPECT_EQ(stored(), 0U);
}

TEST_F(Protocol, ACorruptOrTruncatedCompressedBodyIs400AndAnUnknownCodingIs415) {
  auto packed = codec::compress("[" + event + "]", codec::content_coding::gzip);
  const auto send = [&](const std::string& coding, const std::string& bytes) {
    return exchange(post_head("Content-Encoding: " + coding +
                              "\r\nContent-Length: " + std::to_string(bytes.size()) + "\r\n") +
                    bytes);
  };
  EXPECT_EQ(send("gzip", "not gzip at all").status, 400U);
  EXPECT_EQ(send("gzip", packed.substr(0, packed.size() - 8)).status, 400U) << "cut short";
  EXPECT_EQ(send("deflate", packed).status, 400U) << "gzip is not the zlib format";
  const auto r = send("br", packed);
  EXPECT_EQ(r.status, 415U);
  EXPECT_EQ(r.detail(), "Unsupported Content-Encoding: send gzip, deflate or identity");
  EXPECT_EQ(send("gzip, gzip", packed).status, 415U);
  EXPECT_EQ(stored(), 0U);
}

TEST_F(Protocol, ARequestThatStallsGets408AndAnIdleConnectionIsClosedSilently) {
  start_with_read_timeout(300ms);
  // Stalled in the head.
  {
    http_client client{port(), 10s};
    client.write_raw("GET /healthz HTTP/1.1\r\nHo");
    const auto r = client.read_reply();
    EXPECT_EQ(r.status, 408U);
    EXPECT_FALSE(r.keep_alive);
    EXPECT_TRUE(client.wait_closed_by_peer());
  }
  // Stalled in the body: 408, and nothing stored.
  {
    http_client client{port(), 10s};
    client.write_raw(post_head("Content-Length: " + std::to_string(event.size()) + "\r\n") +
                     event.substr(0, 10));
    EXPECT_EQ(client.read_reply().status, 408U);
    EXPECT_TRUE(client.wait_closed_by_peer());
  }
  EXPECT_EQ(stored(), 0U);
  // A connection that never sent a byte is closed without an answer: there is nobody to
  // tell, and a client reusing it would take a 408 for its next request's answer.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket silent{ioc};
  silent.connect({boost::asio::ip::make_address("127.0.0.1"), port()});
  const timeval ten_seconds{10, 0};
  ::setsockopt(silent.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
  char byte = 0;
  boost::system::error_code ec;
  const auto n = silent.read_some(boost::asio::buffer(&byte, 1), ec);
  EXPECT_EQ(n, 0U);
  EXPECT_EQ(ec, boost::asio::error::eof) << ec.message();
}

}  // namespace
}  // namespace evs::test

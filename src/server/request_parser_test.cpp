#include "server/request_parser.hpp"

#include <gtest/gtest.h>
#include <zlib.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <string>
#include <string_view>

namespace {

using evs::server::http_request;
using evs::server::request_parser;

// Feeds `text` in one piece, as a request that arrives in one segment; returns the error.
boost::beast::error_code feed(request_parser& parser, std::string_view text) {
  boost::beast::error_code ec;
  parser.eager(true);
  while (!ec && !parser.is_done() && !text.empty()) {
    const auto used = parser.put(boost::asio::buffer(text.data(), text.size()), ec);
    text.remove_prefix(used);
    if (used == 0) break;
  }
  return ec;
}

std::string gzip(std::string_view text) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(RequestParser, KeepsTheFieldsTheServerReadsAndSplitsTheTarget) {
  http_request req;
  request_parser parser{req};
  ASSERT_FALSE(feed(parser,
                    "POST /api/events?limit=5&type=a HTTP/1.1\r\n"
                    "Host: x\r\n"
                    "authorization: Bearer first\r\n"
                    "Authorization: Bearer second\r\n"
                    "Content-Type: application/json\r\n"
                    "X-Other: ignored\r\n"
                    "Content-Length: 2\r\n\r\n{}"));
  ASSERT_TRUE(parser.is_done());
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/api/events?limit=5&type=a");
  EXPECT_EQ(req.path, "/api/events");
  EXPECT_EQ(req.query, "limit=5&type=a");
  EXPECT_EQ(req.authorization, "Bearer first");  // the first one, as basic_fields gives it
  EXPECT_EQ(req.content_type, "application/json");
  EXPECT_EQ(req.content_length, 2U);
  EXPECT_FALSE(req.chunked);
  EXPECT_EQ(parser.version(), 11U);
  EXPECT_TRUE(parser.keep_alive());
  EXPECT_FALSE(parser.is_head());
  EXPECT_FALSE(parser.has_transfer_encoding());
  EXPECT_EQ(parser.expect(), "");
  EXPECT_EQ(parser.body().take(), "{}");
}

TEST(RequestParser, AbsentFieldsAreEmptyAndHttp10HeadClosesByDefault) {
  http_request req;
  request_parser parser{req};
  ASSERT_FALSE(feed(parser, "HEAD /healthz HTTP/1.0\r\n\r\n"));
  ASSERT_TRUE(parser.is_done());
  EXPECT_EQ(req.path, "/healthz");
  EXPECT_EQ(req.query, "");
  EXPECT_EQ(req.authorization, "");
  EXPECT_FALSE(req.content_length);
  EXPECT_EQ(parser.version(), 10U);
  EXPECT_TRUE(parser.is_head());
  EXPECT_FALSE(parser.keep_alive());
}

TEST(RequestParser, ChunkedBodiesAreJoinedAndTransferEncodingIsNoted) {
  http_request req;
  request_parser parser{req};
  ASSERT_FALSE(feed(parser,
                    "POST /api/event HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                    "Expect: 100-continue\r\n\r\n"
                    "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"));
  ASSERT_TRUE(parser.is_done());
  EXPECT_TRUE(req.chunked);
  EXPECT_TRUE(parser.has_transfer_encoding());
  EXPECT_EQ(parser.expect(), "100-continue");
  EXPECT_EQ(parser.body().take(), "abcde");
}

TEST(RequestParser, DecodesACompressedBodyToItsLimit) {
  const std::string text(1000, 'x');
  const std::string packed = gzip(text);
  const std::string head =
      "POST /api/event HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: " +
      std::to_string(packed.size()) + "\r\n\r\n";
  {
    http_request req;
    request_parser parser{req};
    parser.eager(false);
    boost::beast::error_code ec;
    const auto used = parser.put(boost::asio::buffer(head), ec);
    ASSERT_FALSE(ec);
    ASSERT_EQ(used, head.size());
    ASSERT_TRUE(parser.is_header_done());
    EXPECT_EQ(parser.content_encoding(), "gzip");
    parser.body().decode(evs::codec::content_coding::gzip, 4096);
    ASSERT_FALSE(feed(parser, packed));
    EXPECT_EQ(parser.body().take(), text);
  }
  {
    http_request req;
    request_parser parser{req};
    parser.eager(false);
    boost::beast::error_code ec;
    const auto used = parser.put(boost::asio::buffer(head), ec);
    ASSERT_EQ(used, head.size());
    parser.body().decode(evs::codec::content_coding::gzip, 100);  // 1000 bytes decoded: too many
    EXPECT_EQ(feed(parser, packed), boost::beast::http::error::body_limit);
  }
}

}  // namespace

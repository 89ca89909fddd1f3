#include "server/response_head.hpp"

#include <gtest/gtest.h>

namespace evs::server {
namespace {

http_response json(unsigned status, std::string body) {
  http_response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

TEST(ResponseHead, KeepAliveHttp11CarriesLengthAndTypeAndNoConnectionField) {
  std::string out;
  write_response_head(json(200, R"({"ok":true})"), {.version = 11, .keep_alive = true}, out);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\n"
            "Server: event-services\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 11\r\n"
            "\r\n");
}

TEST(ResponseHead, ClosingHttp11SaysConnectionClose) {
  std::string out;
  write_response_head(json(413, "{}"), {.version = 11, .keep_alive = false}, out);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 413 Payload Too Large\r\n")) << out;
  EXPECT_TRUE(out.ends_with("Connection: close\r\n\r\n")) << out;
}

TEST(ResponseHead, Http10KeepsAliveOnlyWhenItSaysSo) {
  std::string out;
  write_response_head(json(200, "{}"), {.version = 10, .keep_alive = true}, out);
  EXPECT_TRUE(out.starts_with("HTTP/1.0 200 OK\r\n")) << out;
  EXPECT_NE(out.find("Connection: keep-alive\r\n"), std::string::npos) << out;
  write_response_head(json(200, "{}"), {.version = 10, .keep_alive = false}, out);
  EXPECT_EQ(out.find("Connection"), std::string::npos) << out;
}

TEST(ResponseHead, NoContentHasNeitherLengthNorType) {
  std::string out;
  write_response_head(json(204, ""), {.version = 11, .keep_alive = true}, out);
  EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\nServer: event-services\r\n\r\n");
}

TEST(ResponseHead, OwnHeadersComeAfterTheStandardOnesAndTheStringIsReplaced) {
  std::string out = "left over from the previous response";
  auto res = json(503, R"({"detail":"busy"})");
  res.header("Retry-After", "1").header("X-Request-Id", "abc");
  write_response_head(res, {.version = 11, .keep_alive = true}, out);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 503 Service Unavailable\r\n")) << out;
  EXPECT_NE(out.find("Retry-After: 1\r\nX-Request-Id: abc\r\nContent-Length: 17\r\n\r\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace evs::server

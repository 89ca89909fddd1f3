#pragma once
// A request body held in a std::string that grows only as bytes arrive, decoded on the way
// when it was sent compressed. Reserving the whole Content-Length up front (as Beast's
// string_body does) would let a client make the server hold MAX_BODY_BYTES per connection by
// announcing a body it never sends.
#include "codec/body_inflater.hpp"

#include <boost/beast/core/error.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace evs::server {

class request_body {
 public:
  // Set once the head is admitted, before the first byte of the body is read.
  void decode(codec::content_coding coding, std::size_t decoded_limit) {
    coding_ = coding;
    decoded_limit_ = decoded_limit;
  }
  void reserve(std::size_t bytes) { text_.reserve(bytes); }

  // Errors of a compressed body: past the limit once decoded is http::error::body_limit, as
  // for a plain body; a stream zlib cannot read, or one cut short, is illegal_byte_sequence.
  void start();
  std::size_t put(std::string_view bytes, boost::beast::error_code& ec);
  void finish(boost::beast::error_code& ec);

  // The body as the handler sees it: decoded.
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  codec::content_coding coding_ = codec::content_coding::identity;
  std::size_t decoded_limit_ = std::numeric_limits<std::size_t>::max();
  std::optional<codec::body_inflater> inflater_;
};

}  // namespace evs::server

#pragma once
// A request body held in a std::string that grows only as bytes arrive, decoded on the way
// when it was sent compressed. Beast's string_body reserves the whole Content-Length up front,
// so a client could make the server hold MAX_BODY_BYTES per connection by announcing a body it
// never sends.
#include "codec/body_inflater.hpp"

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <boost/system/errc.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace evs::server {

using codec::body_inflater;
using codec::content_coding;

struct request_body {
  struct value_type {
    std::string text;  // the body as the handler sees it: decoded
    // Set once the head is admitted, before the first byte of the body is read.
    content_coding coding = content_coding::identity;
    std::size_t decoded_limit = std::numeric_limits<std::size_t>::max();
  };

  // Errors of a compressed body: past the limit once decoded is http::error::body_limit, as
  // for a plain body; a stream zlib cannot read, or one cut short, is illegal_byte_sequence.
  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>& /*head*/, value_type& body)
        : body_{body} {}

    void init(const boost::optional<std::uint64_t>& /*length*/, boost::beast::error_code& ec) {
      ec = {};  // the parser's body limit bounds the length; memory follows the bytes
      if (body_.coding != content_coding::identity) inflater_.emplace(body_.coding);
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      ec = {};
      std::size_t taken = 0;
      for (const auto b : boost::beast::buffers_range_ref(buffers)) {
        const std::string_view bytes{static_cast<const char*>(b.data()), b.size()};
        if (!inflater_) {
          body_.text.append(bytes);  // grows geometrically
        } else if (const auto s = inflater_->feed(bytes, body_.text, body_.decoded_limit);
                   s != body_inflater::status::ok) {
          ec = s == body_inflater::status::too_large
                   ? make_error_code(boost::beast::http::error::body_limit)
                   : make_error_code(boost::system::errc::illegal_byte_sequence);
          return taken;
        }
        taken += b.size();
      }
      return taken;
    }

    void finish(boost::beast::error_code& ec) {
      ec = {};
      if (inflater_ && !inflater_->ended())
        ec = make_error_code(boost::system::errc::illegal_byte_sequence);
    }

   private:
    value_type& body_;
    std::optional<body_inflater> inflater_;
  };
};

}  // namespace evs::server

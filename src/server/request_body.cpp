#include "server/request_body.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/system/errc.hpp>

namespace evs::server {

void request_body::start() {
  if (coding_ != codec::content_coding::identity) inflater_.emplace(coding_);
}

std::size_t request_body::put(std::string_view bytes, boost::beast::error_code& ec) {
  if (!inflater_) {
    text_.append(bytes);  // grows geometrically
    return bytes.size();
  }
  if (const auto s = inflater_->feed(bytes, text_, decoded_limit_);
      s != codec::body_inflater::status::ok) {
    ec = s == codec::body_inflater::status::too_large
             ? make_error_code(boost::beast::http::error::body_limit)
             : make_error_code(boost::system::errc::illegal_byte_sequence);
    return 0;
  }
  return bytes.size();
}

void request_body::finish(boost::beast::error_code& ec) {
  if (inflater_ && !inflater_->ended())
    ec = make_error_code(boost::system::errc::illegal_byte_sequence);
}

}  // namespace evs::server

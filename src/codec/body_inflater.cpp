#include "codec/body_inflater.hpp"

#include "codec/zlib_format.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <new>
#include <stdexcept>

namespace evs::codec {

struct body_inflater::stream {
  z_stream z{};
};

body_inflater::body_inflater(content_coding coding)
    : stream_{std::make_unique<stream>()}, coding_{coding} {
  if (inflateInit2(&stream_->z, zlib_window_bits(coding)) != Z_OK)
    throw std::bad_alloc{};  // zlib fails to start only when memory is short
}

body_inflater::~body_inflater() { inflateEnd(&stream_->z); }

body_inflater::status body_inflater::feed(std::string_view input, std::string& out,
                                          std::size_t limit) {
  auto& z = stream_->z;
  // zlib takes non-const pointers for input it does not write to.
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  std::array<char, 16 * 1024> chunk{};
  while (z.avail_in != 0) {
    if (ended_) {
      // gzip allows several members one after another (as `cat a.gz b.gz` makes); deflate
      // ends with its one stream.
      if (coding_ != content_coding::gzip) return status::corrupt;
      if (inflateReset(&z) != Z_OK) return status::corrupt;
      ended_ = false;
    }
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = static_cast<uInt>(chunk.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return status::corrupt;
    const std::size_t produced = chunk.size() - z.avail_out;
    if (produced > limit - std::min(limit, out.size())) return status::too_large;
    out.append(chunk.data(), produced);
    if (rc == Z_STREAM_END) ended_ = true;
    if (rc == Z_BUF_ERROR && produced == 0) break;  // needs more input than this
  }
  return status::ok;
}

}  // namespace evs::codec

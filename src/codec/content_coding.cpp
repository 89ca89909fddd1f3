#include "codec/content_coding.hpp"

#include "codec/zlib_format.hpp"

#include <zlib.h>

#include <cctype>
#include <new>
#include <stdexcept>

namespace evs::codec {

std::optional<content_coding> parse_content_coding(std::string_view header) {
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t'))
    header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t'))
    header.remove_suffix(1);
  std::string lower{header};
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty() || lower == "identity") return content_coding::identity;
  if (lower == "gzip" || lower == "x-gzip") return content_coding::gzip;
  if (lower == "deflate") return content_coding::deflate;
  return std::nullopt;
}

std::string compress(std::string_view text, content_coding coding) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, zlib_window_bits(coding), 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::bad_alloc{};  // zlib fails to start only when memory is short
  std::string out(deflateBound(&z, text.size()), '\0');
  // zlib takes non-const pointers for input it does not write to.
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);  // deflateBound makes one call enough
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

}  // namespace evs::codec

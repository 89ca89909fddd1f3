#pragma once
// zlib's window bits for a content coding: 15 (a 32 KiB window), plus 16 for the gzip wrapper.
#include "codec/content_coding.hpp"

namespace evs::codec {

inline int zlib_window_bits(content_coding coding) {
  return coding == content_coding::gzip ? 16 + 15 : 15;
}

}  // namespace evs::codec

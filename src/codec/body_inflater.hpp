#pragma once
// Request bodies sent with Content-Encoding gzip or deflate, decoded with zlib as their bytes
// arrive, never to more than a limit: a small compressed body that expands to gigabytes (a
// "bomb") stops at the limit, having allocated no more than it.
#include "codec/content_coding.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace evs::codec {

class body_inflater {
 public:
  enum class status { ok, too_large, corrupt };

  explicit body_inflater(content_coding coding);  // gzip or deflate
  ~body_inflater();
  body_inflater(const body_inflater&) = delete;
  body_inflater& operator=(const body_inflater&) = delete;

  // Appends what `input` decodes to onto `out`, which may not grow past `limit` bytes.
  status feed(std::string_view input, std::string& out, std::size_t limit);

  // Whether the compressed stream has ended, as it must once the body is complete.
  bool ended() const { return ended_; }

 private:
  struct stream;
  std::unique_ptr<stream> stream_;
  content_coding coding_;
  bool ended_ = false;
};

}  // namespace evs::codec

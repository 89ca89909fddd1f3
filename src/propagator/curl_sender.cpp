#include "propagator/curl_sender.hpp"

#include "codec/content_coding.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace evs::propagator {
namespace {

// Enough of an error body for a dead letter to say why; the rest is dropped.
constexpr std::size_t max_kept_body = 8 * 1024;

void check(CURLcode rc, const char* what) {
  if (rc != CURLE_OK) throw std::runtime_error(std::string{what} + ": " + curl_easy_strerror(rc));
}

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

}  // namespace

struct curl_sender::transfer {
  transfer(std::string target, const std::string& token, std::function<bool()> abort,
           const std::string& ca_file, bool compress);
  ~transfer();
  transfer(const transfer&) = delete;
  transfer& operator=(const transfer&) = delete;

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

  std::string url;
  std::function<bool()> should_abort;
  CURL* handle = nullptr;
  curl_slist* headers = nullptr;
  bool gzip = false;
  std::string packed;  // the compressed body of the transfer under way
  send_result current;
};

curl_sender::transfer::transfer(std::string target, const std::string& token,
                                std::function<bool()> abort, const std::string& ca_file,
                                bool compress)
    : url{std::move(target)},
      should_abort{std::move(abort)},
      handle{curl_easy_init()},
      gzip{compress} {
  if (handle == nullptr) throw std::runtime_error("curl_easy_init failed");
  headers = curl_slist_append(headers, "Content-Type: application/json");
  if (gzip) headers = curl_slist_append(headers, "Content-Encoding: gzip");
  headers = curl_slist_append(headers, "Accept: application/json");
  // No "Expect: 100-continue" round trip before large bodies.
  headers = curl_slist_append(headers, "Expect:");
  if (!token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  check(curl_easy_setopt(handle, CURLOPT_URL, url.c_str()), "CURLOPT_URL");
  check(curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers), "CURLOPT_HTTPHEADER");
  check(curl_easy_setopt(handle, CURLOPT_POST, 1L), "CURLOPT_POST");
  check(curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L), "CURLOPT_NOSIGNAL");
  check(curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L), "CURLOPT_TCP_KEEPALIVE");
  check(curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &transfer::on_body), "WRITEFUNCTION");
  check(curl_easy_setopt(handle, CURLOPT_WRITEDATA, this), "WRITEDATA");
  check(curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &transfer::on_header), "HEADERFUNC");
  check(curl_easy_setopt(handle, CURLOPT_HEADERDATA, this), "HEADERDATA");
  if (!ca_file.empty())
    check(curl_easy_setopt(handle, CURLOPT_CAINFO, ca_file.c_str()), "CURLOPT_CAINFO");
  check(curl_easy_setopt(handle, CURLOPT_USERAGENT, "event-propagator/" EVS_VERSION), "UA");
  if (should_abort) {
    check(curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &transfer::on_progress), "XFER");
    check(curl_easy_setopt(handle, CURLOPT_XFERINFODATA, this), "XFERDATA");
    check(curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L), "NOPROGRESS");
  }
}

curl_sender::transfer::~transfer() {
  curl_easy_cleanup(handle);
  curl_slist_free_all(headers);
}

std::size_t curl_sender::transfer::on_body(char* data, std::size_t size, std::size_t count,
                                           void* self) {
  auto& body = static_cast<transfer*>(self)->current.body;
  const std::size_t n = size * count;
  body.append(data, std::min(n, max_kept_body - std::min(max_kept_body, body.size())));
  return n;
}

std::size_t curl_sender::transfer::on_header(char* data, std::size_t size, std::size_t count,
                                             void* self) {
  const std::size_t n = size * count;
  std::string_view line{data, n};
  // A new status line (after a 100 Continue, say) starts a new set of headers.
  if (line.starts_with("HTTP/")) static_cast<transfer*>(self)->current.retry_after.reset();
  if (header_is(line, "retry-after")) {
    line.remove_prefix(std::string_view{"retry-after:"}.size());
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    static_cast<transfer*>(self)->current.retry_after = std::string{line};
  }
  return n;
}

int curl_sender::transfer::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<transfer*>(self)->should_abort() ? 1 : 0;
}

curl_sender::curl_sender(std::string url, const std::string& token,
                         std::function<bool()> should_abort, const std::string& ca_file, bool gzip)
    : transfer_{std::make_unique<transfer>(std::move(url), token, std::move(should_abort), ca_file,
                                           gzip)} {}

curl_sender::~curl_sender() = default;

send_result curl_sender::send(std::string_view json_body, std::chrono::milliseconds timeout) {
  transfer& t = *transfer_;
  t.current = {};
  const long timeout_ms = std::max(std::int64_t{1}, std::int64_t{timeout.count()});
  curl_easy_setopt(t.handle, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(t.handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  std::string_view body = json_body;
  if (t.gzip) {
    t.packed = codec::compress(json_body, codec::content_coding::gzip);
    body = t.packed;
  }
  curl_easy_setopt(t.handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(t.handle, CURLOPT_POSTFIELDS, body.data());
  const CURLcode rc = curl_easy_perform(t.handle);
  if (rc != CURLE_OK) {
    send_result failed;
    failed.error = curl_easy_strerror(rc);
    return failed;
  }
  long status = 0;
  curl_easy_getinfo(t.handle, CURLINFO_RESPONSE_CODE, &status);
  t.current.http_status = status;
  return std::move(t.current);
}

}  // namespace evs::propagator

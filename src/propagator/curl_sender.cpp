#include "propagator/curl_sender.hpp"

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

curl_sender::curl_sender(std::string url, const std::string& token,
                         std::function<bool()> should_abort, const std::string& ca_file)
    : url_{std::move(url)}, should_abort_{std::move(should_abort)}, handle_{curl_easy_init()} {
  if (handle_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  headers_ = curl_slist_append(headers_, "Content-Type: application/json");
  headers_ = curl_slist_append(headers_, "Accept: application/json");
  // No "Expect: 100-continue" round trip before large bodies.
  headers_ = curl_slist_append(headers_, "Expect:");
  if (!token.empty())
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + token).c_str());
  check(curl_easy_setopt(handle_, CURLOPT_URL, url_.c_str()), "CURLOPT_URL");
  check(curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers_), "CURLOPT_HTTPHEADER");
  check(curl_easy_setopt(handle_, CURLOPT_POST, 1L), "CURLOPT_POST");
  check(curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L), "CURLOPT_NOSIGNAL");
  check(curl_easy_setopt(handle_, CURLOPT_TCP_KEEPALIVE, 1L), "CURLOPT_TCP_KEEPALIVE");
  check(curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &curl_sender::on_body), "WRITEFUNCTION");
  check(curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this), "WRITEDATA");
  check(curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &curl_sender::on_header), "HEADERFUNC");
  check(curl_easy_setopt(handle_, CURLOPT_HEADERDATA, this), "HEADERDATA");
  if (!ca_file.empty())
    check(curl_easy_setopt(handle_, CURLOPT_CAINFO, ca_file.c_str()), "CURLOPT_CAINFO");
  check(curl_easy_setopt(handle_, CURLOPT_USERAGENT, "event-propagator/" EVS_VERSION), "UA");
  if (should_abort_) {
    check(curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, &curl_sender::on_progress), "XFER");
    check(curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, this), "XFERDATA");
    check(curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 0L), "NOPROGRESS");
  }
}

curl_sender::~curl_sender() {
  curl_easy_cleanup(handle_);
  curl_slist_free_all(headers_);
}

send_result curl_sender::send(std::string_view json_body, std::chrono::milliseconds timeout) {
  current_ = {};
  const long timeout_ms = std::max(std::int64_t{1}, std::int64_t{timeout.count()});
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json_body.size()));
  curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, json_body.data());
  const CURLcode rc = curl_easy_perform(handle_);
  if (rc != CURLE_OK) {
    send_result failed;
    failed.error = curl_easy_strerror(rc);
    return failed;
  }
  long status = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
  current_.http_status = status;
  return std::move(current_);
}

std::size_t curl_sender::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto& body = static_cast<curl_sender*>(self)->current_.body;
  const std::size_t n = size * count;
  body.append(data, std::min(n, max_kept_body - std::min(max_kept_body, body.size())));
  return n;
}

std::size_t curl_sender::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  const std::size_t n = size * count;
  std::string_view line{data, n};
  // A new status line (after a 100 Continue, say) starts a new set of headers.
  if (line.starts_with("HTTP/")) static_cast<curl_sender*>(self)->current_.retry_after.reset();
  if (header_is(line, "retry-after")) {
    line.remove_prefix(std::string_view{"retry-after:"}.size());
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    static_cast<curl_sender*>(self)->current_.retry_after = std::string{line};
  }
  return n;
}

int curl_sender::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<curl_sender*>(self)->should_abort_() ? 1 : 0;
}

}  // namespace evs::propagator

#include "propagator/cli.hpp"

#include <curl/curl.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace evs::propagator {
namespace {

constexpr double a_year = 365.0 * 24 * 3600;

void check_url(const std::string& url) {
  CURLU* handle = curl_url();
  const CURLUcode rc = curl_url_set(handle, CURLUPART_URL, url.c_str(), 0);
  char* scheme = nullptr;
  if (rc == CURLUE_OK) curl_url_get(handle, CURLUPART_SCHEME, &scheme, 0);
  const std::string_view s = scheme != nullptr ? scheme : "";
  const bool ok = rc == CURLUE_OK && (s == "http" || s == "https");
  curl_free(scheme);
  curl_url_cleanup(handle);
  if (!ok)
    throw runtime::config_error("API_URL: must be an http:// or https:// URL, got '" + url + "'");
}

std::size_t size_setting(const runtime::settings& s, const char* key, std::int64_t min,
                         std::int64_t max) {
  return static_cast<std::size_t>(s.integer(key, min, max));
}

void check_ca_file(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  const bool regular = std::filesystem::is_regular_file(path, ec);
  if (!regular || !std::ifstream{path}.is_open())
    throw runtime::config_error("API_CA_FILE: cannot read '" + path + "'");
}

}  // namespace

propagator_cli::propagator_cli(CLI::App& app) : settings_{app} {
  auto& s = settings_;
  const config d;
  s.declare("API_URL", d.api_url, "endpoint that receives the events (http or https)");
  s.declare("API_TOKEN", "", "bearer token sent with every request (mint one with event-token)");
  s.declare("API_CA_FILE", "",
            "PEM file of CA certificates trusted for an https API_URL (default: the system's)");
  s.declare("INTERVAL_SECONDS", "5",
            "seconds between ticks, fractions allowed; 0 = as fast as the endpoint takes them");
  s.declare("EVENTS_FILE", "",
            "JSON array or NDJSON of {event_type, event_payload} templates (default: the bundled "
            "samples, see --sample-events)");
  s.declare("BATCH_SIZE", "1", "events generated per tick");
  s.declare("PICK_ORDER", "random", "random or sequential (file order, round and round)");
  s.declare("SPOOL_PATH", d.spool_path,
            "SQLite file keeping events until the endpoint has them (folder created)");
  s.declare("SPOOL_MAX_EVENTS", std::to_string(d.spool_max_events),
            "generation pauses while the spool holds this many events");
  s.declare("MAX_BATCH", std::to_string(d.max_batch), "most events in one request");
  s.declare("MAX_BODY_BYTES", std::to_string(d.max_body_bytes), "largest request body");
  s.declare("REQUEST_TIMEOUT_SECONDS", "10", "time limit of one request, connecting included");
  s.declare("BACKOFF_BASE_SECONDS", "0.5",
            "first retry waits up to this long (full jitter, doubling)");
  s.declare("BACKOFF_MAX_SECONDS", "30", "longest wait between two retries");
  s.declare("MAX_RETRY_AFTER_SECONDS", "300",
            "a longer Retry-After from the endpoint is shortened to this");
  s.declare("SHUTDOWN_TIMEOUT_SECONDS", "10",
            "on SIGTERM/SIGINT, time left to deliver pending events");
  s.declare("STATUS_INTERVAL_SECONDS", "5", "seconds between status lines");
  s.declare("LOG_FORMAT", "text", "text or json");
  s.declare("LOG_LEVEL", "info", "debug, info, warn or error (debug: one line per event)");
  app.add_option("-n,--count", count_, "stop after this many events are delivered (0: never)")
      ->option_text("[default 0]");
  app.add_flag("--dead-letters", dead_letters_, "print the dead letters as NDJSON and exit");
  app.add_flag("--requeue-dead-letters", requeue_,
               "move the dead letters back into the spool (same event_id) and exit");
  app.add_flag("--sample-events", samples_,
               "print the bundled sample events (a starting point for EVENTS_FILE) and exit");
}

action propagator_cli::what() const {
  if (dead_letters_) return action::list_dead_letters;
  if (requeue_) return action::requeue_dead_letters;
  if (samples_) return action::print_sample_events;
  return action::run;
}

config propagator_cli::read() const {
  const auto& s = settings_;
  if (static_cast<int>(dead_letters_) + static_cast<int>(requeue_) + static_cast<int>(samples_) > 1)
    throw runtime::config_error(
        "--dead-letters, --requeue-dead-letters and --sample-events exclude each other");
  config c;
  c.api_url = s.text("API_URL");
  check_url(c.api_url);
  c.api_token = s.text("API_TOKEN");
  if (what() == action::run && c.api_token.empty())
    throw runtime::config_error(
        "API_TOKEN: must be set (mint one with: event-token --sub propagator --scope "
        "events:write)");
  c.api_ca_file = s.text("API_CA_FILE");
  if (what() == action::run) check_ca_file(c.api_ca_file);
  c.interval_seconds = s.number("INTERVAL_SECONDS", 0, a_year);
  c.events_file = s.text("EVENTS_FILE");
  c.batch_size = size_setting(s, "BATCH_SIZE", 1, 1'000'000);
  c.order = s.choice("PICK_ORDER", {"random", "sequential"}) == "sequential"
                ? pick_order::sequential
                : pick_order::random;
  c.spool_path = s.text("SPOOL_PATH");
  if (c.spool_path.empty()) throw runtime::config_error("SPOOL_PATH: must not be empty");
  c.spool_max_events = size_setting(s, "SPOOL_MAX_EVENTS", 1, 1'000'000'000);
  c.max_batch = size_setting(s, "MAX_BATCH", 1, 1'000'000);
  c.max_body_bytes = size_setting(s, "MAX_BODY_BYTES", 1024, 1LL << 30);
  c.request_timeout_seconds = s.number("REQUEST_TIMEOUT_SECONDS", 0.001, 3600);
  c.backoff_base_seconds = s.number("BACKOFF_BASE_SECONDS", 0.001, 3600);
  c.backoff_max_seconds = s.number("BACKOFF_MAX_SECONDS", c.backoff_base_seconds, 86400);
  c.max_retry_after_seconds = s.number("MAX_RETRY_AFTER_SECONDS", 0, 86400);
  c.shutdown_timeout_seconds = s.number("SHUTDOWN_TIMEOUT_SECONDS", 0, 3600);
  c.status_interval_seconds = s.number("STATUS_INTERVAL_SECONDS", 0.01, 86400);

  const auto* end = count_.data() + count_.size();
  const auto [ptr, ec] = std::from_chars(count_.data(), end, c.count);
  if (ec != std::errc{} || ptr != end)
    throw runtime::config_error("--count: must be an integer >= 0, got '" + count_ + "'");

  const auto logging = runtime::read_log_settings(s);
  c.log_format = logging.format;
  c.log_level = logging.level;
  return c;
}

}  // namespace evs::propagator

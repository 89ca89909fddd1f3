#include "propagator/cli.hpp"

#include "propagator/metrics_listener_settings.hpp"

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

void check_ca_file(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  const bool regular = std::filesystem::is_regular_file(path, ec);
  if (!regular || !std::ifstream{path}.is_open())
    throw runtime::config_error("API_CA_FILE: cannot read '" + path + "'");
}

using runtime::choice_setting;
using runtime::integer_setting;
using runtime::number_setting;
using runtime::secret_setting;
using runtime::setting_value;
using runtime::text_setting;

const runtime::setting_table<config> table = [] {
  runtime::setting_table<config> rows = {
      text_setting<config>("API_URL", "http://localhost:8000/api/event",
                           "endpoint that receives the events (http or https)",
                           [](config& c, const setting_value& v) { c.api_url = v.text; }),
      secret_setting<config>("API_TOKEN", 0,
                             "bearer token sent with every request (mint one: event-token --scope "
                             "events:write)",
                             [](config& c, const setting_value& v) { c.api_token = v.text; }),
      text_setting<config>("API_CA_FILE", "",
                           "PEM file of CA certificates trusted for an https API_URL; empty: the "
                           "system's CA store",
                           [](config& c, const setting_value& v) { c.api_ca_file = v.text; }),
      number_setting<config>(
          "INTERVAL_SECONDS", "5", 0, a_year,
          "seconds between ticks (fractions allowed; 0: as fast as the endpoint takes them)",
          [](config& c, const setting_value& v) { c.interval_seconds = v.number; }),
      integer_setting<config>(
          "BATCH_SIZE", "1", 1, 1'000'000, "events generated per tick",
          [](config& c, const setting_value& v) { c.batch_size = v.as<std::size_t>(); }),
      text_setting<config>(
          "EVENTS_FILE", "",
          "JSON array or NDJSON of {event_type, event_payload} templates; empty: the "
          "bundled samples (--sample-events)",
          [](config& c, const setting_value& v) { c.events_file = v.text; }),
      choice_setting<config>(
          "COMPRESS", "none", {"none", "gzip"},
          "request bodies: none, or gzip (the consumer decodes either)",
          [](config& c, const setting_value& v) { c.compress = v.text == "gzip"; }),
      choice_setting<config>("PICK_ORDER", "random", {"random", "sequential"},
                             "random or sequential (file order, round and round)",
                             [](config& c, const setting_value& v) {
                               c.order = v.text == "sequential" ? pick_order::sequential
                                                                : pick_order::random;
                             }),
      text_setting<config>("SPOOL_PATH", "./data/propagator-spool.db",
                           "durable spool of events not yet delivered (SQLite, folder created)",
                           [](config& c, const setting_value& v) { c.spool_path = v.text; }),
      integer_setting<config>(
          "SPOOL_MAX_EVENTS", "1000000", 1, 1'000'000'000,
          "most events the spool holds; generation pauses (with a log line) while it is full",
          [](config& c, const setting_value& v) { c.spool_max_events = v.as<std::size_t>(); }),
      integer_setting<config>(
          "MAX_BATCH", "1000", 1, 1'000'000, "most events in one request",
          [](config& c, const setting_value& v) { c.max_batch = v.as<std::size_t>(); }),
      integer_setting<config>(
          "MAX_BODY_BYTES", "1048576", 1024, 1LL << 30, "largest request body",
          [](config& c, const setting_value& v) { c.max_body_bytes = v.as<std::size_t>(); }),
      number_setting<config>(
          "REQUEST_TIMEOUT_SECONDS", "10", 0.001, 3600,
          "time limit of one request, connecting included",
          [](config& c, const setting_value& v) { c.request_timeout_seconds = v.number; }),
      number_setting<config>(
          "BACKOFF_BASE_SECONDS", "0.5", 0.001, 3600,
          "first retry waits up to this long (capped full jitter, doubling)",
          [](config& c, const setting_value& v) { c.backoff_base_seconds = v.number; }),
      number_setting<config>(
          "BACKOFF_MAX_SECONDS", "30", 0.001, 86400,
          "longest wait between two retries (at least BACKOFF_BASE_SECONDS)",
          [](config& c, const setting_value& v) { c.backoff_max_seconds = v.number; }),
      number_setting<config>(
          "MAX_RETRY_AFTER_SECONDS", "300", 0, 86400,
          "a longer Retry-After from the endpoint is shortened to this",
          [](config& c, const setting_value& v) { c.max_retry_after_seconds = v.number; }),
      number_setting<config>(
          "SHUTDOWN_TIMEOUT_SECONDS", "10", 0, 3600,
          "on SIGTERM/SIGINT, time left to deliver pending events",
          [](config& c, const setting_value& v) { c.shutdown_timeout_seconds = v.number; }),
      number_setting<config>(
          "STATUS_INTERVAL_SECONDS", "5", 0.01, 86400, "seconds between status lines",
          [](config& c, const setting_value& v) { c.status_interval_seconds = v.number; }),
  };
  for (auto& row : metrics_listener_settings<config>()) rows.push_back(row);
  const runtime::setting_table<config> logging = {
      choice_setting<config>("LOG_FORMAT", "text", {"text", "json"}, "logs on stderr: text or json",
                             [](config& c, const setting_value& v) {
                               c.log_format = runtime::log_format_named(v.text);
                             }),
      choice_setting<config>("LOG_LEVEL", "info", {"debug", "info", "warn", "error"},
                             "debug, info, warn or error (debug: one line per event)",
                             [](config& c, const setting_value& v) {
                               c.log_level = runtime::log_level_named(v.text);
                             }),
  };
  rows.insert(rows.end(), logging.begin(), logging.end());
  return rows;
}();

}  // namespace

const runtime::setting_table<config>& propagator_settings() { return table; }

config default_config() {
  config c;
  runtime::apply_defaults(table, c);
  return c;
}

propagator_cli::propagator_cli(CLI::App& app) : settings_{app} {
  runtime::declare(settings_, table);
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
  runtime::read(s, table, c);
  check_url(c.api_url);
  if (what() == action::run && c.api_token.empty())
    throw runtime::config_error(
        "API_TOKEN: must be set (mint one with: event-token --sub propagator --scope "
        "events:write)");
  if (what() == action::run) check_ca_file(c.api_ca_file);
  if (c.spool_path.empty()) throw runtime::config_error("SPOOL_PATH: must not be empty");
  // A range that depends on another key, checked with the same words as the table's ranges.
  runtime::parse_number("BACKOFF_MAX_SECONDS", s.text("BACKOFF_MAX_SECONDS"),
                        c.backoff_base_seconds, 86400);

  const auto* end = count_.data() + count_.size();
  const auto [ptr, ec] = std::from_chars(count_.data(), end, c.count);
  if (ec != std::errc{} || ptr != end)
    throw runtime::config_error("--count: must be an integer >= 0, got '" + count_ + "'");

  return c;
}

}  // namespace evs::propagator

#include "consumer/event_api.hpp"

#include "consumer/async_commit.hpp"
#include "consumer/dashboard_responses.hpp"
#include "consumer/docs_responses.hpp"
#include "consumer/list_query.hpp"
#include "consumer/responses.hpp"
#include "core/cursor.hpp"
#include "core/event_json.hpp"
#include "metrics/exposition.hpp"
#include "runtime/log.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <thread>
#include <variant>

namespace evs::consumer {

namespace asio = boost::asio;
using server::http_request;
using server::http_response;

namespace {

// application/json, or any +json type, parameters allowed; an absent type is read as JSON
// (as FastAPI does).
bool is_json_content_type(std::string_view type) {
  if (type.empty()) return true;
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  std::string lower{type};
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" || lower.ends_with("+json");
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || id <= 0)
    return std::nullopt;
  return id;
}

http_response invalid_id() {
  return validation_failed({{boost::json::array{"path", "id"},
                             "Input should be a valid positive integer", "int_parsing"}});
}

// Ids the client left out are UUIDv7s of the same clock that stamps received_at.
void fill_server_fields(std::vector<core::new_event>& events, std::int64_t received_at_us,
                        const request_ids& ids) {
  for (auto& e : events) {
    if (e.event_id.empty()) e.event_id = ids.next();
    e.received_at_us = received_at_us;
  }
}

server::admission refuse(endpoint e, http_response refusal) {
  return {std::move(refusal), {static_cast<unsigned>(e), {}}};
}

// A store that cannot be reached or written to; not_found and the like are answers, not faults.
bool is_storage_fault(const boost::system::error_code& ec) {
  return ec != errc::not_found && ec != errc::bad_cursor && ec != errc::queue_full &&
         ec != errc::shutting_down;
}

// How long /metrics shows the last readiness check before it checks again.
constexpr std::chrono::seconds readiness_reuse{5};

// An answer known without waiting, as an awaitable like the endpoints'.
asio::awaitable<http_response> answer(http_response response) { co_return response; }

core::stored_event as_stored(core::new_event&& e, std::int64_t id) {
  return {id,
          std::move(e.event_id),
          std::move(e.event_type),
          std::move(e.payload_json),
          std::move(e.occurred_at),
          e.received_at_us};
}

http_response event_response(unsigned status, const core::stored_event& e) {
  auto res = json_response(status, core::event_json(e));
  res.header("Location", "/api/events/" + std::to_string(e.id));
  return res;
}

}  // namespace

event_api::event_api(storage::event_store& store, batch_writer& writer,
                     const auth::token_verifier& verifier, const runtime::clock& clock,
                     runtime::random_source& random, const api_options& options)
    : store_{store},
      writer_{writer},
      tokens_{verifier, options.token_cache},
      clock_{clock},
      ids_{clock, random},
      options_{options},
      counters_{options.io_threads != 0 ? options.io_threads
                                        : std::max(1U, std::thread::hardware_concurrency())},
      blocking_pool_{store.max_concurrent_writers() + 4} {}

event_api::~event_api() { drain(); }

void event_api::drain() { blocking_pool_.join(); }

http_response event_api::on_protocol_error(server::protocol_error error, std::string_view detail) {
  return protocol_error_response(error, detail, options_.max_body_bytes, ids_);
}

template <class Function>
auto event_api::offload(Function f) -> asio::awaitable<decltype(f())> {
  co_return co_await asio::co_spawn(
      blocking_pool_, [f = std::move(f)]() -> asio::awaitable<decltype(f())> { co_return f(); },
      asio::use_awaitable);
}

server::admission event_api::admit(const http_request& head) {
  auto r = match_route(head.method, head.path);
  const bool elsewhere = (follows_metrics(r.target) && !options_.serve_metrics) ||
                         ((r.target == endpoint::openapi || r.target == endpoint::docs ||
                           r.target == endpoint::docs_asset) &&
                          !options_.serve_docs);
  if (r.target == endpoint::not_found || elsewhere) return refuse(endpoint::not_found, not_found());
  if (r.target == endpoint::method_not_allowed)
    return refuse(r.target, method_not_allowed(std::move(r.allow)));
  // Refused before a byte of it is read, so it costs no memory (DESIGN: 413).
  if (!has_body(r.target) && head.has_body()) return refuse(r.target, body_not_taken());

  const auto rule = access_for(r.target);
  if (rule.token_required) {
    const auto now_s = clock_.wall_now_us() / 1'000'000;
    const auto token = tokens_.verify_header(head.authorization, now_s);
    if (token.status != auth::token_status::ok) {
      log_refusal(head, 401, auth::token_status_message(token.status));
      return refuse(r.target, unauthorized(token.status));
    }
    if (rule.scope && !token.scopes.has(*rule.scope)) {
      log_refusal(head, 403, "missing scope " + std::string{auth::scope_name(*rule.scope)});
      return refuse(r.target, forbidden(*rule.scope));
    }
  }
  if (has_body(r.target)) {
    if (!is_json_content_type(head.content_type)) return refuse(r.target, unsupported_media_type());
    if (head.content_length && *head.content_length > options_.max_body_bytes)
      return refuse(r.target, body_too_large(options_.max_body_bytes));
  }
  return {std::nullopt, {static_cast<unsigned>(r.target), std::move(r.id)}};
}

// Who is knocking without a valid token is worth a line, but a flood of them is not worth
// a line each; the token itself is never logged.
void event_api::log_refusal(const http_request& head, unsigned status, std::string_view reason) {
  refusals_.note([&](std::uint64_t count) {
    log::info("request refused", {{"status", std::to_string(status)},
                                  {"reason", std::string{reason}},
                                  {"client", std::string{head.peer}},
                                  {"refused_since_last_line", std::to_string(count)}});
  });
}

// Not a coroutine: it hands back the endpoint's own, so a request costs no frame here.
asio::awaitable<http_response> event_api::respond(const server::matched_route& route,
                                                  const http_request& request) {
  switch (static_cast<endpoint>(route.endpoint)) {
    case endpoint::ingest: return ingest(request);
    case endpoint::ready: return ready();
    case endpoint::health: return answer(json_response(200, R"({"status":"ok"})"));
    case endpoint::create_event: return create(request);
    case endpoint::list_events: return list(request);
    case endpoint::get_event: return get(route.param);
    case endpoint::replace_event: return update(route.param, request, true);
    case endpoint::patch_event: return update(route.param, request, false);
    case endpoint::delete_event: return remove(route.param);
    case endpoint::openapi: return answer(openapi_response());
    case endpoint::docs: return answer(docs_page_response());
    case endpoint::docs_asset: return answer(docs_file_response(route.param));
    case endpoint::metrics: return scrape();
    case endpoint::dashboard: return answer(dashboard_page_response());
    case endpoint::dashboard_asset: return answer(dashboard_file_response(route.param));
    case endpoint::method_not_allowed:
    case endpoint::not_found: break;  // refused by admit
  }
  return answer(not_found());
}

asio::awaitable<http_response> event_api::ingest(const http_request& request) {
  auto parsed = core::parse_event_batch(request.body, options_.limits);
  if (parsed.too_many) co_return too_many_events(options_.limits.max_batch);
  if (!parsed.errors.empty()) co_return validation_failed(parsed.errors);

  fill_server_fields(parsed.events, clock_.wall_now_us(), ids_);
  const auto outcome =
      co_await async_commit(writer_, std::move(parsed.events), asio::use_awaitable);
  if (!outcome) co_return commit_failed(outcome.error());
  note_storage_ready(true);

  std::size_t accepted = 0;
  for (const auto& id : *outcome)
    if (id) ++accepted;
  auto& counted = counters_.local();
  counted.events_accepted.add(accepted);
  counted.events_duplicate.add(outcome->size() - accepted);
  co_return json_response(200, R"({"status_code":"200","accepted":)" + std::to_string(accepted) +
                                   R"(,"duplicates":)" +
                                   std::to_string(outcome->size() - accepted) + "}");
}

asio::awaitable<http_response> event_api::create(const http_request& request) {
  auto parsed = core::parse_single_event(request.body, options_.limits);
  if (!parsed.errors.empty()) co_return validation_failed(parsed.errors);
  fill_server_fields(parsed.events, clock_.wall_now_us(), ids_);
  auto event = parsed.events.front();
  const auto outcome =
      co_await async_commit(writer_, std::move(parsed.events), asio::use_awaitable);
  if (!outcome) co_return commit_failed(outcome.error());
  note_storage_ready(true);
  if (const auto id = outcome->front()) {
    counters_.local().events_accepted.add();
    co_return event_response(201, as_stored(std::move(event), *id));
  }
  counters_.local().events_duplicate.add();

  // Already stored under this event_id: answer with what is stored, as an idempotent replay.
  const auto existing =
      co_await offload([this, &event] { return store_.get_by_event_id(event.event_id); });
  if (!existing) co_return store_failed(existing.error());
  co_return event_response(200, *existing);
}

asio::awaitable<http_response> event_api::list(const http_request& request) {
  auto query = read_list_query(request.query);
  if (auto* errors = std::get_if<std::vector<core::field_error>>(&query))
    co_return validation_failed(*errors);
  const auto& q = std::get<core::list_query>(query);
  const auto page = co_await offload([this, &q] { return store_.list(q); });
  if (!page) co_return store_failed(page.error());

  std::string body = R"({"items":[)";
  for (std::size_t i = 0; i < page->items.size(); ++i) {
    if (i != 0) body.push_back(',');
    core::append_event_json(body, page->items[i]);
  }
  body += R"(],"next_cursor":)";
  if (page->has_more)
    body += "\"" + core::encode_cursor(page->items.back().id) + "\"";
  else
    body += "null";
  body += "}";
  co_return json_response(200, std::move(body));
}

asio::awaitable<http_response> event_api::get(const std::string& id_text) {
  const auto id = parse_id(id_text);
  if (!id) co_return invalid_id();
  const auto event = co_await offload([this, id] { return store_.get(*id); });
  if (!event) co_return store_failed(event.error());
  co_return json_response(200, core::event_json(*event));
}

asio::awaitable<http_response> event_api::update(const std::string& id_text,
                                                 const http_request& request, bool replace) {
  const auto id = parse_id(id_text);
  if (!id) co_return invalid_id();
  const auto parsed = core::parse_event_update(request.body, replace, options_.limits);
  if (!parsed.errors.empty()) co_return validation_failed(parsed.errors);
  const auto event =
      co_await offload([this, id, &parsed] { return store_.update(*id, parsed.update); });
  if (!event) co_return store_failed(event.error());
  co_return json_response(200, core::event_json(*event));
}

asio::awaitable<http_response> event_api::remove(const std::string& id_text) {
  const auto id = parse_id(id_text);
  if (!id) co_return invalid_id();
  const auto removed = co_await offload([this, id] { return store_.remove(*id); });
  if (!removed) co_return store_failed(removed.error());
  http_response res;
  res.status = 204;
  co_return res;
}

asio::awaitable<http_response> event_api::ready() {
  const auto ping = co_await offload([this] { return store_.ping(); });
  ready_checked_at_ns_.store(clock_.steady_now().time_since_epoch().count(),
                             std::memory_order_relaxed);
  if (!ping) co_return store_failed(ping.error());
  note_storage_ready(true);
  if (!writer_.running()) co_return error_response(errc::shutting_down, options_.retry_after, ids_);
  co_return json_response(200, R"({"status":"ready"})");
}

// The scrape runs the readiness check of /api/ready at most once per readiness_reuse, and
// reads /proc, off the I/O thread; commits and /api/ready keep the answer fresh in between.
asio::awaitable<http_response> event_api::scrape() {
  const auto now = clock_.steady_now().time_since_epoch();
  const std::chrono::steady_clock::duration checked_at{
      ready_checked_at_ns_.load(std::memory_order_relaxed)};
  const bool check = checked_at.count() == 0 || now - checked_at >= readiness_reuse;
  struct reads {
    std::optional<bool> storage_answered;  // when checked
    std::optional<process_stats> process;
  };
  auto read = co_await offload([this, check] {
    return reads{check ? std::optional<bool>{store_.ping().has_value()} : std::nullopt,
                 metrics::read_process_stats()};
  });
  if (read.storage_answered) {
    ready_checked_at_ns_.store(now.count(), std::memory_order_relaxed);
    if (!*read.storage_answered) counters_.local().storage_errors.add();
    note_storage_ready(*read.storage_answered);
  }
  const metrics_sources sources{
      .requests = counters_,
      .commits = writer_.commits(),
      .queued_events = writer_.queued_events(),
      .queue_capacity = writer_.queue_capacity(),
      .storage_ready = storage_ready_.load(std::memory_order_relaxed) && writer_.running(),
      .connections = server_ ? std::optional<connection_gauges>{{server_->open_connections(),
                                                                 server_->max_connections()}}
                             : std::nullopt,
      .token_cache_hits = tokens_.hits(),
      .token_verifications = tokens_.misses(),
      .process = read.process,
      .version = EVS_VERSION,
      .backend = options_.backend,
  };
  http_response res;
  res.content_type = std::string{metrics::exposition_content_type};
  res.body = render_metrics(sources);
  co_return res;
}

void event_api::on_answered(const server::matched_route* route, unsigned status,
                            std::size_t request_body_bytes,
                            std::chrono::nanoseconds elapsed) noexcept {
  counters_.local().count_answer(
      route ? std::optional<endpoint>{static_cast<endpoint>(route->endpoint)} : std::nullopt,
      status, request_body_bytes, elapsed);
}

http_response event_api::commit_failed(const boost::system::error_code& ec) {
  if (is_storage_fault(ec)) note_storage_ready(false);
  return error_response(ec, options_.retry_after, ids_);
}

http_response event_api::store_failed(const boost::system::error_code& ec) {
  if (is_storage_fault(ec)) {
    counters_.local().storage_errors.add();
    note_storage_ready(false);
  }
  return error_response(ec, options_.retry_after, ids_);
}

// Written only when it changes, so that the I/O threads do not all write one cache line on
// every commit.
void event_api::note_storage_ready(bool ready) noexcept {
  if (storage_ready_.load(std::memory_order_relaxed) != ready)
    storage_ready_.store(ready, std::memory_order_relaxed);
}

}  // namespace evs::consumer

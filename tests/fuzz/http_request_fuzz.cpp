// Bytes from anyone, over a real loopback connection, through the whole request path: the
// session's parser and limits, the router, the token check, validation and the handlers, down
// to a store kept in memory (the storage engines have fuzzers and crash tests of their own).
#include "consumer/batch_writer.hpp"
#include "consumer/event_api.hpp"
#include "runtime/clock.hpp"
#include "runtime/random.hpp"
#include "server/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <span>

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace evs;

// Just enough of a store to answer every route; bounded, so a long run does not grow it.
class memory_store final : public storage::event_store {
 public:
  result<storage::insert_outcome> insert(std::span<const core::new_event> events) override {
    const std::lock_guard lock{mutex_};
    if (by_id_.size() > 10'000) clear();
    storage::insert_outcome outcome;
    for (const auto& e : events) {
      if (by_event_id_.contains(e.event_id)) {
        outcome.emplace_back();
        continue;
      }
      const auto id = ++last_id_;
      by_event_id_[e.event_id] = id;
      by_id_[id] = {id, e.event_id, e.event_type, e.payload_json, e.occurred_at, e.received_at_us};
      outcome.emplace_back(id);
    }
    return outcome;
  }
  result<core::stored_event> get(std::int64_t id) override {
    const std::lock_guard lock{mutex_};
    const auto it = by_id_.find(id);
    if (it == by_id_.end()) return errc::not_found;
    return it->second;
  }
  result<core::stored_event> get_by_event_id(std::string_view event_id) override {
    const std::lock_guard lock{mutex_};
    const auto it = by_event_id_.find(std::string{event_id});
    if (it == by_event_id_.end()) return errc::not_found;
    return by_id_.at(it->second);
  }
  result<core::event_page> list(const core::list_query& query) override {
    const std::lock_guard lock{mutex_};
    core::event_page page;
    for (auto it = by_id_.upper_bound(query.after_id.value_or(0));
         it != by_id_.end() && page.items.size() < query.limit; ++it)
      page.items.push_back(it->second);
    return page;
  }
  result<core::stored_event> update(std::int64_t id, const core::event_update& update) override {
    const std::lock_guard lock{mutex_};
    const auto it = by_id_.find(id);
    if (it == by_id_.end()) return errc::not_found;
    if (update.event_type) it->second.event_type = *update.event_type;
    if (update.payload_json) it->second.payload_json = *update.payload_json;
    return it->second;
  }
  result<void> remove(std::int64_t id) override {
    const std::lock_guard lock{mutex_};
    const auto it = by_id_.find(id);
    if (it == by_id_.end()) return errc::not_found;
    by_event_id_.erase(it->second.event_id);
    by_id_.erase(it);
    return {};
  }
  result<void> ping() override { return {}; }

 private:
  void clear() {
    by_id_.clear();
    by_event_id_.clear();
  }
  std::mutex mutex_;
  std::int64_t last_id_ = 0;
  std::map<std::int64_t, core::stored_event> by_id_;
  std::map<std::string, std::int64_t> by_event_id_;
};

server::server_config fuzz_server_config() {
  server::server_config config;
  config.read_timeout = std::chrono::seconds{1};
  config.idle_timeout = std::chrono::seconds{1};
  return config;
}

// The consumer's parts, built once: the secret is the seed corpus's (tests/fuzz/corpus/
// http_request), so that seeded inputs get past the token check into validation and storage.
struct in_process_consumer {
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
  memory_store store;
  consumer::batch_writer writer{store, {}};
  auth::token_verifier verifier{
      "fuzzing-secret-of-at-least-32-bytes!", auth::jwt_algorithm::hs256, {}};
  runtime::system_clock clock;
  runtime::seeded_random random{1};
  consumer::event_api api{store, writer, verifier, clock, random, {}};
  server::server_config config = fuzz_server_config();
  server::session_registry registry;
};

// Reads the answer until the server closes, so that its writes never wait on us.
asio::awaitable<void> drain(tcp::socket& client) {
  std::array<char, 4096> sink{};
  for (;;) {
    auto [ec, n] =
        co_await client.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

// Sends the input whole, then end of stream: the session sees every byte and then the client
// leave. Asynchronous, like every socket call here: libFuzzer's watchdog is a periodic SIGALRM,
// and a blocking connect or send it interrupts fails with EINTR, where the reactor retries.
asio::awaitable<void> send_and_drain(tcp::socket& client, std::span<const std::uint8_t> input) {
  auto [ec, n] = co_await asio::async_write(client, asio::buffer(input.data(), input.size()),
                                            asio::as_tuple(asio::use_awaitable));
  if (!ec) client.shutdown(tcp::socket::shutdown_send, ec);
  co_await drain(client);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static in_process_consumer c;
  tcp::socket client{c.ioc};
  tcp::socket server{c.ioc};
  boost::system::error_code connected;
  boost::system::error_code accepted;
  client.async_connect(c.acceptor.local_endpoint(),
                       [&](const boost::system::error_code& ec) { connected = ec; });
  c.acceptor.async_accept(server, [&](const boost::system::error_code& ec) { accepted = ec; });
  c.ioc.restart();
  c.ioc.run();
  if (connected || accepted) std::abort();  // loopback set-up failing is the harness's bug

  asio::co_spawn(c.ioc, server::run_session(std::move(server), c.config, c.api, c.registry),
                 [](const std::exception_ptr& e) {
                   if (e) std::abort();  // a session never lets an exception out
                 });
  asio::co_spawn(c.ioc, send_and_drain(client, {data, size}), asio::detached);
  c.ioc.restart();
  c.ioc.run();
  return 0;
}

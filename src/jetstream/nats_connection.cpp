#include "jetstream/nats_connection.hpp"

#include "runtime/log.hpp"

#include <algorithm>
#include <vector>

namespace evs::jetstream {
namespace {

void on_disconnected(natsConnection* nc, void*) {
  if (!natsConnection_IsClosed(nc)) log::warn("NATS connection lost; reconnecting");
}

void on_reconnected(natsConnection* nc, void*) {
  char url[256] = {};
  natsConnection_GetConnectedUrl(nc, url, sizeof url);
  log::info("NATS connection restored", {{"server", url}});
}

}  // namespace

connection_ptr connect(const jetstream_config& config) {
  natsOptions* raw = nullptr;
  throw_unless_ok(natsOptions_Create(&raw), "NATS_URL: cannot create connection options");
  const options_ptr options{raw};
  std::vector<const char*> servers;
  for (const auto& s : config.servers) servers.push_back(s.c_str());
  // Per server tried: a dead one must not hold the start for the whole timeout.
  const auto timeout_ms = std::min<int64_t>(config.timeout.count(), 2000);
  natsStatus s =
      natsOptions_SetServers(options.get(), servers.data(), static_cast<int>(servers.size()));
  if (s == NATS_OK) s = natsOptions_SetTimeout(options.get(), timeout_ms);
  // A lost server is not a reason to give up: the others (or it, restarted) take over.
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(options.get(), -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(options.get(), 250);
  if (s == NATS_OK) s = natsOptions_SetReconnectJitter(options.get(), 100, 1000);
  if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(options.get(), on_disconnected, nullptr);
  if (s == NATS_OK) s = natsOptions_SetReconnectedCB(options.get(), on_reconnected, nullptr);
  throw_unless_ok(s, "NATS_URL: bad connection options");

  natsConnection* nc = nullptr;
  throw_unless_ok(natsConnection_Connect(&nc, options.get()),
                  "NATS_URL: cannot connect to any of its servers");
  return connection_ptr{nc};
}

context_ptr open_context(natsConnection& connection, const jetstream_config& config,
                         jsPubAckHandler ack_handler, void* closure) {
  jsOptions options;
  jsOptions_Init(&options);
  options.Wait = config.timeout.count();
  options.PublishAsync.AckHandler = ack_handler;
  options.PublishAsync.AckHandlerClosure = closure;
  jsCtx* js = nullptr;
  throw_unless_ok(natsConnection_JetStream(&js, &connection, &options),
                  "NATS_URL: cannot open a JetStream context");
  return context_ptr{js};
}

}  // namespace evs::jetstream

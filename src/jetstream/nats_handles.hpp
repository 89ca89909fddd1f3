#pragma once
// Owning wrappers of libnats's C handles, so that every exit path destroys them.
#include <nats/nats.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace evs::jetstream {

template <auto Destroy>
struct nats_deleter {
  template <class T>
  void operator()(T* p) const noexcept {
    Destroy(p);
  }
};

using options_ptr = std::unique_ptr<natsOptions, nats_deleter<&natsOptions_Destroy>>;
using connection_ptr = std::unique_ptr<natsConnection, nats_deleter<&natsConnection_Destroy>>;
using context_ptr = std::unique_ptr<jsCtx, nats_deleter<&jsCtx_Destroy>>;
using message_ptr = std::unique_ptr<natsMsg, nats_deleter<&natsMsg_Destroy>>;
using stream_info_ptr = std::unique_ptr<jsStreamInfo, nats_deleter<&jsStreamInfo_Destroy>>;
using subscription_ptr = std::unique_ptr<natsSubscription, nats_deleter<&natsSubscription_Destroy>>;

// Throws std::runtime_error with `what`, the status text and the last error libnats recorded.
inline void throw_unless_ok(natsStatus s, const std::string& what) {
  if (s == NATS_OK) return;
  const char* last = nats_GetLastError(nullptr);
  throw std::runtime_error(what + ": " + natsStatus_GetText(s) +
                           (last && *last ? std::string{" ("} + last + ")" : std::string{}));
}

}  // namespace evs::jetstream

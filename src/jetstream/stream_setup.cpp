#include "jetstream/stream_setup.hpp"

#include "runtime/log.hpp"

#include <chrono>
#include <string>
#include <thread>

namespace evs::jetstream {

void ensure_stream(jsCtx& js, const jetstream_config& config) {
  const auto deadline = std::chrono::steady_clock::now() + config.timeout;
  for (;;) {
    jsStreamInfo* raw = nullptr;
    jsErrCode code{};
    natsStatus s = js_GetStreamInfo(&raw, &js, config.stream.c_str(), nullptr, &code);
    const stream_info_ptr existing{raw};
    if (s == NATS_OK) return;
    if (s == NATS_NOT_FOUND || code == JSStreamNotFoundErr) {
      const char* subjects[] = {config.subject.c_str()};
      jsStreamConfig stream;
      jsStreamConfig_Init(&stream);
      stream.Name = config.stream.c_str();
      stream.Subjects = subjects;
      stream.SubjectsLen = 1;
      stream.Storage = js_FileStorage;
      stream.Replicas = config.replicas;
      stream.Duplicates =
          std::chrono::duration_cast<std::chrono::nanoseconds>(config.duplicate_window).count();
      jsStreamInfo* created = nullptr;
      s = js_AddStream(&created, &js, &stream, nullptr, &code);
      const stream_info_ptr made{created};
      if (s == NATS_OK) {
        log::info("JetStream stream created", {{"stream", config.stream},
                                               {"subject", config.subject},
                                               {"replicas", std::to_string(config.replicas)}});
        return;
      }
    }
    // Right after the cluster starts, or while it elects a leader, the API does not answer
    // yet; another consumer may also have created the stream meanwhile.
    if (std::chrono::steady_clock::now() >= deadline)
      throw_unless_ok(s == NATS_OK ? NATS_ERR : s, "NATS_STREAM: cannot find or create stream " +
                                                       config.stream + " (JetStream error " +
                                                       std::to_string(code) + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
  }
}

}  // namespace evs::jetstream

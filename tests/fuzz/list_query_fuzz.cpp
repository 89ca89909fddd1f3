// The query string of `GET /api/events`, as any client may send it: whatever the bytes, the
// parser answers with a query inside the documented bounds or with errors naming the query,
// never both and never neither.
#include "consumer/list_query.hpp"
#include "core/cursor.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  const auto result = evs::consumer::read_list_query(text);
  if (const auto* q = std::get_if<evs::core::list_query>(&result)) {
    if (q->limit < 1 || q->limit > 1000) std::abort();
    // A cursor we accepted is one we could have handed out.
    if (q->after_id &&
        evs::core::decode_cursor(evs::core::encode_cursor(*q->after_id)) != q->after_id)
      std::abort();
  } else {
    const auto& errors = std::get<std::vector<evs::core::field_error>>(result);
    if (errors.empty()) std::abort();
    for (const auto& e : errors)
      if (e.loc.empty() || e.loc.front() != "query") std::abort();
    (void)evs::core::validation_error_body(errors);
  }
  return 0;
}

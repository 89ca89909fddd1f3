#include "consumer/list_query.hpp"

#include "core/cursor.hpp"
#include "core/rfc3339.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evs::consumer {
namespace {

core::list_query accepted(std::string_view text) {
  auto result = read_list_query(text);
  if (auto* q = std::get_if<core::list_query>(&result)) return *q;
  ADD_FAILURE() << "refused: " << text;
  return {};
}

std::vector<std::string> refused_types(std::string_view text) {
  auto result = read_list_query(text);
  std::vector<std::string> types;
  if (auto* errors = std::get_if<std::vector<core::field_error>>(&result))
    for (const auto& e : *errors) types.push_back(e.type);
  return types;
}

TEST(ListQuery, EmptyQueryMeansDefaults) {
  const auto q = accepted("");
  EXPECT_EQ(q.limit, 100U);
  EXPECT_FALSE(q.event_type || q.event_id || q.since_us || q.until_us || q.after_id);
}

TEST(ListQuery, ReadsEveryFilter) {
  const auto cursor = core::encode_cursor(42);
  const auto q = accepted(
      "event_type=page%20view&event_id=e-1&since=2024-01-02T03:04:05Z"
      "&until=2024-01-03T00:00:00Z&limit=1000&cursor=" +
      cursor + "&unknown=1");
  EXPECT_EQ(q.event_type, "page view");
  EXPECT_EQ(q.event_id, "e-1");
  EXPECT_EQ(q.since_us, core::parse_rfc3339("2024-01-02T03:04:05Z"));
  EXPECT_EQ(q.until_us, core::parse_rfc3339("2024-01-03T00:00:00Z"));
  EXPECT_EQ(q.limit, 1000U);
  EXPECT_EQ(q.after_id, 42);
}

TEST(ListQuery, EmptyCursorIsTheFirstPage) { EXPECT_FALSE(accepted("cursor=").after_id); }

TEST(ListQuery, ReportsEveryBadParameter) {
  EXPECT_EQ(refused_types("limit=0&since=yesterday&cursor=zz!"),
            (std::vector<std::string>{"limit_range", "datetime_parsing", "cursor_invalid"}));
  for (const auto* limit : {"limit=1001", "limit=-1", "limit=", "limit=10x", "limit=1e3",
                            "limit=99999999999999999999999"})
    EXPECT_EQ(refused_types(limit), std::vector<std::string>{"limit_range"}) << limit;
}

TEST(ListQuery, BrokenEscapeRefusesTheWholeQuery) {
  EXPECT_EQ(refused_types("limit=5&event_type=%zz"), std::vector<std::string>{"query_parsing"});
}

}  // namespace
}  // namespace evs::consumer

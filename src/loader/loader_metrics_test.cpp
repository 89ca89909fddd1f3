#include "loader/loader_metrics.hpp"

#include <gtest/gtest.h>

namespace evs::loader {
namespace {

TEST(LoaderMetrics, RenderShowsTheCountsOfTheDrain) {
  loader_metrics m;
  m.loaded.add(7);
  m.duplicates.add(2);
  m.batches.add(3);
  m.pending.set(41);
  m.store_down.set(1);
  m.commit_duration.observe(2'000'000);
  const auto text = render_metrics(m, std::nullopt, "1.2.3");
  EXPECT_NE(text.find("\nevs_loader_events_loaded_total 7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nevs_loader_events_duplicate_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("\nevs_loader_batches_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("\nevs_loader_stream_pending 41\n"), std::string::npos);
  EXPECT_NE(text.find("\nevs_loader_store_down 1\n"), std::string::npos);
  EXPECT_NE(text.find("evs_loader_commit_duration_seconds_count 1\n"), std::string::npos);
  EXPECT_NE(text.find("evs_build_info{version=\"1.2.3\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace evs::loader

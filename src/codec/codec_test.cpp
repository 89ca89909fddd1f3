#include "codec/body_inflater.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace evs::codec {
namespace {

TEST(ContentCoding, NamesGzipDeflateAndIdentityOnly) {
  EXPECT_EQ(parse_content_coding(""), content_coding::identity);
  EXPECT_EQ(parse_content_coding("identity"), content_coding::identity);
  EXPECT_EQ(parse_content_coding(" GZip "), content_coding::gzip);
  EXPECT_EQ(parse_content_coding("x-gzip"), content_coding::gzip);
  EXPECT_EQ(parse_content_coding("deflate"), content_coding::deflate);
  EXPECT_EQ(parse_content_coding("br"), std::nullopt);
  EXPECT_EQ(parse_content_coding("gzip, gzip"), std::nullopt);
  EXPECT_EQ(parse_content_coding("compress"), std::nullopt);
}

TEST(BodyInflater, DecodesGzipAndDeflateFedAByteAtATime) {
  const std::string text = R"([{"event_type":"a","event_payload":"x"}])";
  for (const auto coding : {content_coding::gzip, content_coding::deflate}) {
    const auto packed = compress(text, coding);
    body_inflater inflater{coding};
    std::string out;
    for (const char c : packed)
      ASSERT_EQ(inflater.feed(std::string_view{&c, 1}, out, 1024), body_inflater::status::ok);
    EXPECT_TRUE(inflater.ended());
    EXPECT_EQ(out, text);
  }
}

TEST(BodyInflater, ABombStopsAtTheLimitHavingHeldNoMore) {
  // Ten megabytes of zeros pack into about ten kilobytes.
  const auto bomb = compress(std::string(10 * 1024 * 1024, '0'), content_coding::gzip);
  ASSERT_LT(bomb.size(), 64U * 1024);
  body_inflater inflater{content_coding::gzip};
  std::string out;
  EXPECT_EQ(inflater.feed(bomb, out, 1024 * 1024), body_inflater::status::too_large);
  EXPECT_LE(out.size(), 1024U * 1024);
  EXPECT_LE(out.capacity(), 2U * 1024 * 1024) << "grew no further than the limit allows";
}

TEST(BodyInflater, CorruptOrTruncatedStreamsAreCorrupt) {
  auto packed = compress(std::string(1000, 'a'), content_coding::gzip);
  {
    body_inflater inflater{content_coding::gzip};
    std::string out;
    EXPECT_EQ(inflater.feed("this is not gzip", out, 1024), body_inflater::status::corrupt);
  }
  {
    body_inflater inflater{content_coding::gzip};
    std::string out;
    EXPECT_EQ(inflater.feed(std::string_view{packed}.substr(0, packed.size() / 2), out, 4096),
              body_inflater::status::ok);
    EXPECT_FALSE(inflater.ended()) << "cut short: the reader reports it when the body ends";
  }
  {
    packed[packed.size() - 6] ^= 0x55;  // the CRC of the trailer
    body_inflater inflater{content_coding::gzip};
    std::string out;
    EXPECT_EQ(inflater.feed(packed, out, 4096), body_inflater::status::corrupt);
  }
}

TEST(Compress, ReadsBackThroughZlibsOwnOneShotDecoder) {
  const std::string text(5000, 'z');
  const auto packed = compress(text, content_coding::deflate);
  EXPECT_LT(packed.size(), 100U);
  std::string back(text.size(), '\0');
  uLongf size = back.size();
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(back.data()), &size,
                       reinterpret_cast<const Bytef*>(packed.data()), packed.size()),
            Z_OK);
  EXPECT_EQ(back, text);
}

TEST(BodyInflater, ConcatenatedGzipMembersAreOneBody) {
  const auto a = compress("[1,", content_coding::gzip);
  const auto b = compress("2]", content_coding::gzip);
  body_inflater inflater{content_coding::gzip};
  std::string out;
  EXPECT_EQ(inflater.feed(a + b, out, 1024), body_inflater::status::ok);
  EXPECT_TRUE(inflater.ended());
  EXPECT_EQ(out, "[1,2]");
}

}  // namespace
}  // namespace evs::codec

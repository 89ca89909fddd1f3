#include "server/query_params.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/pchars.hpp>

namespace evs::server {
namespace {

namespace urls = boost::urls;

// What RFC 3986 allows in a query, escapes aside.
constexpr auto query_chars = urls::pchars + '/' + '?';

// Clients such as curl send characters RFC 3986 wants escaped ('|', '{', '"', raw UTF-8...) as
// typed, and Beast accepts them in a request target. Escaping them lets them stand for
// themselves, where Boost.URL alone would reject the whole query; existing escapes are kept,
// so a broken one still makes the query malformed.
std::string escape_stray_characters(std::string_view query) {
  std::string out;
  for (;;) {
    const auto percent = query.find('%');
    out += urls::encode(query.substr(0, percent), query_chars);
    if (percent == std::string_view::npos) return out;
    out += '%';
    query.remove_prefix(percent + 1);
  }
}

}  // namespace

std::optional<query_params> decode_query(std::string_view query) {
  const auto escaped = escape_stray_characters(query);
  const auto params = urls::parse_query(escaped);
  if (!params) return std::nullopt;
  urls::encoding_opts form;
  form.space_as_plus = true;
  query_params out;
  out.reserve(params->size());
  for (const auto& param : *params) {
    if (param.key.empty() && !param.has_value) continue;
    out.emplace_back(param.key.decode(form), param.value.decode(form));
  }
  return out;
}

}  // namespace evs::server

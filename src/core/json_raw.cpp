#include "core/json_raw.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace evs::core {
namespace {

// A forward-only walk over text that is known to be valid JSON: no error handling needed.
class scanner {
 public:
  explicit scanner(std::string_view text) : s_{text} {}

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void advance() { ++i_; }

  // At an opening quote: the token, quotes included.
  std::string_view string_token() {
    const auto start = i_++;
    while (s_[i_] != '"') i_ += s_[i_] == '\\' ? std::size_t{2} : std::size_t{1};
    ++i_;
    return s_.substr(start, i_ - start);
  }

  // At the first character of a value: the value's text.
  std::string_view value() {
    const auto start = i_;
    const char c = peek();
    if (c == '"') {
      string_token();
    } else if (c == '{' || c == '[') {
      int depth = 0;
      do {
        const char d = peek();
        if (d == '"') {
          string_token();
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') --depth;
        ++i_;
      } while (depth > 0);
    } else {
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' &&
             s_[i_] != '\t' && s_[i_] != '\n' && s_[i_] != '\r')
        ++i_;
    }
    return s_.substr(start, i_ - start);
  }

  // At '{': the last value of `key`, leaving the scanner after the closing brace.
  std::optional<std::string_view> member(std::string_view key) {
    std::optional<std::string_view> found;
    advance();
    skip_space();
    if (peek() == '}') {
      advance();
      return found;
    }
    for (;;) {
      skip_space();
      const auto name = string_token();
      skip_space();
      advance();  // ':'
      skip_space();
      const auto text = value();
      if (same_key(name, key)) found = text;
      skip_space();
      const char next = peek();
      advance();  // ',' or '}'
      if (next == '}') return found;
    }
  }

 private:
  // Keys may be written with escapes ("event\u005fpayload"); decode those before comparing.
  static bool same_key(std::string_view token, std::string_view key) {
    const auto inner = token.substr(1, token.size() - 2);
    if (inner.find('\\') == std::string_view::npos) return inner == key;
    boost::system::error_code ec;
    const auto decoded = boost::json::parse(token, ec);
    return !ec && decoded.is_string() && decoded.get_string() == key;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::vector<std::optional<std::string_view>> raw_member_values(std::string_view json,
                                                               std::string_view key) {
  std::vector<std::optional<std::string_view>> out;
  scanner scan{json};
  scan.skip_space();
  if (scan.peek() == '{') {
    out.push_back(scan.member(key));
    return out;
  }
  if (scan.peek() != '[') return out;
  scan.advance();
  scan.skip_space();
  if (scan.peek() == ']') return out;
  for (;;) {
    scan.skip_space();
    if (scan.peek() == '{') {
      out.push_back(scan.member(key));
    } else {
      scan.value();
      out.emplace_back(std::nullopt);
    }
    scan.skip_space();
    const char next = scan.peek();
    scan.advance();
    if (next != ',') return out;
  }
}

}  // namespace evs::core

// event-token: mints a JWT signed with SECRET_KEY / ALGORITHM for the consumer.
#include "auth/token_minter.hpp"
#include "runtime/cli_main.hpp"
#include "runtime/setting_table.hpp"

#include <chrono>
#include <cstdio>

namespace {

using evs::runtime::setting_value;

// The keys event-token shares with event-consumer, with the same defaults (.env.example
// documents them in the consumer's section).
struct token_keys {
  std::string secret;
  evs::auth::jwt_algorithm algorithm{};
};

const evs::runtime::setting_table<token_keys> token_settings = {
    evs::runtime::secret_setting<token_keys>(
        "SECRET_KEY", evs::auth::min_secret_bytes, "HMAC key (required, at least 32 bytes)",
        [](token_keys& k, const setting_value& v) { k.secret = v.text; }),
    evs::runtime::choice_setting<token_keys>(
        "ALGORITHM", "HS256", {"HS256", "HS384", "HS512"}, "HS256, HS384 or HS512",
        [](token_keys& k, const setting_value& v) {
          k.algorithm = *evs::auth::parse_jwt_algorithm(v.text);
        }),
};

// "30d", "12h", "15m", "45s" or plain seconds; "0" or "never": no expiry.
std::optional<std::int64_t> parse_ttl(const std::string& text) {
  if (text == "never" || text == "0") return std::nullopt;
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    throw evs::runtime::config_error("--ttl: expected a duration such as 30d, 12h, 15m or 3600");
  }
  const std::string unit = text.substr(used);
  std::int64_t factor = 0;
  if (unit.empty() || unit == "s") factor = 1;
  if (unit == "m") factor = 60;
  if (unit == "h") factor = 3600;
  if (unit == "d") factor = 86400;
  if (factor == 0 || value < 0)
    throw evs::runtime::config_error("--ttl: expected a duration such as 30d, 12h, 15m or 3600");
  // Checked before multiplying, which could otherwise overflow.
  constexpr std::int64_t max_seconds = std::int64_t{36500} * 86400;  // 100 years
  if (value > max_seconds / factor)
    throw evs::runtime::config_error("--ttl: at most 100 years (36500d); use never for no expiry");
  return value * factor;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"event-token: prints a JWT for event-consumer, signed with SECRET_KEY/ALGORITHM",
               "event-token"};
  app.set_version_flag("--version", EVS_VERSION);
  app.add_option("--env-file", "read settings from this file instead of ./.env");
  evs::runtime::settings settings{app};
  evs::runtime::declare(settings, token_settings);
  std::string subject = "event-propagator";
  std::string scope = "events:write";
  std::string ttl = "30d";
  bool all_scopes = false;
  std::string audience;
  std::string issuer;
  app.add_option("--sub", subject, "subject (who the token is for)")->capture_default_str();
  app.add_option("--scope", scope, "space-separated scopes: events:read events:write events:admin")
      ->capture_default_str();
  app.add_flag("--all-scopes", all_scopes, "omit the scope claim: the token has every scope");
  app.add_option("--ttl", ttl, "lifetime: 30d, 12h, 15m, seconds, or never")->capture_default_str();
  app.add_option("--aud", audience, "aud claim (for a consumer with JWT_AUDIENCE)");
  app.add_option("--iss", issuer, "iss claim (for a consumer with JWT_ISSUER)");

  return evs::runtime::cli_main(app, argc, argv, [&] {
    if (!settings.optional_text("SECRET_KEY"))
      throw evs::runtime::config_error("SECRET_KEY: must be set");
    token_keys keys;
    evs::runtime::read(settings, token_settings, keys);
    evs::auth::token_request request;
    request.subject = subject;
    if (!all_scopes) request.scope = scope;
    request.issued_at = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    request.lifetime_seconds = parse_ttl(ttl);
    if (!audience.empty()) request.audience = audience;
    if (!issuer.empty()) request.issuer = issuer;
    std::puts(evs::auth::mint_token(request, keys.secret, keys.algorithm).c_str());
    return 0;
  });
}

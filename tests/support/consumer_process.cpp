#include "support/consumer_process.hpp"

#include "support/http_client.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <sqlite3.h>

#include <csignal>
#include <regex>
#include <stdexcept>

namespace evs::test {

void set_env(env_settings& env, const std::string& name, std::optional<std::string> value) {
  for (auto& [key, current] : env)
    if (key == name) {
      current = std::move(value);
      return;
    }
  env.emplace_back(name, std::move(value));
}

env_settings consumer_environment() {
  return {{"SECRET_KEY", std::string{test_secret}},
          {"ALGORITHM", "HS256"},
          {"HOST", "127.0.0.1"},
          {"PORT", "0"},
          {"THREADS", "2"},
          {"DATABASE_URL", std::nullopt},
          {"DB_HOSTNAME", std::nullopt},
          {"DB_DRIVER", std::nullopt},
          {"DB_PORT", std::nullopt},
          {"DB_USER", std::nullopt},
          {"DB_PASSWORD", std::nullopt},
          {"DB_DATASET", std::nullopt},
          {"DB_READ_URL", std::nullopt},
          {"DB_PATH", std::nullopt},
          {"LOG_FORMAT", "text"},
          {"LOG_LEVEL", "info"},
          {"SHUTDOWN_TIMEOUT_SECONDS", "10"}};
}

process_options consumer_options(std::string program, const env_settings& overrides,
                                 std::filesystem::path cwd) {
  process_options options;
  options.program = std::move(program);
  options.cwd = std::move(cwd);
  options.env = consumer_environment();
  for (const auto& [name, value] : overrides) set_env(options.env, name, value);
  return options;
}

consumer_process::consumer_process(std::string program, std::filesystem::path log_path,
                                   const env_settings& overrides)
    : log_path_{std::move(log_path)} {
  auto options = consumer_options(std::move(program), overrides, log_path_.parent_path());
  options.stderr_path = log_path_;
  process_ = std::make_unique<child_process>(options);
}

std::uint16_t consumer_process::wait_listening(std::chrono::milliseconds deadline) {
  static const std::regex listening{R"(listening address=http://127\.0\.0\.1:(\d+))"};
  std::uint16_t port = 0;
  const bool up = eventually(
      [&] {
        std::smatch m;
        const auto text = log();
        if (std::regex_search(text, m, listening)) {
          port = static_cast<std::uint16_t>(std::stoi(m[1].str()));
          return true;
        }
        return !process_->running();
      },
      deadline);
  if (!up || port == 0) throw std::runtime_error("event-consumer did not start:\n" + log());
  return port;
}

std::optional<exit_status> consumer_process::kill_hard(std::chrono::milliseconds deadline) {
  process_->send_signal(SIGKILL);
  return process_->wait_for(deadline);
}

std::optional<exit_status> consumer_process::terminate(std::chrono::milliseconds deadline) {
  process_->send_signal(SIGTERM);
  return process_->wait_for(deadline);
}

std::string consumer_process::log() const { return read_text_file(log_path_); }

std::map<std::string, int> count_stored_event_ids(std::uint16_t port, const std::string& filters) {
  std::map<std::string, int> stored;
  const auto token = make_token("events:read");
  http_client client{port};
  std::string cursor;
  for (;;) {
    std::string target = "/api/events?limit=1000" + filters;
    if (!cursor.empty()) target += "&cursor=" + cursor;
    const auto r = client.get(target, token);
    if (r.status != 200) throw std::runtime_error("listing failed: " + r.body);
    const auto page = r.json().as_object();
    for (const auto& e : page.at("items").as_array())
      ++stored[std::string{e.at("event_id").as_string()}];
    if (page.at("next_cursor").is_null()) return stored;
    cursor = std::string{page.at("next_cursor").as_string()};
  }
}

std::map<std::string, int> sqlite_stored_event_ids(const std::filesystem::path& db_path) {
  std::map<std::string, int> ids;
  if (!std::filesystem::exists(db_path)) return ids;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT event_id FROM events", -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW)
        ++ids[reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))];
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return ids;
}

}  // namespace evs::test

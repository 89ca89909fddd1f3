// https with a private CA, with the real programs: a throwaway CA and a certificate for
// 127.0.0.1 made with the openssl CLI, real nginx terminating TLS in front of a real
// event-consumer (SQLite), and event-propagator sending to it. With API_CA_FILE naming the CA
// every event is stored exactly once; without it the certificate is refused and nothing is.
#include "support/consumer_process.hpp"
#include "support/process.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"
#include "support/tokens.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <fstream>
#include <map>
#include <sstream>

namespace evs::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* nginx_binary = "/usr/sbin/nginx";
constexpr const char* openssl_binary = EVS_OPENSSL_BIN;

// A line of the propagator's log saying a delivery failed and will be retried, because of
// the server's certificate.
bool has_certificate_retry_line(const std::string& log) {
  std::istringstream lines{log};
  for (std::string line; std::getline(lines, line);) {
    const bool retry = line.find("will retry") != std::string::npos ||
                       line.find("waiting for it") != std::string::npos;
    const bool tls =
        line.find("certificate") != std::string::npos || line.find("SSL") != std::string::npos;
    if (retry && tls) return true;
  }
  return false;
}

class PropagatorTls : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(nginx_binary)) << "nginx is missing: run make install";
    ASSERT_TRUE(std::filesystem::exists(openssl_binary)) << "openssl is missing: run make install";
    make_certificates();
    if (HasFatalFailure()) return;
    consumer_ = std::make_unique<consumer_process>(EVS_CONSUMER_BINARY, dir / "consumer.log",
                                                   env_settings{{"DB_PATH", db_path.string()}});
    const auto consumer_port = consumer_->wait_listening();
    start_nginx(consumer_port);
  }

  void TearDown() override {
    if (nginx_) {
      nginx_->send_signal(SIGQUIT);
      nginx_->wait_for(10s);
    }
    if (consumer_) consumer_->terminate(30s);
  }

  void openssl(std::vector<std::string> args) {
    process_options options;
    options.program = openssl_binary;
    options.args = std::move(args);
    options.cwd = dir.path();
    const auto result = run_program(options, dir / "openssl-scratch");
    ASSERT_TRUE(result.status.exited && result.status.code == 0)
        << "openssl " << options.args.front() << " failed:\n"
        << result.out << result.err;
  }

  // ca.pem (a CA made for this test alone), and server.pem/server.key for IP 127.0.0.1
  // signed by it.
  void make_certificates() {
    std::filesystem::create_directories(dir / "openssl-scratch");
    std::ofstream{dir / "server.ext"} << "subjectAltName=IP:127.0.0.1\n"
                                         "basicConstraints=CA:FALSE\n"
                                         "extendedKeyUsage=serverAuth\n";
    ASSERT_NO_FATAL_FAILURE(
        openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj",
                 "/CN=event-services test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign"}));
    ASSERT_NO_FATAL_FAILURE(openssl(
        {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"}));
    ASSERT_NO_FATAL_FAILURE(
        openssl({"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "server.ext"}));
  }

  void start_nginx(std::uint16_t consumer_port) {
    const auto d = dir.path().string();
    std::ofstream{dir / "nginx.conf"}
        << "daemon off;\nworker_processes 1;\npid " << d << "/nginx.pid;\nerror_log " << d
        << "/error.log warn;\nevents { worker_connections 256; }\nhttp {\n  access_log " << d
        << "/access.log;\n  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d
        << "/proxy;\n  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d
        << "/uwsgi;\n  scgi_temp_path " << d << "/scgi;\n"
        << "  upstream consumer {\n    server 127.0.0.1:" << consumer_port
        << ";\n    keepalive 4;\n  }\n"
        << "  server {\n    listen 127.0.0.1:" << nginx_port << " ssl;\n"
        << "    ssl_certificate " << d << "/server.pem;\n"
        << "    ssl_certificate_key " << d << "/server.key;\n"
        << "    client_max_body_size 2m;\n"
        << "    location / {\n      proxy_pass http://consumer;\n"
        << "      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n    }\n"
        << "  }\n}\n";
    process_options options;
    options.program = nginx_binary;
    options.args = {"-c", d + "/nginx.conf", "-e", d + "/error.log"};
    options.stderr_path = dir / "nginx.stderr";
    nginx_ = std::make_unique<child_process>(options);
    ASSERT_TRUE(eventually([&] {
      return read_text_file(dir / "error.log").find("start worker process") != std::string::npos ||
             std::filesystem::exists(dir / "nginx.pid");
    })) << read_text_file(dir / "error.log")
        << read_text_file(dir / "nginx.stderr");
  }

  process_options propagator_options(std::optional<std::string> ca_file,
                                     const std::string& name) const {
    process_options options;
    options.program = EVS_PROPAGATOR_BIN;
    options.args = {"--count", "50"};
    options.cwd = dir.path();
    options.stderr_path = dir / (name + ".log");
    options.env = {{"API_URL", "https://127.0.0.1:" + std::to_string(nginx_port) + "/api/event"},
                   {"API_TOKEN", make_token("events:write")},
                   {"API_CA_FILE", std::move(ca_file)},
                   {"SPOOL_PATH", (dir / name / "spool.db").string()},
                   {"INTERVAL_SECONDS", "0"},
                   {"BATCH_SIZE", "1"},
                   {"BACKOFF_BASE_SECONDS", "0.05"},
                   {"BACKOFF_MAX_SECONDS", "0.2"},
                   {"REQUEST_TIMEOUT_SECONDS", "5"},
                   {"SHUTDOWN_TIMEOUT_SECONDS", "1"},
                   {"EVENTS_FILE", std::nullopt},
                   {"LOG_FORMAT", "text"},
                   {"LOG_LEVEL", "info"}};
    return options;
  }

  temp_dir dir{"evs-prop-tls"};
  std::filesystem::path db_path = dir / "data" / "events.db";
  std::uint16_t nginx_port = unused_port();
  std::unique_ptr<consumer_process> consumer_;
  std::unique_ptr<child_process> nginx_;
};

TEST_F(PropagatorTls, TrustingThePrivateCaDeliversEveryEventOnce) {
  const auto options = propagator_options((dir / "ca.pem").string(), "trusted");
  const auto result = run_program(options, dir.path(), 60s);
  const auto& log = result.err;
  ASSERT_TRUE(result.status.exited) << log;
  EXPECT_EQ(result.status.code, 0) << log;

  const auto stored = sqlite_stored_event_ids(db_path);
  EXPECT_EQ(stored.size(), 50U) << log;
  for (const auto& [id, rows] : stored) EXPECT_EQ(rows, 1) << id;
  // The requests went through nginx, that is over TLS.
  EXPECT_NE(read_text_file(dir / "access.log").find("POST /api/event"), std::string::npos);
}

TEST_F(PropagatorTls, WithoutTheCaTheCertificateIsRefusedAndNothingIsStored) {
  const auto options = propagator_options(std::nullopt, "untrusted");
  child_process propagator{options};
  EXPECT_TRUE(eventually(
      [&] { return has_certificate_retry_line(read_text_file(options.stderr_path)); }, 30s))
      << read_text_file(options.stderr_path);
  propagator.send_signal(SIGTERM);
  const auto exit = propagator.wait_for(30s);
  ASSERT_TRUE(exit.has_value()) << read_text_file(options.stderr_path);
  EXPECT_TRUE(exit->exited) << read_text_file(options.stderr_path);

  EXPECT_TRUE(sqlite_stored_event_ids(db_path).empty());
  EXPECT_EQ(read_text_file(dir / "access.log").find("POST /api/event"), std::string::npos);
}

}  // namespace
}  // namespace evs::test

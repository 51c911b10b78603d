#pragma once

// Shared by the fuzz targets of the server's own input (HTTP requests,
// WebSocket messages): one real server in the process, on 127.0.0.1 with an
// ephemeral port and a fresh data directory, serving on two threads; plain
// blocking sockets to talk to it, each read bounded in time. Limits that
// would turn every later input away (join lockout, session size, rates) are
// lifted, and the session the inputs act on is replaced every few hundred
// inputs, so that the board stays the size of a workshop.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>

#include "fuzz_target.hpp"
#include "ruche/server/config.hpp"
#include "ruche/server/server.hpp"
#include "ruche/storage/op_log.hpp"

namespace ruche::fuzz {

// A connection to the server; every read waits at most 2 s.
class client_socket {
  public:
    explicit client_socket(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        require(fd_ >= 0, "a socket can be made");
        timeval wait{2, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        require(::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0,
                "the server accepts a connection");
    }
    ~client_socket() { ::close(fd_); }
    client_socket(const client_socket&) = delete;
    client_socket& operator=(const client_socket&) = delete;

    // False once the server has closed its side (a refused write is not an
    // error: the server may close first, on purpose).
    bool write(std::string_view bytes) {
        while (!bytes.empty()) {
            const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    void done_writing() { ::shutdown(fd_, SHUT_WR); }

    // Reads until `until` is in what was read, the server closes, or 2 s pass.
    std::string read(std::string_view until = {}) {
        std::string got;
        char buffer[16384];
        while (until.empty() || got.find(until) == std::string::npos) {
            const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            got.append(buffer, static_cast<std::size_t>(n));
        }
        return got;
    }

    // Reads what comes until nothing has come for `quiet_ms` (replies to
    // what was sent: a welcome waits for its seat to be written, an ack for
    // its op), at most 2 s in all.
    std::string read_until_quiet(int quiet_ms) {
        std::string got;
        char buffer[16384];
        for (int rounds = 0; rounds < 2000 / quiet_ms; ++rounds) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, quiet_ms) <= 0) break;
            const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            got.append(buffer, static_cast<std::size_t>(n));
        }
        return got;
    }

  private:
    int fd_;
};

// What the inputs may name, replaced into them before they are sent.
struct session_keys {
    std::string id;
    std::string join_code;
    std::string facilitator_token;
};

class fuzzed_server {
  public:
    fuzzed_server() {
        data_ = std::filesystem::temp_directory_path() /
                ("ruche-fuzz-" + std::to_string(::getpid()));
        std::filesystem::remove_all(data_);
        std::filesystem::create_directories(data_);
        require(!storage::open_rocksdb_op_log(data_.string(), {}, log_), "the op log opens");
        server::config cfg;
        cfg.bind = "127.0.0.1";
        cfg.port = 0;
        cfg.threads = 2;
        cfg.static_dir = RUCHE_CLIENT_WEB_DIR;
        cfg.limits.ops_per_second = 1e6;
        cfg.limits.ops_burst = 1e6;
        cfg.limits.sessions_per_hour = 1u << 30;
        cfg.limits.join_failures_per_minute = 1u << 30;
        cfg.limits.joins_per_minute = 1e9;
        cfg.limits.participants_per_session = 1u << 30;
        cfg.limits.hello_timeout = std::chrono::milliseconds(2000);
        cfg.limits.http_timeout = std::chrono::milliseconds(2000);
        server_ = std::make_unique<server::server>(cfg, *log_);
        require(!server_->start(), "the server starts");
        thread_ = std::thread([this] { server_->run(2); });
        renew();
    }
    ~fuzzed_server() {
        server_->stop();
        thread_.join();
        server_.reset();
        log_.reset();
        std::filesystem::remove_all(data_);
    }

    std::uint16_t port() const { return server_->port(); }
    const session_keys& keys() const { return keys_; }

    // Called once per input: a new session every 300 inputs, and a check
    // that the server still answers every 100.
    void next_input() {
        ++inputs_;
        if (inputs_ % 100 == 0) {
            client_socket s(port());
            s.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            require(s.read("\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0, "the server still answers /healthz");
        }
        if (inputs_ % 300 == 0) renew();
    }

    // `text` with {SESSION}, {JOIN} and {TOKEN} replaced by this session's.
    std::string with_keys(std::string_view text) const {
        std::string out(text);
        replace(out, "{SESSION}", keys_.id);
        replace(out, "{JOIN}", keys_.join_code);
        replace(out, "{TOKEN}", keys_.facilitator_token);
        return out;
    }

  private:
    static void replace(std::string& s, std::string_view from, const std::string& to) {
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
            s.replace(at, from.size(), to);
        }
    }

    void renew() {
        const std::string body = R"({"title":"Fuzz","private_writing":false})";
        client_socket s(port());
        s.write("POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                "Content-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body);
        const std::string reply = s.read();
        const auto start = reply.find("\r\n\r\n");
        require(start != std::string::npos, "the session is created");
        auto j = nlohmann::json::parse(reply.substr(start + 4), nullptr, false);
        require(j.is_object() && j.contains("join_code"), "the session is created");
        keys_ = {j["session_id"], j["join_code"], j["facilitator_token"]};
    }

    std::filesystem::path data_;
    std::unique_ptr<storage::op_log> log_;
    std::unique_ptr<server::server> server_;
    std::thread thread_;
    session_keys keys_;
    std::uint64_t inputs_ = 0;
};

inline fuzzed_server& the_server() {
    static fuzzed_server s;
    return s;
}

}  // namespace ruche::fuzz

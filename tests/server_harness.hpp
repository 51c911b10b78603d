#pragma once

// Integration test harness: a real `ruche` server on 127.0.0.1 with an
// ephemeral port and a fresh data directory, and small clients that talk to it
// over real sockets with bounded waits.

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "ruche/server/config.hpp"
#include "ruche/server/server.hpp"
#include "ruche/storage/op_log.hpp"
#include "temp_dir.hpp"

namespace ruche::testing {

using json = nlohmann::json;
using namespace std::chrono_literals;

// A server running on its own threads until the harness is destroyed.
class running_server {
  public:
    // `faults`, when given, lets the test make the disk under the op log fail.
    explicit running_server(server::config cfg = test_config(), const temp_dir* data = nullptr,
                            std::shared_ptr<storage::disk_faults> faults = nullptr);
    ~running_server();
    running_server(const running_server&) = delete;
    running_server& operator=(const running_server&) = delete;

    std::uint16_t port() const { return server_->port(); }
    const std::string& public_url() const { return server_->public_url(); }
    const temp_dir& data() const { return *data_; }
    server::server& instance() { return *server_; }
    void stop();

    static server::config test_config();

  private:
    std::unique_ptr<temp_dir> own_data_;
    const temp_dir* data_;
    std::unique_ptr<storage::op_log> log_;
    std::unique_ptr<server::server> server_;
    std::thread thread_;
};

struct http_reply {
    unsigned status = 0;
    std::string body;
    boost::beast::http::fields headers;
    json json_body() const { return json::parse(body, nullptr, false); }
};

// One HTTP/1.1 request on a fresh connection, bounded to 5 seconds.
http_reply http_call(std::uint16_t port, boost::beast::http::verb method, const std::string& target,
                     const std::string& body = {}, const std::string& bearer = {},
                     const std::string& origin = {});

struct created {
    std::string session_id, join_code, facilitator_token;
};
created create_session(std::uint16_t port, json body = {{"title", "Atelier"}});

// A WebSocket client. A single read is always outstanding in the background
// of its own io_context; `next` runs that context until a message arrives or
// the time is up, so a client that is not asked to read does not read.
class ws_client {
  public:
    explicit ws_client(std::uint16_t port, const std::string& origin = {}, int receive_buffer = 0);
    ~ws_client();

    void send(const json& message) { send_text(message.dump()); }
    void send_text(const std::string& text);
    void send_binary(const std::string& bytes);

    // The next message, or nullopt after `timeout` (or once closed).
    std::optional<json> next(std::chrono::milliseconds timeout = 3s);
    // The next message of `type`, skipping others; fails the test if none.
    json expect(const std::string& type, std::chrono::milliseconds timeout = 3s);
    // Skips messages until one satisfies `pred`.
    template <typename Pred>
    std::optional<json> until(Pred pred, std::chrono::milliseconds timeout = 3s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (auto m = next(remaining(deadline))) {
            if (pred(*m)) return m;
        }
        return std::nullopt;
    }
    // Every message that arrives within `quiet` of the previous one.
    std::vector<json> drain(std::chrono::milliseconds quiet = 300ms);

    bool closed() const { return closed_; }
    // WebSocket frames received so far (a frame may hold several messages).
    std::size_t frames() const { return frames_; }
    boost::beast::websocket::close_reason close_reason() const { return reason_; }
    // Waits until the server closes the connection.
    bool wait_closed(std::chrono::milliseconds timeout = 5s);

    // hello + welcome helpers
    json hello_participant(const std::string& join_code, const std::string& name = {},
                           const std::string& profile = {});
    json hello_facilitator(const std::string& token);
    // Sends an op and waits for its ack (or error); returns that reply.
    json op(const std::string& op_id, const json& body);

  private:
    static std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline);
    void read_more();

    boost::asio::io_context ioc_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    std::deque<std::string> inbox_;
    std::size_t frames_ = 0;
    bool closed_ = false;
    boost::beast::websocket::close_reason reason_;
};

}  // namespace ruche::testing

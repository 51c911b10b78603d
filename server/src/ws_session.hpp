#pragma once

// One WebSocket connection. It reads client messages, enforces the
// per-connection limits (message size, op rate, send queue bytes, write
// deadline) and writes what its room sends, in order, from a queue of shared
// immutable buffers. Everything runs on the connection's own strand.

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

#include "connection_slot.hpp"
#include "rate_limit.hpp"
#include "ruche/protocol/messages.hpp"

namespace ruche::server {

struct app;
class room;

class ws_session : public std::enable_shared_from_this<ws_session> {
  public:
    ws_session(boost::asio::ip::tcp::socket&& socket, app& a, connection_slot slot);
    ~ws_session();

    // Accepts the upgrade request read by the HTTP session.
    void run(boost::beast::http::request<boost::beast::http::string_body> request);

    // Thread-safe: called by the room.
    void send(std::shared_ptr<const std::string> message);
    void close(std::uint16_t code, std::string reason);
    void joined(std::string participant);
    void join_failed();

  private:
    enum class state { waiting_hello, joining, joined };

    void on_accept(boost::beast::error_code ec);
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void handle(std::string_view text, bool is_text);
    void handle_hello(protocol::hello hello);
    void reply_error(protocol::rejection why, std::string_view op_id = {});
    void enqueue(std::shared_ptr<const std::string> message);
    void do_write();
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void do_close(std::uint16_t code, std::string reason);
    void on_gone();

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    app& app_;
    connection_slot slot_;
    boost::beast::flat_buffer buffer_;
    boost::asio::steady_timer write_deadline_;
    boost::asio::steady_timer hello_deadline_;
    std::string remote_;

    state state_ = state::waiting_hello;
    std::shared_ptr<room> room_;
    std::string participant_;
    token_bucket rate_;
    std::size_t strikes_ = 0;

    std::deque<std::shared_ptr<const std::string>> queue_;
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool closing_ = false;  // no more writes but the close frame
    bool gone_ = false;
    std::optional<boost::beast::websocket::close_reason> close_after_write_;
};

}  // namespace ruche::server

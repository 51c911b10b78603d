#pragma once

// One WebSocket connection. It reads client messages, enforces the
// per-connection limits (message size, op rate, send queue bytes, write
// deadline) and writes what its room sends, in order, from a queue of shared
// immutable buffers. A client that said `"lines": true` gets everything
// waiting in one frame, one message per line: one write instead of many.
// Everything runs on the connection's own strand.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/circular_buffer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <vector>
#include <memory>
#include <string>
#include <variant>

#include "connection_gate.hpp"
#include "rate_limit.hpp"
#include "ruche/wire/messages.hpp"

namespace ruche::server {

struct app;
class room;

// A message as connections queue it: written once, shared by every recipient.
inline std::shared_ptr<const std::string> shared_text(std::string s) {
    return std::make_shared<const std::string>(std::move(s));
}

class ws_connection : public std::enable_shared_from_this<ws_connection> {
  public:
    // More than the byte cap lets wait (a message is at least a few bytes).
    static constexpr std::size_t max_queued_messages = 1u << 20;

    // `client`: whom limits count this connection against (client_address.hpp).
    ws_connection(boost::asio::ip::tcp::socket&& socket, app& a, connection_slot slot,
                  std::string client);
    // Over TLS: the stream the HTTP connection shook hands on.
    ws_connection(boost::beast::ssl_stream<boost::beast::tcp_stream>&& stream, app& a,
                  connection_slot slot, std::string client);
    ~ws_connection();

    // Accepts the upgrade request read by the HTTP session.
    void run(boost::beast::http::request<boost::beast::http::string_body> request);

    using message = std::shared_ptr<const std::string>;

    // Thread-safe: called by the room.
    void send(message m);
    void send(std::vector<message> messages);  // in order, one hop to the connection's strand
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
    // Joins the room once it is in memory (null: it could not be loaded).
    void enter(std::shared_ptr<room> r, protocol::hello hello, bool facilitator);
    void reply_error(protocol::rejection why, std::string_view op_id = {});
    void enqueue(message m);
    void do_write();
    // One timer per connection for both deadlines (hello, stalled write):
    // re-armed only when the next one due is earlier than the one it waits for.
    void arm_deadline(std::chrono::steady_clock::time_point due);
    void on_deadline();
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void do_close(std::uint16_t code, std::string reason);
    void on_gone();

    // Plain, on the bare socket: the WebSocket stream keeps its own timeouts,
    // and a tcp_stream would cost every idle connection another timer. Over
    // TLS, on the stream the handshake was made on (its timer left unarmed).
    // Either is a pointer to the stream's state: the variant costs nothing.
    using plain_ws = boost::beast::websocket::stream<boost::asio::ip::tcp::socket>;
    using tls_ws = boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>>;
    using either_ws = std::variant<plain_ws, tls_ws>;
    ws_connection(either_ws&& ws, app& a, connection_slot slot, std::string client);
    template <typename F>
    decltype(auto) with_ws(F&& f) {
        return std::visit(std::forward<F>(f), ws_);
    }
    boost::asio::any_io_executor executor();
    void close_socket();

    either_ws ws_;
    app& app_;
    connection_slot slot_;
    boost::beast::flat_buffer buffer_;
    boost::asio::steady_timer deadline_;
    std::chrono::steady_clock::time_point deadline_due_;
    bool deadline_armed_ = false;
    std::chrono::steady_clock::time_point hello_due_;
    std::chrono::steady_clock::time_point write_started_;
    std::string remote_;

    state state_ = state::waiting_hello;
    std::shared_ptr<room> room_;
    std::vector<protocol::op_message> early_ops_;  // sent while the session was loading
    std::string participant_;
    token_bucket rate_;
    std::size_t strikes_ = 0;

    // Allocates nothing while empty (a std::deque allocates ~600 bytes at
    // birth), grows and shrinks with what waits.
    boost::circular_buffer_space_optimized<message> queue_{max_queued_messages};
    std::size_t queued_bytes_ = 0;
    bool lines_ = false;                       // the client reads several messages per frame
    std::size_t in_write_ = 0;                 // messages at the queue's front being written
    std::vector<boost::asio::const_buffer> frame_;  // their buffers, and the newlines between
    bool writing_ = false;
    bool closing_ = false;  // no more writes but the close frame
    bool gone_ = false;
    std::optional<boost::beast::websocket::close_reason> close_after_write_;
};

}  // namespace ruche::server

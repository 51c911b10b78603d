#pragma once

// One HTTP connection: reads requests (with a body limit and a deadline),
// answers them through `handle_request`, and hands WebSocket upgrades of /ws
// to a ws_connection once the Origin is checked. With TLS on, the first
// bytes tell HTTPS from plain HTTP on the same port: HTTPS goes on through a
// TLS stream, plain HTTP is sent to the https:// address (but /healthz).

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>

#include "connection_gate.hpp"
#include "import_gate.hpp"

namespace ruche::server {

struct app;

class http_connection : public std::enable_shared_from_this<http_connection> {
  public:
    http_connection(boost::asio::ip::tcp::socket&& socket, app& a, connection_slot slot);
    void run();

    // What a client is told when a gate refuses its upload before the body.
    struct busy_answer {
        std::string_view address_code, address_message, server_message, retry_after;
    };

  private:
    using plain_stream = boost::beast::tcp_stream;
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    void on_detected(boost::beast::error_code ec, bool tls);
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void refuse_busy(import_gate::verdict why, const busy_answer& answer);
    void send(boost::beast::http::response<boost::beast::http::string_body> response);
    void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);

    // The TCP stream (with its deadline) is the lowest layer of both.
    boost::beast::tcp_stream& tcp();
    bool tls() const { return std::holds_alternative<tls_stream>(stream_); }

    std::variant<plain_stream, tls_stream> stream_;
    // Plain HTTP on a TLS port: every request but /healthz is redirected.
    bool redirect_to_https_ = false;
    app& app_;
    connection_slot slot_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<void> response_;  // keeps the response alive while it is written
    std::string remote_;  // the peer's address
    std::string client_;  // whom limits count this request against (client_address.hpp)
    import_ticket import_;  // held by an import from its header to its answer
    import_ticket upload_;  // held by a photo upload from its header to its answer
    std::chrono::steady_clock::time_point started_;  // of the request being answered, for the access log
    void log_access(unsigned status);
};

}  // namespace ruche::server

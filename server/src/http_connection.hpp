#pragma once

// One HTTP connection: reads requests (with a body limit and a deadline),
// answers them through `handle_request`, and hands WebSocket upgrades of /ws
// to a ws_connection once the Origin is checked.

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "connection_gate.hpp"
#include "import_gate.hpp"

namespace ruche::server {

struct app;

class http_connection : public std::enable_shared_from_this<http_connection> {
  public:
    http_connection(boost::asio::ip::tcp::socket&& socket, app& a, connection_slot slot);
    void run();

  private:
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void refuse_import(import_gate::verdict why);
    void send(boost::beast::http::response<boost::beast::http::string_body> response);
    void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);

    boost::beast::tcp_stream stream_;
    app& app_;
    connection_slot slot_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<void> response_;  // keeps the response alive while it is written
    std::string remote_;  // the peer's address
    std::string client_;  // whom limits count this request against (client_address.hpp)
    import_ticket import_;  // held by an import from its header to its answer
};

}  // namespace ruche::server

#pragma once

// Accepts TCP connections and gives each to an http_connection, within the
// server's connection limit.

#include <boost/asio/ip/tcp.hpp>
#include <memory>

namespace ruche::server {

struct app;

class listener : public std::enable_shared_from_this<listener> {
  public:
    listener(app& a, boost::asio::ip::tcp::endpoint endpoint, boost::system::error_code& ec);
    void run();
    void stop();
    std::uint16_t port() const;

  private:
    void do_accept();

    app& app_;
    boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace ruche::server

#include "listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "app.hpp"
#include "client_address.hpp"
#include "connection_gate.hpp"
#include "http_connection.hpp"

namespace ruche::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

listener::listener(app& a, tcp::endpoint endpoint, boost::system::error_code& ec)
    : app_(a), acceptor_(net::make_strand(a.ioc)) {
    if (acceptor_.open(endpoint.protocol(), ec)) return;
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) return;
    if (acceptor_.bind(endpoint, ec)) return;
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
}

std::uint16_t listener::port() const {
    boost::system::error_code ec;
    return acceptor_.local_endpoint(ec).port();
}

void listener::run() {
    do_accept();
}

void listener::stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

void listener::do_accept() {
    // Each connection gets its own strand.
    acceptor_.async_accept(
        net::make_strand(app_.ioc),
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted) return;  // stopped
            if (!ec) {
                // Small frames must leave at once: Nagle's algorithm with delayed
                // acks would hold an ack or an event for tens of milliseconds.
                boost::system::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                const auto peer = socket.remote_endpoint(ignored).address().to_string();
                // A trusted proxy carries many people: only the totals hold it.
                const bool proxy = is_trusted_proxy(peer, self->app_.cfg.trusted_proxies);
                connection_slot slot(self->app_.gate, proxy ? "proxy " + peer : address_key(peer),
                                     proxy);
                if (slot.place() != connection_gate::place::none) {
                    // An overflow place is answered at once and closed (http_connection).
                    std::make_shared<http_connection>(std::move(socket), self->app_, std::move(slot))
                        ->run();
                } else {
                    // Over every limit, the overflow lane too: refuse at once.
                    spdlog::warn("connection from {} refused: {} connections open", slot.key(),
                                 self->app_.gate.total());
                    socket.close(ignored);
                }
            } else {
                spdlog::warn("accept failed: {}", ec.message());
            }
            if (self->acceptor_.is_open()) self->do_accept();
        });
}

}  // namespace ruche::server

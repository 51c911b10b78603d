#include "ruche/server/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <thread>

#include "app.hpp"
#include "control.hpp"
#include "listener.hpp"
#include "retention.hpp"

namespace ruche::server {

namespace net = boost::asio;

namespace {

// The address other machines on the room's network reach us at: the one the
// kernel would use to route outwards. Connecting a UDP socket sends nothing.
std::string outward_address() {
    net::io_context io;
    net::ip::udp::socket probe(io);
    boost::system::error_code ec;
    probe.open(net::ip::udp::v4(), ec);
    if (!ec) probe.connect({net::ip::make_address("192.0.2.1"), 9}, ec);
    if (ec) return "127.0.0.1";
    const auto local = probe.local_endpoint(ec);
    return ec ? "127.0.0.1" : local.address().to_string();
}

std::string default_public_url(const std::string& bind, std::uint16_t port, bool tls) {
    std::string host = bind;
    if (bind == "0.0.0.0" || bind == "::") host = outward_address();
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return (tls ? "https://" : "http://") + host + ":" + std::to_string(port);
}

}  // namespace

struct server::impl {
    impl(const config& c, storage::op_log& log) : a(c, {}, ioc, log) {}

    net::io_context ioc;
    app a;
    std::shared_ptr<listener> accept;
    std::shared_ptr<control_listener> control;
    std::shared_ptr<retention_sweeper> retention;
    std::uint16_t port = 0;
    std::atomic<bool> stopping{false};
};

server::server(const config& cfg, storage::op_log& log) : impl_(std::make_unique<impl>(cfg, log)) {}

server::~server() = default;

std::error_code server::start() {
    auto& a = impl_->a;
    std::string tls_error;
    if (!a.tls.load(a.cfg.tls_cert, a.cfg.tls_key, tls_error)) {
        spdlog::critical("HTTPS: {}", tls_error);
        return std::make_error_code(std::errc::invalid_argument);
    }
    if (auto ec = a.rooms.load_index()) return ec;
    boost::system::error_code ec;
    const auto address = net::ip::make_address(a.cfg.bind, ec);
    if (ec) return std::make_error_code(std::errc::invalid_argument);
    impl_->accept = std::make_shared<listener>(a, net::ip::tcp::endpoint(address, a.cfg.port), ec);
    if (ec) return std::error_code(ec.value(), std::system_category());
    impl_->port = impl_->accept->port();
    a.public_url =
        a.cfg.public_url.empty() ? default_public_url(a.cfg.bind, impl_->port, a.tls.enabled()) : a.cfg.public_url;
    while (!a.public_url.empty() && a.public_url.back() == '/') a.public_url.pop_back();
    impl_->accept->run();
    impl_->retention = std::make_shared<retention_sweeper>(a);
    impl_->retention->run();
    if (!a.cfg.control_socket.empty()) {
        impl_->control = std::make_shared<control_listener>(a, a.cfg.control_socket, ec);
        if (ec) {
            // Serving matters more than backups: say why there will be none.
            spdlog::warn("no control socket at {} ({}): `ruche backup` cannot reach this server",
                         a.cfg.control_socket, ec.message());
            impl_->control.reset();
        } else {
            impl_->control->run();
        }
    }
    return {};
}

std::uint16_t server::port() const {
    return impl_->port;
}
const std::string& server::public_url() const {
    return impl_->a.public_url;
}

std::size_t server::erase_expired() {
    return impl_->retention ? impl_->retention->sweep() : 0;
}

bool server::reload_tls() {
    std::string error;
    if (!impl_->a.tls.enabled()) return true;
    if (!impl_->a.tls.reload(error)) {
        spdlog::error("HTTPS certificate not reloaded, the previous one stays: {}", error);
        return false;
    }
    spdlog::info("HTTPS certificate reloaded from {}", impl_->a.cfg.tls_cert);
    return true;
}

namespace {

// Calls `each` at every signal `signals` catches, until they are cancelled.
template <typename F>
void on_every(net::signal_set& signals, F each) {
    signals.async_wait([&signals, each](boost::system::error_code ec, int) {
        if (ec) return;
        each();
        on_every(signals, each);
    });
}

}  // namespace

void server::run(unsigned threads, bool stop_on_signals) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    std::optional<net::signal_set> signals;
    std::optional<net::signal_set> hangups;
    if (stop_on_signals) {
        signals.emplace(impl_->ioc, SIGINT, SIGTERM);
        signals->async_wait([this](boost::system::error_code ec, int signal) {
            if (ec) return;
            spdlog::info("signal {} received: shutting down", signal);
            stop();
        });
        // SIGHUP: read the certificate again (a renewal), as nginx does.
        hangups.emplace(impl_->ioc, SIGHUP);
        // Reading PEM files is quick, but not a network thread's job.
        on_every(*hangups, [this] { net::post(impl_->a.blocking, [this] { reload_tls(); }); });
    }
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (auto& t : pool) t.join();
    // A request still running on the blocking pool ends first; then what the
    // rooms handed the writer is written, before the last flush.
    impl_->a.blocking.stop();
    impl_->a.blocking.join();
    impl_->a.importer.stop();
    impl_->a.importer.join();
    impl_->a.writer.stop();
    if (auto ec = impl_->a.logs.log().flush()) {
        spdlog::error("op log flush failed at shutdown: {}", ec.message());
    }
}

void server::stop() {
    if (impl_->stopping.exchange(true)) return;
    net::post(impl_->ioc, [this] {
        auto& a = impl_->a;
        if (impl_->accept) impl_->accept->stop();
        if (impl_->control) impl_->control->stop();
        if (impl_->retention) impl_->retention->stop();
        a.rooms.shutdown_all();
        // Wait for connections to close (each room records departures and
        // sends 1001), then stop whatever is left after a grace period.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        auto timer = std::make_shared<net::steady_timer>(impl_->ioc);
        auto check = std::make_shared<std::function<void()>>();
        *check = [this, timer, deadline, check] {
            if (impl_->a.gate.total() == 0 || std::chrono::steady_clock::now() > deadline) {
                impl_->ioc.stop();
                *check = nullptr;  // break the cycle
                return;
            }
            timer->expires_after(std::chrono::milliseconds(20));
            timer->async_wait([check](boost::system::error_code) {
                if (*check) (*check)();
            });
        };
        (*check)();
    });
}

}  // namespace ruche::server

#include "http_connection.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

#include "api.hpp"
#include "client_address.hpp"
#include "app.hpp"
#include "photo_api.hpp"
#include "replay_api.hpp"
#include "ws_connection.hpp"

namespace ruche::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

// One upload of each kind at a time per address, a few on the server.
constexpr http_connection::busy_answer import_busy{
    "import_in_progress", "an import from this address is under way: wait for its answer",
    "the server is importing other sessions, try again in a few seconds", "5"};
constexpr http_connection::busy_answer upload_busy{
    "upload_in_progress", "a photo from this address is being sent: wait for its answer",
    "the server is receiving other photos, try again in a few seconds", "2"};

}  // namespace

http_connection::http_connection(net::ip::tcp::socket&& socket, app& a, connection_slot slot)
    : stream_(std::in_place_type<plain_stream>, std::move(socket)), app_(a), slot_(std::move(slot)) {
    beast::error_code ec;
    const auto endpoint = tcp().socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
}

beast::tcp_stream& http_connection::tcp() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); }, stream_);
}

void http_connection::run() {
    net::dispatch(tcp().get_executor(), [self = shared_from_this()] {
        if (!self->app_.tls.enabled()) return self->do_read();
        // A TLS ClientHello or an HTTP request line: the first bytes say which.
        self->tcp().expires_after(self->app_.cfg.limits.handshake_timeout);
        beast::async_detect_ssl(self->tcp(), self->buffer_,
                                [self](beast::error_code ec, bool tls) { self->on_detected(ec, tls); });
    });
}

void http_connection::on_detected(beast::error_code ec, bool tls) {
    if (ec) return;
    if (!tls) {
        redirect_to_https_ = true;
        return do_read();
    }
    auto context = app_.tls.current();
    tcp().expires_never();  // the detection's deadline, before the stream moves
    plain_stream plain = std::move(std::get<plain_stream>(stream_));
    auto& secure = stream_.emplace<tls_stream>(std::move(plain), *context);
    tcp().expires_after(app_.cfg.limits.handshake_timeout);
    // The context must outlive the handshake; a reload meanwhile makes a new one.
    // (`used` has a default only because Boost 1.81 checks this handler
    // against the unbuffered handshake's signature.)
    secure.async_handshake(net::ssl::stream_base::server, buffer_.data(),
                           [self = shared_from_this(), context](beast::error_code ec2, std::size_t used = 0) {
                               if (ec2) return;  // not TLS after all, or a client we cannot agree with
                               self->buffer_.consume(used);
                               self->do_read();
                           });
}

void http_connection::do_read() {
    parser_.emplace();
    // The header first: an import may carry a whole session, others stay
    // small. The parser checks a Content-Length against its limit as soon as
    // it reads the field, so the header is read under the largest limit and
    // each request's own is applied once its target is known.
    parser_->body_limit(import_body_max);
    // An overflow place is only there to say the server is full.
    tcp().expires_after(slot_.place() == connection_gate::place::overflow ? std::chrono::milliseconds(2000)
                                                                          : app_.cfg.limits.http_timeout);
    std::visit([&](auto& stream) {
    http::async_read_header(
        stream, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            if (ec) return self->on_read(ec, n);
            const auto& req = self->parser_->get();
            // Limits count people, so behind a trusted proxy, the client it names.
            self->client_ = address_key(client_address(self->remote_, req["X-Forwarded-For"],
                                                       self->app_.cfg.trusted_proxies));
            const bool import = req.method() == http::verb::post && req.target() == "/api/sessions/import";
            if (import && self->slot_.place() != connection_gate::place::overflow) {
                // Refused before a byte of the body is read: 16 uploads at once
                // would otherwise hold 16 × 32 MiB before any was looked at.
                const auto verdict = self->app_.imports.enter(self->client_);
                if (verdict != import_gate::verdict::admitted) return self->refuse_busy(verdict, import_busy);
                self->import_ = import_ticket(self->app_.imports, self->client_);
            } else if (is_photo_upload(req.method(), req.target()) &&
                       self->slot_.place() != connection_gate::place::overflow) {
                // A photo: up to 3 MB, one upload at a time per address,
                // decided before a byte of the body is read.
                const auto length = self->parser_->content_length();
                if (length && *length > photo_upload_max) return self->on_read(http::error::body_limit, n);
                const auto verdict = self->app_.photo_uploads.enter(self->client_);
                if (verdict != import_gate::verdict::admitted) return self->refuse_busy(verdict, upload_busy);
                self->upload_ = import_ticket(self->app_.photo_uploads, self->client_);
                self->parser_->body_limit(photo_upload_max);
            } else {
                const auto limit = self->app_.cfg.limits.http_body_max;
                const auto length = self->parser_->content_length();
                // Refused before a byte of the body is read.
                if (length && *length > limit) return self->on_read(http::error::body_limit, n);
                self->parser_->body_limit(limit);  // chunked bodies are counted as they come
            }
            std::visit(
                [&](auto& body_stream) {
                    http::async_read(body_stream, self->buffer_, *self->parser_,
                                     [self](beast::error_code ec2, std::size_t n2) { self->on_read(ec2, n2); });
                },
                self->stream_);
        });
    }, stream_);
}

void http_connection::on_read(beast::error_code ec, std::size_t) {
    started_ = std::chrono::steady_clock::now();
    if (ec == http::error::end_of_stream) {
        tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
        return;
    }
    if (ec == http::error::header_limit) {
        auto res = json_error(parser_->get(), http::status::request_header_fields_too_large,
                              "headers_too_large", "the request's headers are too large");
        res.version(11);  // the request line may be what was too long
        res.keep_alive(false);
        send(std::move(res));
        return;
    }
    if (ec == http::error::body_limit) {
        auto res = json_error(parser_->get(), http::status::payload_too_large, "too_large",
                              "the request body is too large");
        res.keep_alive(false);
        send(std::move(res));
        return;
    }
    if (ec) return;
    app_.metrics.http_requests_total.inc();

    const auto& request = parser_->get();
    if (slot_.place() == connection_gate::place::overflow) {
        // Past the limits: /healthz is still answered, the rest told to come back.
        auto res = request.target() == "/healthz"
                       ? handle_request(app_, request, client_)
                       : json_error(request, http::status::service_unavailable, "server_full",
                                    "the server is full, try again in a few seconds");
        if (res.result() == http::status::service_unavailable) res.set(http::field::retry_after, "5");
        res.keep_alive(false);
        send(std::move(res));
        return;
    }
    if (request.target() != "/healthz" && !host_allowed(app_, request[http::field::host])) {
        send(json_error(request, http::status::misdirected_request, "unknown_host",
                        "this server does not answer to that name: give it with --public-url"));
        return;
    }
    if (redirect_to_https_ && request.target() != "/healthz") {
        send(https_redirect(app_, request));
        return;
    }
    if (beast::websocket::is_upgrade(request)) {
        const auto target = request.target();
        if (target != "/ws" && !target.starts_with("/ws?")) {
            send(json_error(request, http::status::not_found, "not_found", "WebSocket is at /ws"));
            return;
        }
        const auto origin = request[http::field::origin];
        if (!origin.empty() && !origin_allowed(app_, origin, request[http::field::host])) {
            auto res = json_error(request, http::status::forbidden, "forbidden_origin",
                                  "this page's origin may not connect");
            res.keep_alive(false);
            send(std::move(res));
            return;
        }
        log_access(101);
        if (auto* secure = std::get_if<tls_stream>(&stream_)) {
            // The WebSocket keeps its own deadlines from now on.
            tcp().expires_never();
            std::make_shared<ws_connection>(std::move(*secure), app_, std::move(slot_), client_)
                ->run(parser_->release());
        } else {
            std::make_shared<ws_connection>(tcp().release_socket(), app_, std::move(slot_), client_)
                ->run(parser_->release());
        }
        return;
    }
    // The API may read or write the disk at length (minutes, imports,
    // deletions, replays, loading a session): answered on the blocking pool,
    // the socket touched again only on its own strand. Pages, /healthz and
    // /metrics are answered here, so they stay quick whatever the pool does.
    if (!request.target().starts_with("/api/")) {
        send(handle_request(app_, request, client_));
        return;
    }
    if (import_) {
        net::post(app_.importer, [self = shared_from_this(), ticket = std::move(import_)]() mutable {
            auto response = handle_request(self->app_, self->parser_->get(), self->client_);
            // Free before the answer leaves: the client may send the next
            // import as soon as it has read this one's.
            ticket = import_ticket();
            net::post(self->tcp().get_executor(), [self, response = std::move(response)]() mutable {
                self->send(std::move(response));
            });
        });
        return;
    }
    if (upload_) {
        net::post(app_.blocking, [self = shared_from_this(), ticket = std::move(upload_)]() mutable {
            auto response = handle_request(self->app_, self->parser_->get(), self->client_);
            ticket = import_ticket();  // the next photo may come as soon as this one is answered
            net::post(self->tcp().get_executor(), [self, response = std::move(response)]() mutable {
                self->send(std::move(response));
            });
        });
        return;
    }
    net::post(app_.blocking, [self = shared_from_this()] {
        auto response = handle_request(self->app_, self->parser_->get(), self->client_);
        net::post(self->tcp().get_executor(),
                  [self, response = std::move(response)]() mutable { self->send(std::move(response)); });
    });
}

void http_connection::refuse_busy(import_gate::verdict why, const busy_answer& answer) {
    auto res = why == import_gate::verdict::address_busy
                   ? json_error(parser_->get(), http::status::too_many_requests, answer.address_code,
                                answer.address_message)
                   : json_error(parser_->get(), http::status::service_unavailable, "busy", answer.server_message);
    res.set(http::field::retry_after, answer.retry_after);
    res.keep_alive(false);  // the body is left unread
    send(std::move(res));
}

void http_connection::send(http::response<http::string_body> response) {
    auto res = std::make_shared<http::response<http::string_body>>(std::move(response));
    log_access(res->result_int());
    // Once a browser has seen Ruche over HTTPS, it never asks in plain again.
    if (tls()) res->set(http::field::strict_transport_security, "max-age=31536000");
    response_ = res;
    const bool keep_alive = res->keep_alive();
    std::visit(
        [&](auto& stream) {
            http::async_write(stream, *res,
                              [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t n) {
                                  self->on_write(keep_alive, ec, n);
                              });
        },
        stream_);
}

void http_connection::log_access(unsigned status) {
    if (!app_.cfg.access_log || !parser_) return;
    const auto& request = parser_->get();
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
    spdlog::info("{}", app_.access.line(client_.empty() ? remote_ : client_, request.method_string(),
                                        request.target(), status, took));
}

void http_connection::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec) return;
    if (!keep_alive) {
        tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
        return;
    }
    do_read();
}

}  // namespace ruche::server

#include "ws_connection.hpp"
#include "ruche/wire/wire_errc.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "app.hpp"
#include "room.hpp"
#include "secrets.hpp"

namespace ruche::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using protocol::errc;
using protocol::wire_errc;


ws_connection::ws_connection(net::ip::tcp::socket&& socket, app& a, connection_slot slot,
                             std::string client)
    : ws_connection(either_ws(std::in_place_type<plain_ws>, std::move(socket)), a, std::move(slot),
                    std::move(client)) {}

ws_connection::ws_connection(beast::ssl_stream<beast::tcp_stream>&& stream, app& a, connection_slot slot,
                             std::string client)
    : ws_connection(either_ws(std::in_place_type<tls_ws>, std::move(stream)), a, std::move(slot),
                    std::move(client)) {}

ws_connection::ws_connection(either_ws&& ws, app& a, connection_slot slot, std::string client)
    : ws_(std::move(ws)),
      app_(a),
      slot_(std::move(slot)),
      deadline_(executor()),
      remote_(std::move(client)),
      rate_(a.cfg.limits.ops_per_second, a.cfg.limits.ops_burst) {}

net::any_io_executor ws_connection::executor() {
    return with_ws([](auto& ws) -> net::any_io_executor { return ws.get_executor(); });
}

void ws_connection::close_socket() {
    beast::error_code ignored;
    with_ws([&](auto& ws) {
        auto& lowest = beast::get_lowest_layer(ws);
        if constexpr (requires { lowest.socket(); }) {
            lowest.socket().close(ignored);  // under TLS, a tcp_stream
        } else {
            lowest.close(ignored);
        }
    });
}

ws_connection::~ws_connection() {
    app_.metrics.bytes_queued.sub(static_cast<std::int64_t>(queued_bytes_));
}

void ws_connection::run(beast::http::request<beast::http::string_body> request) {
    net::dispatch(executor(), [self = shared_from_this(), request = std::move(request)] {
        const auto& limits = self->app_.cfg.limits;
        websocket::stream_base::timeout timeouts;
        timeouts.handshake_timeout = limits.handshake_timeout;
        timeouts.idle_timeout = limits.idle_timeout;
        timeouts.keep_alive_pings = true;
        self->with_ws([&](auto& ws) {
            ws.set_option(timeouts);
            ws.set_option(websocket::stream_base::decorator(
                [](websocket::response_type& res) { res.set(beast::http::field::server, "ruche"); }));
            ws.read_message_max(limits.read_message_max);
            ws.text(true);
            // A message goes out as one frame, in one write: no 4 KiB fragments,
            // and no write buffer of the stream's own.
            ws.auto_fragment(false);
            ws.async_accept(request, [self](beast::error_code ec) { self->on_accept(ec); });
        });
    });
}

void ws_connection::on_accept(beast::error_code ec) {
    if (ec) return;
    app_.metrics.connections.add(1);
    app_.metrics.connections_total.inc();
    // A connection that never joins a session must not hold a place forever.
    hello_due_ = std::chrono::steady_clock::now() + app_.cfg.limits.hello_timeout;
    arm_deadline(hello_due_);
    do_read();
}

void ws_connection::arm_deadline(std::chrono::steady_clock::time_point due) {
    if (deadline_armed_ && due >= deadline_due_) return;  // it will look again then
    deadline_armed_ = true;
    deadline_due_ = due;
    deadline_.expires_at(due);  // cancels a later wait, whose handler sees operation_aborted
    deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec) return;
        self->on_deadline();
    });
}

void ws_connection::on_deadline() {
    deadline_armed_ = false;
    if (gone_) return;
    const auto now = std::chrono::steady_clock::now();
    const auto write_due = write_started_ + app_.cfg.limits.write_timeout;
    if (writing_ && now >= write_due) {
        // The peer stopped reading: nothing more can be said to it politely.
        spdlog::info("closing a connection whose writes stalled");
        app_.metrics.slow_consumers_closed_total.inc();
        close_socket();
        return;
    }
    const bool waiting_hello = state_ != state::joined && !closing_;
    if (waiting_hello && now >= hello_due_) {
        do_close(static_cast<std::uint16_t>(websocket::close_code::policy_error), "no hello");
    } else if (waiting_hello) {
        arm_deadline(hello_due_);
    }
    if (writing_) arm_deadline(write_due);
}

namespace {
// Read in small steps: async_read would reserve 1.5 KiB up front, and most
// connections sit idle on a pending read. Most messages fit in one step.
constexpr std::size_t read_step = 256;
}  // namespace

void ws_connection::do_read() {
    with_ws([&](auto& ws) {
        ws.async_read_some(buffer_, read_step, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            self->on_read(ec, n);
        });
    });
}

void ws_connection::on_read(beast::error_code ec, std::size_t) {
    if (ec) {
        // Closed by the peer, timed out, or too big a message (Beast already
        // answered 1009 for that one).
        on_gone();
        return;
    }
    // A write can fail first (the peer reset the connection) while a message
    // read before the reset is still on its way here: the connection has
    // already left its room, so what it said is dropped, not sent to no room.
    if (gone_) return;
    if (!with_ws([](auto& ws) { return ws.is_message_done(); })) {  // the rest of the message (Beast caps its size)
        do_read();
        return;
    }
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    // An idle connection keeps no read buffer (most of them are idle).
    buffer_.shrink_to_fit();
    if (!closing_) handle(text, with_ws([](auto& ws) { return ws.got_text(); }));
    do_read();
}

void ws_connection::handle(std::string_view text, bool is_text) {
    if (!rate_.try_take(std::chrono::steady_clock::now())) {
        app_.metrics.rate_limited_total.inc();
        if (++strikes_ > app_.cfg.limits.rate_strikes_before_close) {
            do_close(static_cast<std::uint16_t>(websocket::close_code::policy_error), "rate limit");
            return;
        }
        std::string op_id;
        if (auto decoded = protocol::decode_client_message(text);
            auto* msg = std::get_if<protocol::client_message>(&decoded)) {
            if (auto* op = std::get_if<protocol::op_message>(msg)) op_id = op->op_id;
        }
        reply_error({wire_errc::rate_limited, {}}, op_id);
        return;
    }
    strikes_ = 0;  // abuse is a burst of refusals, not a few over a long day
    if (!is_text) {
        reply_error({wire_errc::binary_frame, {}});
        return;
    }
    auto decoded = protocol::decode_client_message(text);
    if (auto* refused = std::get_if<protocol::message_rejection>(&decoded)) {
        reply_error(refused->why, refused->op_id);
        return;
    }
    auto& received = std::get<protocol::client_message>(decoded);
    if (auto* hello = std::get_if<protocol::hello>(&received)) {
        handle_hello(std::move(*hello));
        return;
    }
    auto& op = std::get<protocol::op_message>(received);
    if (state_ == state::waiting_hello) {
        reply_error({wire_errc::hello_required, {}}, op.op_id);
        return;
    }
    if (!room_) {  // the session is being loaded
        early_ops_.push_back(std::move(op));
        return;
    }
    // While joining, the room receives the op after the hello (same strand order).
    room_->submit(shared_from_this(), std::move(op.op_id), std::move(op.op));
}

void ws_connection::handle_hello(protocol::hello hello) {
    if (state_ != state::waiting_hello) {
        reply_error({wire_errc::already_joined, {}});
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    std::optional<std::string> session;
    const bool facilitator = hello.facilitator_token.has_value();
    if (facilitator) {
        // A right token is never refused: at 192 bits, there is nothing to
        // slow down but wrong ones.
        session = app_.rooms.session_by_facilitator_token(*hello.facilitator_token);
        if (!session) {
            const bool blocked = app_.join_attempts.blocked(remote_, now);
            app_.join_attempts.record_failure(remote_, now);
            if (blocked) return reply_error({wire_errc::too_many_attempts, {}});
            reply_error({wire_errc::invalid_token, "facilitator_token"});
            return;
        }
    } else {
        // Join codes are short: an address with many wrong ones gets one
        // try every 2 s (so the right code still gets in), and each wrong
        // one while blocked makes the block last longer.
        if (!app_.join_attempts.may_try(remote_, now)) {
            reply_error({wire_errc::too_many_attempts, {}});
            return;
        }
        const bool blocked = app_.join_attempts.blocked(remote_, now);
        const auto code = normalize_join_code(*hello.join_code);
        if (code) session = app_.rooms.session_by_join_code(*code);
        if (!session) {
            app_.join_attempts.record_failure(remote_, now);
            reply_error({blocked ? wire_errc::too_many_attempts : wire_errc::unknown_join_code, {}});
            return;
        }
    }
    state_ = state::joining;
    lines_ = hello.lines;
    if (auto r = app_.rooms.loaded_room(*session)) return enter(std::move(r), std::move(hello), facilitator);
    // Loading reads the whole session from disk: not on a network thread.
    net::post(app_.blocking, [self = shared_from_this(), id = std::move(*session),
                              hello = std::move(hello), facilitator]() mutable {
        std::error_code ec;
        auto r = self->app_.rooms.room_for(id, ec);
        net::post(self->executor(), [self, r = std::move(r), hello = std::move(hello),
                                             facilitator]() mutable {
            self->enter(std::move(r), std::move(hello), facilitator);
        });
    });
}

void ws_connection::enter(std::shared_ptr<room> r, protocol::hello hello, bool facilitator) {
    if (gone_) return;
    if (!r) {
        state_ = state::waiting_hello;
        early_ops_.clear();
        reply_error({wire_errc::storage_unavailable, {}});
        return;
    }
    room_ = std::move(r);
    room_->join(shared_from_this(), std::move(hello), facilitator);
    // Ops sent while the session was loading follow the hello, in order.
    for (auto& op : early_ops_) room_->submit(shared_from_this(), std::move(op.op_id), std::move(op.op));
    early_ops_.clear();
}

void ws_connection::joined(std::string participant) {
    net::post(executor(),
              [self = shared_from_this(), participant = std::move(participant)] {
                  self->participant_ = participant;
                  self->state_ = state::joined;
                  self->slot_.promote();  // out of the unjoined share
                  // No hello deadline any more: an idle member keeps no timer waiting.
                  if (!self->writing_ && self->deadline_armed_) {
                      self->deadline_armed_ = false;
                      self->deadline_.cancel();
                  }
              });
}

void ws_connection::join_failed() {
    net::post(executor(), [self = shared_from_this()] {
        self->state_ = state::waiting_hello;
        self->room_.reset();
    });
}

void ws_connection::reply_error(protocol::rejection why, std::string_view op_id) {
    enqueue(shared_text(protocol::error_message(why, op_id)));
}

void ws_connection::send(message m) {
    net::post(executor(), [self = shared_from_this(), m = std::move(m)]() mutable {
        self->enqueue(std::move(m));
    });
}

void ws_connection::send(std::vector<message> messages) {
    net::post(executor(),
              [self = shared_from_this(), messages = std::move(messages)]() mutable {
                  for (auto& m : messages) self->enqueue(std::move(m));
              });
}

void ws_connection::enqueue(message m) {
    if (closing_ || gone_) return;
    if (queued_bytes_ + m->size() > app_.cfg.limits.send_queue_bytes) {
        // A client that does not read must not grow our memory nor slow the others.
        app_.metrics.slow_consumers_closed_total.inc();
        spdlog::info("closing a connection that does not keep up ({} bytes queued)", queued_bytes_);
        do_close(static_cast<std::uint16_t>(websocket::close_code::policy_error), "slow consumer");
        return;
    }
    queued_bytes_ += m->size();
    app_.metrics.bytes_queued.add(static_cast<std::int64_t>(m->size()));
    queue_.push_back(std::move(m));
    // Posted, not written now: what the room sends in the same turn joins this frame.
    if (!writing_) {
        writing_ = true;
        // From now on a deadline that fires sees a write under way: it must
        // not measure it from the previous one, long done.
        write_started_ = std::chrono::steady_clock::now();
        net::post(executor(), [self = shared_from_this()] { self->do_write(); });
    }
}

namespace {
// Larger frames would only delay the first message of the next one.
constexpr std::size_t max_coalesced_bytes = 256 * 1024;
const char newline = '\n';
}  // namespace

void ws_connection::do_write() {
    if (gone_ || queue_.empty()) {
        // Closed meanwhile: what was queued was dropped, the close frame is due.
        writing_ = false;
        if (!gone_ && close_after_write_) {
            auto reason = *close_after_write_;
            close_after_write_.reset();
            with_ws([&](auto& ws) { ws.async_close(reason, [self = shared_from_this()](beast::error_code) {}); });
        }
        return;
    }
    writing_ = true;
    write_started_ = std::chrono::steady_clock::now();
    arm_deadline(write_started_ + app_.cfg.limits.write_timeout);
    frame_.clear();
    frame_.push_back(net::buffer(*queue_.front()));
    std::size_t bytes = queue_.front()->size();
    in_write_ = 1;
    while (lines_ && in_write_ < queue_.size() &&
           bytes + queue_[in_write_]->size() + 1 <= max_coalesced_bytes) {
        frame_.push_back(net::buffer(&newline, 1));
        frame_.push_back(net::buffer(*queue_[in_write_]));
        bytes += queue_[in_write_]->size() + 1;
        ++in_write_;
    }
    with_ws([&](auto& ws) {
        ws.async_write(frame_, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            self->on_write(ec, n);
        });
    });
}

void ws_connection::on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    for (; in_write_ > 0; --in_write_) {
        const std::size_t size = queue_.front()->size();
        queue_.pop_front();
        queued_bytes_ -= size;
        app_.metrics.bytes_queued.sub(static_cast<std::int64_t>(size));
    }
    if (ec) {
        on_gone();
        return;
    }
    app_.metrics.frames_sent_total.inc();
    if (!queue_.empty()) {
        do_write();
    } else if (close_after_write_) {
        auto reason = *close_after_write_;
        close_after_write_.reset();
        with_ws([&](auto& ws) { ws.async_close(reason, [self = shared_from_this()](beast::error_code) {}); });
    }
}

void ws_connection::close(std::uint16_t code, std::string reason) {
    net::post(executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
        self->do_close(code, reason);
    });
}

void ws_connection::do_close(std::uint16_t code, std::string reason) {
    if (closing_ || gone_) return;
    closing_ = true;
    // Drop what is not being written yet; the close frame goes right after.
    while (queue_.size() > in_write_) {
        queued_bytes_ -= queue_.back()->size();
        app_.metrics.bytes_queued.sub(static_cast<std::int64_t>(queue_.back()->size()));
        queue_.pop_back();
    }
    websocket::close_reason why(static_cast<websocket::close_code>(code), reason);
    if (writing_) {
        close_after_write_ = why;
    } else {
        with_ws([&](auto& ws) { ws.async_close(why, [self = shared_from_this()](beast::error_code) {}); });
    }
}

void ws_connection::on_gone() {
    if (gone_) return;
    gone_ = true;
    deadline_.cancel();
    app_.metrics.connections.sub(1);
    if (room_) room_->leave(shared_from_this());
    room_.reset();
}

}  // namespace ruche::server

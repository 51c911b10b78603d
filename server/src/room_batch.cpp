// The room's batches: what arrived together is sequenced (dedup, stamp,
// apply) and handed to the durability stage; once durable it is
// acknowledged and fanned out, one serialisation per view and one hop per
// connection. See room.hpp.

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "app.hpp"
#include "ruche/wire/wire_errc.hpp"
#include "op_writer.hpp"
#include "outbox.hpp"
#include "room.hpp"
#include "ruche/wire/visibility.hpp"

namespace ruche::server {

namespace net = boost::asio;
using protocol::errc;
using protocol::wire_errc;

// The batch being made durable, and what to say once it is (or is not).
struct room::batch {
    struct applied {
        std::weak_ptr<ws_connection> conn;
        std::string op_id;
        protocol::audience audience;
    };
    struct retry {
        std::weak_ptr<ws_connection> conn;
        std::string op_id;
        std::uint64_t seq;
    };
    std::vector<server::logged_op> logged;
    std::vector<applied> outcomes;
    std::vector<retry> retries;  // the same op twice in this batch
    std::optional<session_meta> meta;  // the seats it makes durable
};

void room::enqueue(pending_op op) {
    pending_.push_back(std::move(op));
    if (!flush_posted_ && !writing_) {
        flush_posted_ = true;
        // Posted, not run now: ops already queued on the strand join this batch.
        net::post(strand_, [self = shared_from_this()] { self->flush(); });
    }
}

std::optional<protocol::rejection> room::photo_refusal(const pending_op& p) const {
    const std::optional<std::string>* photo = nullptr;
    if (const auto* add = std::get_if<protocol::ops::note_add>(&p.op)) photo = &add->photo;
    if (const auto* attach = std::get_if<protocol::ops::note_photo>(&p.op)) photo = &attach->photo;
    if (!photo || !*photo) return std::nullopt;  // no photo, or one detached
    const auto it = photos_.find(**photo);
    const bool allowed = it != photos_.end() &&
                         (it->second == p.by || (it->second.empty() && protocol::is_facilitator(board_, p.by)));
    if (allowed) return std::nullopt;
    return protocol::rejection{wire_errc::unknown_photo, **photo};
}

void room::flush() {
    flush_posted_ = false;
    if (writing_) return;  // the batch in flight flushes again once durable
    if (retired_) {
        pending_.clear();
        return;
    }
    const bool new_seats = std::any_of(joiners_.begin(), joiners_.end(),
                                       [](const joiner& j) { return j.new_seat; });
    if (pending_.empty() && !new_seats) return;
    std::vector<pending_op> ops = std::move(pending_);
    pending_.clear();

    auto b = std::make_shared<batch>();
    std::unordered_map<std::string, std::uint64_t> in_batch;
    outbox out;  // refusals and retries of durable ops: answered now
    for (auto& p : ops) {
        std::string client_id;
        if (!p.op_id.empty()) {
            client_id = p.by + ":" + p.op_id;
            if (auto seen = in_batch.find(client_id); seen != in_batch.end()) {
                b->retries.push_back({p.conn, p.op_id, seen->second});
                app_.metrics.ops_duplicate_total.inc();
                continue;
            }
            if (auto seen = client_ops_.find(client_id); seen != client_ops_.end()) {
                // A retry: acknowledged again with its seq, never applied twice.
                out.add(p.conn, shared_text(protocol::ack_message(p.op_id, seen->second)));
                app_.metrics.ops_duplicate_total.inc();
                continue;
            }
        }
        if (auto* settings = std::get_if<protocol::ops::settings_set>(&p.op);
            settings && settings->retention_days && app_.cfg.retention_days > 0 &&
            *settings->retention_days > app_.cfg.retention_days) {
            // No session is kept longer than the server keeps sessions.
            app_.metrics.ops_rejected_total.inc();
            const protocol::rejection why{protocol::errc::out_of_range,
                                          "retention_days: at most " + std::to_string(app_.cfg.retention_days) +
                                              " on this server"};
            out.add(p.conn, shared_text(protocol::error_message(why, p.op_id)));
            continue;
        }
        if (auto why = photo_refusal(p)) {
            app_.metrics.ops_rejected_total.inc();
            out.add(p.conn, shared_text(protocol::error_message(*why, p.op_id)));
            continue;
        }
        auto s = protocol::stamp(board_, std::move(p.op), now_ms(), p.by);
        auto outcome = protocol::apply(board_, s);
        if (!outcome) {
            app_.metrics.ops_rejected_total.inc();
            out.add(p.conn, shared_text(protocol::error_message(outcome.error(), p.op_id)));
            continue;
        }
        if (!client_id.empty()) in_batch[client_id] = s.seq;
        b->logged.push_back({std::move(s), std::move(client_id)});
        b->outcomes.push_back({p.conn, p.op_id, std::move(*outcome)});
    }
    out.send_all();
    if (b->logged.empty() && !new_seats && b->retries.empty()) return;

    op_writer::request r;
    r.session = id_;
    const bool checkpoint = !b->logged.empty() && app_.logs.checkpoint_due(last_checkpoint_, board_);
    if (checkpoint) last_checkpoint_ = board_.seq;
    auto prepared = session_log::prepare(b->logged, board_, checkpoint);
    r.records = std::move(prepared.records);
    r.cp = std::move(prepared.cp);
    if (new_seats) {
        b->meta = meta_;
        r.metadata = meta_.serialize();
        for (auto& j : joiners_) j.seat_in_flight = j.new_seat;
    }
    r.done = [self = shared_from_this(), b](std::error_code ec) {
        net::post(self->strand_, [self, b, ec] { self->on_durable(*b, ec); });
    };
    writing_ = true;
    app_.writer.submit(std::move(r));
}

void room::on_durable(batch& b, std::error_code ec) {
    writing_ = false;
    outbox out;
    if (ec) {
        // Not durable, so not acknowledged, not broadcast, and not on the board.
        // The writer logs a disk that stops writing once, not per session.
        spdlog::debug("session {}: op log append failed: {}", id_, ec.message());
        refuse_everything(b, out);
        out.send_all();
        update_summary();
        return;
    }
    app_.metrics.ops_applied_total.inc(b.logged.size());
    if (b.meta) durable_meta_ = *b.meta;
    for (std::size_t i = 0; i < b.logged.size(); ++i) {
        auto& logged = b.logged[i];
        if (!logged.client_op_id.empty()) client_ops_[logged.client_op_id] = logged.op.seq;
        if (!b.outcomes[i].op_id.empty()) {
            out.add(b.outcomes[i].conn,
                    shared_text(protocol::ack_message(b.outcomes[i].op_id, logged.op.seq)));
        }
        recent_.push_back({std::move(logged.op), std::move(b.outcomes[i].audience)});
        broadcast(recent_.back(), out);
    }
    for (const auto& r : b.retries) out.add(r.conn, shared_text(protocol::ack_message(r.op_id, r.seq)));
    while (recent_.size() > app_.cfg.limits.resume_window) recent_.pop_front();
    // Seats written by this batch are durable: their holders may come in.
    for (auto& j : joiners_) {
        if (j.seat_in_flight) j.new_seat = j.seat_in_flight = false;
    }
    welcome_ready(out);
    out.send_all();
    update_summary();
    flush();  // what arrived meanwhile
}

void room::refuse_everything(batch& b, outbox& out) {
    const auto unavailable = [&](const std::weak_ptr<ws_connection>& conn, const std::string& op_id) {
        if (!op_id.empty()) {
            out.add(conn, shared_text(protocol::error_message({wire_errc::storage_unavailable, {}}, op_id)));
        }
    };
    for (const auto& o : b.outcomes) unavailable(o.conn, o.op_id);
    for (const auto& r : b.retries) unavailable(r.conn, r.op_id);
    // What was queued behind the batch was applied to nothing yet, but it may
    // depend on it (a join, a seat): refused too, to be sent again.
    for (const auto& p : pending_) unavailable(p.conn, p.op_id);
    pending_.clear();
    for (auto& j : joiners_) {
        out.add(j.conn, shared_text(protocol::error_message({wire_errc::storage_unavailable, {}})));
        j.conn->join_failed();
        for (const auto& p : j.early_ops) unavailable(p.conn, p.op_id);
    }
    joiners_.clear();
    meta_ = durable_meta_;
    protocol::board reloaded;
    if (!app_.logs.load(id_, reloaded)) board_ = std::move(reloaded);
}

void room::broadcast(const past_event& e, outbox& out) {
    // One serialisation per view: facilitators, the author, everyone else.
    // Only a resync (state attached) and an event that differs per viewer
    // are serialised per participant.
    std::shared_ptr<const std::string> for_facilitators, for_author, for_others;
    for (const auto& m : members_) {
        auto conn = m.conn.lock();
        if (!conn) continue;
        std::shared_ptr<const std::string>* cached = nullptr;
        if (m.facilitator) {
            cached = &for_facilitators;
        } else if (!e.audience.resync && !e.audience.per_viewer) {
            cached = m.participant == e.op.by ? &for_author : &for_others;
        }
        if (cached && *cached) {
            if (!m.facilitator && !protocol::sees_event(board_, e.op, e.audience, m.participant)) {
                continue;
            }
            out.add(conn, *cached);
            continue;
        }
        auto view = m.facilitator
                        ? std::optional<protocol::json>(
                              protocol::facilitator_event(board_, e.op, e.audience))
                        : protocol::project_event(board_, e.op, e.audience, m.participant);
        if (!view) continue;
        auto text = shared_text(protocol::event_message(std::move(*view)));
        if (cached) *cached = text;
        out.add(conn, std::move(text));
    }
}


}  // namespace ruche::server

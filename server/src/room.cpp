#include "room.hpp"
#include "ruche/wire/wire_errc.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <set>
#include <unordered_map>

#include "app.hpp"
#include "op_writer.hpp"
#include "outbox.hpp"
#include "ruche/wire/visibility.hpp"
#include "secrets.hpp"
#include "ws_connection.hpp"

namespace ruche::server {

namespace net = boost::asio;
using protocol::errc;
using protocol::wire_errc;
using protocol::rejection;

namespace {

bool offered(const protocol::board& b, protocol::profile p) {
    const auto& list = b.settings.profiles;
    return std::find(list.begin(), list.end(), p) != list.end();
}

}  // namespace

room::room(app& a, std::string session_id, protocol::board board, session_meta meta,
           std::vector<std::pair<std::string, std::uint64_t>> client_ops,
           std::unordered_map<std::string, std::string> photos)
    : app_(a),
      strand_(net::make_strand(a.ioc)),
      id_(std::move(session_id)),
      join_code_(meta.join_code),
      board_(std::move(board)),
      last_checkpoint_(board_.seq),
      meta_(meta),
      durable_meta_(std::move(meta)),
      photos_(std::move(photos)),
      join_rate_(a.cfg.limits.joins_per_minute / 60.0, a.cfg.limits.joins_per_minute) {
    client_ops_.reserve(client_ops.size());
    for (auto& [id, seq] : client_ops) client_ops_.emplace(std::move(id), seq);
    update_summary();
}

room_summary room::summary() const {
    std::lock_guard lock(summary_mutex_);
    return summary_;
}

void room::update_summary() {
    room_summary s;
    s.title = board_.settings.title;
    s.question = board_.settings.question;
    s.phase = board_.phase;
    s.profiles = board_.settings.profiles;
    for (const auto& [id, p] : board_.participants) {
        if (p.present && p.role == protocol::role::participant) ++s.present;
    }
    std::lock_guard lock(summary_mutex_);
    summary_ = std::move(s);
}

std::int64_t room::now_ms() const {
    const auto now = app_.now_ms();
    // Time never goes backwards within a session, whatever the wall clock does.
    return std::max<std::int64_t>(now, board_.updated_time);
}

void room::join(std::shared_ptr<ws_connection> conn, protocol::hello hello, bool facilitator) {
    net::post(strand_, [self = shared_from_this(), conn = std::move(conn), hello = std::move(hello),
                        facilitator] { self->on_join(conn, hello, facilitator); });
}

void room::submit(std::shared_ptr<ws_connection> conn, std::string op_id, protocol::op op) {
    net::post(strand_, [self = shared_from_this(), conn = std::move(conn), op_id = std::move(op_id),
                        op = std::move(op)]() mutable {
        self->on_submit(conn, std::move(op_id), std::move(op));
    });
}

void room::leave(std::shared_ptr<ws_connection> conn) {
    net::post(strand_,
              [self = shared_from_this(), conn = std::move(conn)] { self->on_leave(conn); });
}

void room::close_all(std::uint16_t code, std::string reason) {
    net::post(strand_, [self = shared_from_this(), code, reason = std::move(reason)] {
        self->on_close_all(code, reason, true);
    });
}

void room::retire(std::uint16_t code, std::string reason) {
    retired_ = true;
    app_.writer.retire(id_);
    net::post(strand_, [self = shared_from_this(), code, reason = std::move(reason)] {
        self->on_close_all(code, reason, false);
    });
}

namespace {

// Runs `body` on `strand` and waits (at most a second) for its result.
template <class Strand, class Body>
auto on_strand_and_wait(Strand& strand, Body body) -> std::optional<decltype(body())> {
    using result = decltype(body());
    auto promise = std::make_shared<std::promise<result>>();
    auto future = promise->get_future();
    net::post(strand, [promise, body = std::move(body)]() mutable { promise->set_value(body()); });
    if (future.wait_for(std::chrono::seconds(1)) != std::future_status::ready) return std::nullopt;
    return future.get();
}

}  // namespace

std::optional<std::string> room::participant_by_token(std::string_view token) {
    auto digest = token_digest(token);
    auto found = on_strand_and_wait(strand_, [self = shared_from_this(), digest = std::move(digest)] {
        const auto& seats = self->durable_meta_.participant_tokens;
        const auto it = seats.find(digest);
        return it == seats.end() ? std::string() : it->second;
    });
    if (!found || found->empty()) return std::nullopt;
    return found;
}

void room::photo_added(std::string photo, std::string uploader) {
    net::post(strand_, [self = shared_from_this(), photo = std::move(photo), uploader = std::move(uploader)]() mutable {
        self->photos_.insert_or_assign(std::move(photo), std::move(uploader));
    });
}

bool room::may_see_photo(const std::string& viewer, bool facilitator, const std::string& photo,
                         const std::string& uploader) {
    // Facilitators see every photo; a participant the photos they sent, and
    // those of the notes they see (as the board's visibility says).
    if (facilitator) return true;
    if (!uploader.empty() && viewer == uploader) return true;
    const auto seen = on_strand_and_wait(strand_, [self = shared_from_this(), viewer, photo] {
        for (const auto& [id, n] : self->board_.notes) {
            if (n.photo != photo) continue;
            const auto view = protocol::project(self->board_, viewer);
            const auto notes = view.find("notes");
            if (notes == view.end()) return false;
            for (const auto& [seen_id, seen_note] : notes->items()) {
                if (seen_note.value("photo", std::string()) == photo) return true;
            }
            return false;
        }
        return false;
    });
    return seen.value_or(false);
}

bool room::connected(const std::string& participant) const {
    return std::any_of(members_.begin(), members_.end(),
                       [&](const member& m) { return m.participant == participant; }) ||
           std::any_of(joiners_.begin(), joiners_.end(),
                       [&](const joiner& j) { return j.participant == participant; });
}

void room::on_join(const std::shared_ptr<ws_connection>& conn, const protocol::hello& hello,
                   bool facilitator) {
    const auto refuse = [&](rejection why) {
        conn->send(shared_text(protocol::error_message(why)));
        conn->join_failed();
    };
    if (retired_) return refuse({wire_errc::invalid_token, "the session was deleted"});
    joiner j;
    j.conn = conn;
    j.facilitator = facilitator;
    j.last_seq = hello.last_seq;
    if (facilitator) {
        // A seat token takes a facilitator back to their seat; an unknown one
        // is no reason to refuse someone who holds the facilitator token.
        if (hello.participant_token) {
            if (auto it = meta_.facilitator_seats.find(token_digest(*hello.participant_token));
                it != meta_.facilitator_seats.end()) {
                j.participant = it->second;
                j.token = *hello.participant_token;
            }
        }
    } else if (hello.participant_token) {
        auto it = meta_.participant_tokens.find(token_digest(*hello.participant_token));
        if (it == meta_.participant_tokens.end()) {
            return refuse({wire_errc::invalid_token, "participant_token"});
        }
        j.participant = it->second;
        j.token = *hello.participant_token;
    }
    if (hello.profile && !offered(board_, *hello.profile)) {
        return refuse(
            {errc::profile_not_offered, std::string(protocol::to_string(*hello.profile))});
    }
    j.returning = hello.participant_token.has_value() || facilitator;
    if (j.participant.empty() && !facilitator && board_.phase == protocol::phase::closed) {
        // Too late to take part: they see the results, are not counted and
        // may change nothing.
        j.returning = false;
    } else if (j.participant.empty()) {
        if (!facilitator) {
            if (meta_.participant_tokens.size() >= app_.cfg.limits.participants_per_session) {
                return refuse({wire_errc::session_full, {}});
            }
            if (!join_rate_.try_take(std::chrono::steady_clock::now())) {
                app_.metrics.rate_limited_total.inc();
                return refuse({wire_errc::too_many_joins, {}});
            }
        }
        // A new seat: its token is written with the next batch, and handed
        // out once durable.
        j.token = random_token();
        j.new_seat = true;
        if (facilitator) {
            j.participant = "f" + std::to_string(meta_.next_facilitator++);
            meta_.facilitator_seats[token_digest(j.token)] = j.participant;
        } else {
            j.participant = "p" + std::to_string(meta_.next_participant++);
            meta_.participant_tokens[token_digest(j.token)] = j.participant;
        }
    }

    if (!j.participant.empty()) {
        const bool was_connected = connected(j.participant);
        const auto known = board_.participants.find(j.participant);
        const bool changes = known == board_.participants.end() || !known->second.present ||
                             (!hello.name.empty() && hello.name != known->second.name) ||
                             (hello.profile && hello.profile != known->second.profile);
        if (!was_connected || changes) {
            enqueue({{},
                     std::string(protocol::system_author),
                     {},
                     protocol::ops::participant_join{
                         j.participant,
                         facilitator ? protocol::role::facilitator : protocol::role::participant,
                         hello.name, hello.profile}});
        }
    }
    const bool ready = !j.new_seat && !writing_;
    joiners_.push_back(std::move(j));
    if (ready) {
        // Nothing is being written: the board is durable, welcome at once.
        outbox out;
        welcome_ready(out);
        out.send_all();
    } else if (joiners_.back().new_seat && !flush_posted_ && !writing_) {
        flush_posted_ = true;
        net::post(strand_, [self = shared_from_this()] { self->flush(); });
    }
}

void room::welcome_ready(outbox& out) {
    // Welcomed from the board as it is now, which is durable (no batch in
    // flight), so no event they get later is already in their state.
    std::vector<joiner> waiting;
    for (auto& j : joiners_) {
        if (j.new_seat) {
            waiting.push_back(std::move(j));
            continue;
        }
        members_.push_back({j.conn, j.conn.get(), j.participant, j.facilitator});
        out.add(j.conn, shared_text(j.participant.empty() && !j.facilitator ? viewer_welcome()
                                                                            : welcome(j)));
        j.conn->joined(j.participant);
        for (auto& op : j.early_ops) {
            if (j.participant.empty()) {
                out.add(op.conn,
                        shared_text(protocol::error_message({errc::session_closed, {}}, op.op_id)));
            } else {
                enqueue(std::move(op));
            }
        }
    }
    joiners_ = std::move(waiting);
}

std::string room::viewer_welcome() const {
    protocol::welcome w;
    w.session_id = id_;
    w.role = "viewer";
    w.seq = board_.seq;
    w.state = protocol::project(board_, {});
    return protocol::welcome_message(std::move(w));
}

std::string room::welcome(const joiner& j) const {
    protocol::welcome w;
    w.session_id = id_;
    w.role = j.facilitator ? "facilitator" : "participant";
    w.participant_id = j.participant;
    w.seq = board_.seq;
    w.participant_token = j.token;
    if (j.facilitator) {
        w.join_code = meta_.join_code;
        w.join_url = app_.join_url(meta_.join_code);
    }
    // Resume with exactly the missed events when they are all still in memory.
    std::optional<std::uint64_t> resume_after;
    if (j.last_seq && *j.last_seq <= board_.seq && j.returning) {
        const std::uint64_t oldest = recent_.empty() ? board_.seq + 1 : recent_.front().op.seq;
        if (*j.last_seq + 1 >= oldest) resume_after = *j.last_seq;
    }
    if (resume_after) {
        protocol::json events = protocol::json::array();
        for (const auto& e : recent_) {
            if (e.op.seq <= *resume_after) continue;
            if (j.facilitator) {
                events.push_back(protocol::facilitator_event(board_, e.op, e.audience));
            } else if (auto view =
                           protocol::project_event(board_, e.op, e.audience, j.participant)) {
                // Projected against the current board: a resync event carries today's state.
                events.push_back(std::move(*view));
            }
        }
        w.events = std::move(events);
    } else {
        // The facilitator sees everything, even before their own join is on the board.
        w.state =
            j.facilitator ? protocol::facilitator_view(board_) : protocol::project(board_, j.participant);
    }
    return protocol::welcome_message(std::move(w));
}

void room::on_submit(const std::shared_ptr<ws_connection>& conn, std::string op_id, protocol::op op) {
    auto it = std::find_if(members_.begin(), members_.end(),
                           [&](const member& m) { return m.key == conn.get(); });
    if (it == members_.end()) {
        // Sent right after the hello: it waits for the welcome.
        auto waiting = std::find_if(joiners_.begin(), joiners_.end(),
                                    [&](const joiner& j) { return j.conn == conn; });
        if (waiting != joiners_.end()) {
            waiting->early_ops.push_back({conn, waiting->participant, std::move(op_id), std::move(op)});
            return;
        }
        conn->send(shared_text(protocol::error_message({wire_errc::hello_required, {}}, op_id)));
        return;
    }
    if (it->participant.empty()) {  // a viewer of a closed session
        conn->send(shared_text(protocol::error_message({errc::session_closed, {}}, op_id)));
        return;
    }
    if (!it->facilitator) {
        const auto& l = app_.cfg.limits;
        auto& rate = op_rates_.try_emplace(it->participant, l.ops_per_second, l.ops_burst).first->second;
        if (!rate.try_take(std::chrono::steady_clock::now())) {
            app_.metrics.rate_limited_total.inc();
            conn->send(shared_text(protocol::error_message({wire_errc::rate_limited, {}}, op_id)));
            return;
        }
    }
    enqueue({conn, it->participant, std::move(op_id), std::move(op)});
}

void room::on_leave(const std::shared_ptr<ws_connection>& conn) {
    std::string participant;
    if (auto it = std::find_if(members_.begin(), members_.end(),
                               [&](const member& m) { return m.key == conn.get(); });
        it != members_.end()) {
        participant = it->participant;
        members_.erase(it);
    } else if (auto waiting = std::find_if(joiners_.begin(), joiners_.end(),
                                           [&](const joiner& j) { return j.conn == conn; });
               waiting != joiners_.end()) {
        participant = waiting->participant;
        joiners_.erase(waiting);  // their seat, if new, is still written: it was logged as joined
    } else {
        return;
    }
    if (!participant.empty() && !connected(participant)) {
        enqueue({{},
                 std::string(protocol::system_author),
                 {},
                 protocol::ops::participant_leave{participant}});
    }
}

void room::on_close_all(std::uint16_t code, const std::string& reason, bool record_departures) {
    if (record_departures) {
        // One departure per person, however many connections they had, unless already queued.
        std::set<std::string> leaving;
        for (const auto& m : members_) {
            if (!m.participant.empty()) leaving.insert(m.participant);
        }
        for (const auto& j : joiners_) {
            if (!j.participant.empty()) leaving.insert(j.participant);
        }
        for (const auto& p : pending_) {
            if (const auto* leave = std::get_if<protocol::ops::participant_leave>(&p.op)) {
                leaving.erase(leave->participant);
            }
        }
        for (const auto& id : leaving) {
            pending_.push_back({{},
                                std::string(protocol::system_author),
                                {},
                                protocol::ops::participant_leave{id}});
        }
    }
    flush();
    for (const auto& m : members_) {
        if (auto c = m.conn.lock()) c->close(code, reason);
    }
    for (const auto& j : joiners_) j.conn->close(code, reason);
    members_.clear();
    joiners_.clear();
}

}  // namespace ruche::server

#include "room.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <set>
#include <unordered_map>

#include "app.hpp"
#include "secrets.hpp"
#include "ws_session.hpp"

namespace ruche::server {

namespace net = boost::asio;
using protocol::errc;
using protocol::rejection;

namespace {

std::shared_ptr<const std::string> shared_text(std::string s) {
    return std::make_shared<const std::string>(std::move(s));
}

}  // namespace

// What one flush says to each connection, in order, handed over in one hop
// per connection rather than one per message.
class room::outbox {
  public:
    void add(const std::weak_ptr<ws_session>& to, ws_session::message m) {
        auto conn = to.lock();
        if (!conn) return;
        add(conn, std::move(m));
    }
    void add(const std::shared_ptr<ws_session>& conn, ws_session::message m) {
        auto [it, fresh] = index_.try_emplace(conn.get(), parts_.size());
        if (fresh) parts_.push_back({conn, {}});
        parts_[it->second].second.push_back(std::move(m));
    }
    void send_all() {
        for (auto& [conn, messages] : parts_) {
            if (messages.size() == 1) {
                conn->send(std::move(messages.front()));
            } else {
                conn->send(std::move(messages));
            }
        }
        parts_.clear();
        index_.clear();
    }

  private:
    std::vector<std::pair<std::shared_ptr<ws_session>, std::vector<ws_session::message>>> parts_;
    std::unordered_map<const ws_session*, std::size_t> index_;
};

namespace {

bool offered(const protocol::board& b, protocol::profile p) {
    const auto& list = b.settings.profiles;
    return std::find(list.begin(), list.end(), p) != list.end();
}

}  // namespace

room::room(app& a, std::string session_id, protocol::board board, session_meta meta)
    : app_(a),
      strand_(net::make_strand(a.ioc)),
      id_(std::move(session_id)),
      board_(std::move(board)),
      meta_(std::move(meta)) {
    update_summary();
}

room_summary room::summary() const {
    std::lock_guard lock(summary_mutex_);
    return summary_;
}

std::string room::live_state() const {
    std::lock_guard lock(board_mutex_);
    return protocol::serialize(board_);
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
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    // Time never goes backwards within a session, whatever the wall clock does.
    return std::max<std::int64_t>(now, board_.updated_time);
}

void room::join(std::shared_ptr<ws_session> conn, protocol::hello hello, bool facilitator) {
    net::post(strand_, [self = shared_from_this(), conn = std::move(conn), hello = std::move(hello),
                        facilitator] { self->on_join(conn, hello, facilitator); });
}

void room::submit(std::shared_ptr<ws_session> conn, std::string op_id, protocol::op op) {
    net::post(strand_, [self = shared_from_this(), conn = std::move(conn), op_id = std::move(op_id),
                        op = std::move(op)]() mutable {
        self->on_submit(conn, std::move(op_id), std::move(op));
    });
}

void room::leave(std::shared_ptr<ws_session> conn) {
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
    { std::lock_guard wait_for_append(append_mutex_); }
    net::post(strand_, [self = shared_from_this(), code, reason = std::move(reason)] {
        self->on_close_all(code, reason, false);
    });
}

bool room::connected(const std::string& participant) const {
    return std::any_of(members_.begin(), members_.end(),
                       [&](const member& m) { return m.participant == participant; });
}

void room::on_join(const std::shared_ptr<ws_session>& conn, const protocol::hello& hello,
                   bool facilitator) {
    const auto refuse = [&](rejection why) {
        conn->send(shared_text(protocol::error_message(why)));
        conn->join_failed();
    };
    if (retired_) return refuse({errc::invalid_token, "the session was deleted"});
    std::string participant;
    std::string token;
    if (facilitator) {
        // A seat token takes a facilitator back to their seat; an unknown one
        // is no reason to refuse someone who holds the facilitator token.
        if (hello.participant_token) {
            if (auto it = meta_.facilitator_seats.find(*hello.participant_token);
                it != meta_.facilitator_seats.end()) {
                participant = it->second;
                token = it->first;
            }
        }
    } else if (hello.participant_token) {
        auto it = meta_.participant_tokens.find(*hello.participant_token);
        if (it == meta_.participant_tokens.end()) {
            return refuse({errc::invalid_token, "participant_token"});
        }
        participant = it->second;
        token = it->first;
    }
    if (hello.profile && !offered(board_, *hello.profile)) {
        return refuse(
            {errc::profile_not_offered, std::string(protocol::to_string(*hello.profile))});
    }
    if (participant.empty() && !facilitator && board_.phase == protocol::phase::closed) {
        // Too late to take part: they see the results, are not counted and
        // may change nothing.
        members_.push_back({conn, conn.get(), {}, false});
        conn->send(shared_text(viewer_welcome()));
        conn->joined({});
        return;
    }
    if (participant.empty()) {
        // A new seat: its token must be durable before it is handed out.
        session_meta next = meta_;
        token = random_token();
        if (facilitator) {
            participant = "f" + std::to_string(next.next_facilitator++);
            next.facilitator_seats[token] = participant;
        } else {
            participant = "p" + std::to_string(next.next_participant++);
            next.participant_tokens[token] = participant;
        }
        if (auto ec = app_.sessions.log().put_metadata(id_, next.serialize())) {
            spdlog::error("session {}: cannot store a participant: {}", id_, ec.message());
            return refuse({errc::storage_unavailable, {}});
        }
        meta_ = std::move(next);
    }

    // Resume with exactly the missed events when they are all still in memory.
    std::optional<std::uint64_t> resume_after;
    const bool returning = hello.participant_token.has_value() || facilitator;
    if (hello.last_seq && *hello.last_seq <= board_.seq && returning) {
        const std::uint64_t oldest = recent_.empty() ? board_.seq + 1 : recent_.front().op.seq;
        if (*hello.last_seq + 1 >= oldest) resume_after = *hello.last_seq;
    }
    const bool was_connected = connected(participant);
    members_.push_back({conn, conn.get(), participant, facilitator});
    conn->send(shared_text(welcome(participant, token, facilitator, resume_after)));
    conn->joined(participant);

    const auto known = board_.participants.find(participant);
    const bool changes = known == board_.participants.end() || !known->second.present ||
                         (!hello.name.empty() && hello.name != known->second.name) ||
                         (hello.profile && hello.profile != known->second.profile);
    if (!was_connected || changes) {
        enqueue({{},
                 std::string(protocol::system_author),
                 {},
                 protocol::ops::participant_join{
                     participant,
                     facilitator ? protocol::role::facilitator : protocol::role::participant,
                     hello.name, hello.profile}});
    }
}

std::string room::viewer_welcome() const {
    return protocol::json{{"type", "welcome"},
                          {"session_id", id_},
                          {"role", "viewer"},
                          {"seq", board_.seq},
                          {"state", protocol::project(board_, {})}}
        .dump();
}

std::string room::welcome(const std::string& participant, const std::string& token,
                          bool facilitator, std::optional<std::uint64_t> resume_after) const {
    protocol::json w = {{"type", "welcome"},
                        {"session_id", id_},
                        {"participant_id", participant},
                        {"role", facilitator ? "facilitator" : "participant"},
                        {"seq", board_.seq}};
    if (!token.empty()) w["participant_token"] = token;
    if (facilitator) {
        w["join_code"] = meta_.join_code;
        w["join_url"] = app_.join_url(meta_.join_code);
    }
    if (resume_after) {
        protocol::json events = protocol::json::array();
        for (const auto& e : recent_) {
            if (e.op.seq <= *resume_after) continue;
            if (facilitator) {
                events.push_back(protocol::facilitator_event(board_, e.op, e.audience));
            } else if (auto view = protocol::project_event(board_, e.op, e.audience, participant)) {
                // Projected against the current board: a resync event carries today's state.
                events.push_back(std::move(*view));
            }
        }
        w["events"] = std::move(events);
    } else {
        // The facilitator sees everything, even before their own join is on the board.
        w["state"] =
            facilitator ? protocol::to_json(board_) : protocol::project(board_, participant);
    }
    return w.dump();
}

void room::on_submit(const std::shared_ptr<ws_session>& conn, std::string op_id, protocol::op op) {
    auto it = std::find_if(members_.begin(), members_.end(),
                           [&](const member& m) { return m.key == conn.get(); });
    if (it == members_.end()) {
        conn->send(shared_text(protocol::error_message({errc::hello_required, {}}, op_id)));
        return;
    }
    if (it->participant.empty()) {  // a viewer of a closed session
        conn->send(shared_text(protocol::error_message({errc::session_closed, {}}, op_id)));
        return;
    }
    enqueue({conn, it->participant, std::move(op_id), std::move(op)});
}

void room::on_leave(const std::shared_ptr<ws_session>& conn) {
    auto it = std::find_if(members_.begin(), members_.end(),
                           [&](const member& m) { return m.key == conn.get(); });
    if (it == members_.end()) return;
    const std::string participant = it->participant;
    members_.erase(it);
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
    members_.clear();
}

void room::enqueue(pending_op op) {
    pending_.push_back(std::move(op));
    if (!flush_posted_) {
        flush_posted_ = true;
        // Posted, not run now: ops already queued on the strand join this batch.
        net::post(strand_, [self = shared_from_this()] { self->flush(); });
    }
}

void room::flush() {
    flush_posted_ = false;
    if (retired_) pending_.clear();
    if (pending_.empty()) return;
    std::vector<pending_op> batch = std::move(pending_);
    pending_.clear();

    struct applied {
        std::weak_ptr<ws_session> conn;
        std::string op_id;
        protocol::audience audience;
    };
    struct retry {
        std::weak_ptr<ws_session> conn;
        std::string op_id;
        std::uint64_t seq;
    };
    std::vector<server::logged_op> logged;
    std::vector<applied> outcomes;
    std::vector<retry> retries;
    std::map<std::string, std::uint64_t> batch_ids;
    outbox out;

    std::unique_lock board_lock(board_mutex_);
    for (auto& p : batch) {
        std::string client_id;
        if (!p.op_id.empty()) {
            client_id = p.by + ":" + p.op_id;
            std::optional<std::uint64_t> seen;
            if (auto in_batch = batch_ids.find(client_id); in_batch != batch_ids.end()) {
                seen = in_batch->second;
            } else if (auto ec = app_.sessions.log().find_client_op(id_, client_id, seen)) {
                out.add(p.conn,
                        shared_text(protocol::error_message({errc::storage_unavailable, {}}, p.op_id)));
                continue;
            }
            if (seen) {
                // A retry: acknowledged again with its seq, never applied twice.
                retries.push_back({p.conn, p.op_id, *seen});
                app_.metrics.ops_duplicate_total.inc();
                continue;
            }
        }
        protocol::stamped_op s{board_.seq + 1, now_ms(), p.by, std::move(p.op)};
        stamp(s);
        auto outcome = protocol::apply(board_, s);
        if (!outcome) {
            app_.metrics.ops_rejected_total.inc();
            out.add(p.conn, shared_text(protocol::error_message(outcome.error(), p.op_id)));
            continue;
        }
        if (!client_id.empty()) batch_ids[client_id] = s.seq;
        logged.push_back({std::move(s), std::move(client_id)});
        outcomes.push_back({p.conn, p.op_id, std::move(*outcome)});
    }

    if (!logged.empty()) {
        const auto started = std::chrono::steady_clock::now();
        std::error_code ec;
        {
            std::lock_guard appending(append_mutex_);
            ec = retired_ ? make_error_code(storage::errc::not_found)
                          : app_.sessions.append(id_, logged, board_);
        }
        app_.metrics.op_log_append_seconds.observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        app_.metrics.op_log_append_batch_size.observe(static_cast<double>(logged.size()));
        if (ec) {
            // Not durable, so not acknowledged, not broadcast, and not on the board:
            // go back to what the log holds.
            spdlog::error("session {}: op log append failed: {}", id_, ec.message());
            protocol::board reloaded;
            if (!app_.sessions.load(id_, reloaded)) board_ = std::move(reloaded);
            for (const auto& o : outcomes) {
                out.add(o.conn,
                        shared_text(protocol::error_message({errc::storage_unavailable, {}}, o.op_id)));
            }
            out.send_all();
            return;
        }
        app_.metrics.ops_applied_total.inc(logged.size());
    }
    board_lock.unlock();

    for (std::size_t i = 0; i < logged.size(); ++i) {
        if (!outcomes[i].op_id.empty()) {
            out.add(outcomes[i].conn,
                    shared_text(protocol::ack_message(outcomes[i].op_id, logged[i].op.seq)));
        }
        recent_.push_back({std::move(logged[i].op), std::move(outcomes[i].audience)});
        broadcast(recent_.back(), out);
    }
    for (const auto& r : retries) out.add(r.conn, shared_text(protocol::ack_message(r.op_id, r.seq)));
    out.send_all();
    while (recent_.size() > app_.cfg.limits.resume_window) recent_.pop_front();
    update_summary();
}

void room::stamp(protocol::stamped_op& s) const {
    const auto seq = std::to_string(s.seq);
    if (auto* add = std::get_if<protocol::ops::note_add>(&s.op)) {
        add->note = "n" + seq;
        if (add->place) {
            add->at = protocol::free_spot(board_);
            add->place = false;
        }
    }
    if (auto* create = std::get_if<protocol::ops::theme_create>(&s.op)) create->theme = "t" + seq;
    if (auto* action = std::get_if<protocol::ops::action_add>(&s.op)) action->action = "a" + seq;
}

void room::broadcast(const past_event& e, outbox& out) {
    // One serialisation per view: facilitators, the author, everyone else.
    // Only a resync (state attached) is serialised per participant.
    std::shared_ptr<const std::string> for_facilitators, for_author, for_others;
    for (const auto& m : members_) {
        auto conn = m.conn.lock();
        if (!conn) continue;
        std::shared_ptr<const std::string>* cached = nullptr;
        if (m.facilitator) {
            cached = &for_facilitators;
        } else if (!e.audience.resync) {
            cached = m.participant == e.op.by ? &for_author : &for_others;
        }
        if (cached && *cached) {
            if (!e.audience.only.empty() && !m.facilitator &&
                std::find(e.audience.only.begin(), e.audience.only.end(), m.participant) ==
                    e.audience.only.end()) {
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

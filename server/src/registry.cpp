#include "registry.hpp"

#include <unordered_map>

#include <spdlog/spdlog.h>

#include <boost/beast/websocket/rfc6455.hpp>

#include "app.hpp"
#include "photo_api.hpp"
#include "room.hpp"
#include "ruche/board/fold.hpp"
#include "secrets.hpp"
#include "session_meta.hpp"

namespace ruche::server {

std::error_code registry::load_index() {
    std::vector<std::string> ids;
    if (auto ec = app_.logs.log().list_sessions(ids)) return ec;
    std::lock_guard lock(mutex_);
    std::size_t digested = 0;
    for (const auto& id : ids) {
        std::optional<std::string> bytes;
        if (auto ec = app_.logs.log().get_metadata(id, bytes)) return ec;
        const auto meta = bytes ? session_meta::parse(*bytes) : std::nullopt;
        if (!meta) {
            spdlog::warn("session {} has no readable metadata; it cannot be joined", id);
            continue;
        }
        by_join_code_[meta->join_code] = id;
        by_token_[meta->facilitator_token_digest] = id;
        if (meta->had_plain_tokens) {
            // Before any room runs: nothing else writes this metadata yet.
            if (auto ec = app_.logs.log().put_metadata(id, meta->serialize())) return ec;
            ++digested;
        }
    }
    if (digested) spdlog::info("{} sessions' tokens now stored as digests", digested);
    spdlog::info("{} sessions in the op log", by_join_code_.size());
    return {};
}

std::string registry::new_identity(std::string& id, session_meta& meta) {
    {
        std::lock_guard lock(mutex_);
        do {
            id = random_session_id();
        } while (rooms_.count(id));
        do {
            meta.join_code = random_join_code();
        } while (by_join_code_.count(meta.join_code));
    }
    std::string token = random_token();
    meta.facilitator_token_digest = token_digest(token);
    return token;
}

std::error_code registry::open_room(const std::string& id, protocol::board board,
                                    const session_meta& meta) {
    auto r = std::make_shared<room>(app_, id, std::move(board), meta);
    {
        std::lock_guard lock(mutex_);
        rooms_[id] = r;
        by_join_code_[meta.join_code] = id;
        by_token_[meta.facilitator_token_digest] = id;
    }
    app_.metrics.sessions_loaded.add(1);
    return {};
}

std::error_code registry::create(const session_options& options, created_session& out) {
    session_meta meta;
    std::string id;
    const std::string token = new_identity(id, meta);

    // The first ops of every session: its settings, then its opening phase.
    // The time zone is fixed now, so its minutes never change with the machine.
    // Votes stay hidden until the vote ends unless the facilitator chose otherwise.
    session_options fixed = options;
    if (!fixed.settings.time_zone) fixed.settings.time_zone = app_.cfg.time_zone;
    if (!fixed.settings.hidden_votes) fixed.settings.hidden_votes = true;
    // Kept as long as the server keeps sessions, unless asked for less.
    if (app_.cfg.retention_days > 0) {
        fixed.settings.retention_days = std::min(fixed.settings.retention_days.value_or(app_.cfg.retention_days),
                                                 app_.cfg.retention_days);
    }
    protocol::board board;
    const auto now = app_.now_ms();
    const std::string server(protocol::system_author);
    std::vector<logged_op> first = {
        {{1, now, server, fixed.settings}, {}},
        {{2, now, server,
          protocol::ops::phase_set{fixed.private_writing ? protocol::phase::writing
                                                           : protocol::phase::reveal}},
         {}},
    };
    for (const auto& o : first) {
        if (!protocol::apply(board, o.op)) return storage::errc::corruption;
    }
    if (auto ec = app_.logs.log().put_metadata(id, meta.serialize())) return ec;
    if (auto ec = app_.logs.append(id, first, board)) return ec;
    open_room(id, std::move(board), meta);
    out = {id, meta.join_code, token};
    spdlog::info("session {} created", id);
    return {};
}

std::error_code registry::import(const std::vector<protocol::stamped_op>& log,
                                 created_session& out) {
    session_meta meta;
    std::string id;
    const std::string token = new_identity(id, meta);
    if (auto ec = app_.logs.log().put_metadata(id, meta.serialize())) return ec;
    protocol::log_fold fold;
    const protocol::board& board = fold.state();
    std::vector<logged_op> batch;
    constexpr std::size_t batch_size = 512;
    std::uint64_t last_checkpoint = 0;
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (fold.add(log[i])) return storage::errc::corruption;
        batch.push_back({log[i], {}});
        const bool last = i + 1 == log.size();
        if (batch.size() == batch_size || last) {
            // Checkpoints as a live session takes them (further apart as the
            // board grows), and one of the final state: an import of 20,000
            // notes writes a few states, not one per 1,000 ops.
            const bool checkpoint = last || app_.logs.checkpoint_due(last_checkpoint, board);
            const auto prepared = session_log::prepare(batch, board, checkpoint);
            if (auto ec = app_.logs.log().append(id, prepared.records,
                                                     prepared.cp ? &*prepared.cp : nullptr)) {
                return ec;
            }
            if (checkpoint) last_checkpoint = board.seq;
            batch.clear();
        }
    }
    open_room(id, std::move(fold).take(), meta);
    out = {id, meta.join_code, token};
    spdlog::info("session {} imported ({} ops)", id, log.size());
    return {};
}

std::shared_ptr<room> registry::loaded_room(const std::string& session_id) const {
    std::lock_guard lock(mutex_);
    auto it = rooms_.find(session_id);
    return it == rooms_.end() ? nullptr : it->second;
}

std::shared_ptr<room> registry::room_for(const std::string& session_id, std::error_code& ec) {
    ec.clear();
    if (!storage::is_valid_session_id(session_id)) return nullptr;
    std::shared_ptr<std::mutex> session_lock;
    {
        std::lock_guard lock(mutex_);
        if (auto it = rooms_.find(session_id); it != rooms_.end()) return it->second;
        auto& slot = loading_[session_id];
        if (!slot) slot = std::make_shared<std::mutex>();
        session_lock = slot;
    }
    // Whoever loads this session holds only its lock; the others wait for it.
    std::lock_guard loading(*session_lock);
    if (auto r = loaded_room(session_id)) return r;
    auto r = load_room(session_id, ec);
    std::lock_guard lock(mutex_);
    loading_.erase(session_id);
    if (r) {
        rooms_[session_id] = r;
        app_.metrics.sessions_loaded.add(1);
    }
    return r;
}

std::shared_ptr<room> registry::load_room(const std::string& session_id, std::error_code& ec) {
    std::optional<std::string> bytes;
    if ((ec = app_.logs.log().get_metadata(session_id, bytes))) return nullptr;
    const auto meta = bytes ? session_meta::parse(*bytes) : std::nullopt;
    if (!meta) return nullptr;
    protocol::board board;
    if ((ec = app_.logs.load(session_id, board))) {
        spdlog::error("session {} cannot be loaded: {}", session_id, ec.message());
        return nullptr;
    }
    if ((ec = reconcile_presence(session_id, board))) {
        spdlog::error("session {} cannot record departures: {}", session_id, ec.message());
        return nullptr;
    }
    // Retries are recognised in memory, without a read per op.
    std::vector<std::pair<std::string, std::uint64_t>> client_ops;
    if ((ec = app_.logs.log().client_ops(session_id, client_ops))) return nullptr;
    // Which photos its notes may hold, and whose they are.
    std::vector<std::pair<std::string, std::string>> stored;
    if ((ec = app_.logs.log().list_photos(session_id, stored))) return nullptr;
    std::unordered_map<std::string, std::string> photos;
    for (const auto& [id, description] : stored) photos.emplace(id, photo_uploader(description));
    return std::make_shared<room>(app_, session_id, std::move(board), *meta, std::move(client_ops),
                                  std::move(photos));
}

std::error_code registry::reconcile_presence(const std::string& session_id,
                                            protocol::board& board) {
    // Nobody is connected to a session that is only now loaded: whoever the
    // log says is present was there when the server stopped without saying
    // goodbye (a crash, a kill -9). Their departure is logged before the room
    // answers anyone, so no answer shows them present.
    std::vector<logged_op> departures;
    protocol::board after = board;
    const auto now = app_.now_ms();
    for (const auto& [id, p] : board.participants) {
        if (!p.present) continue;
        protocol::stamped_op s{after.seq + 1, std::max<std::int64_t>(now, after.updated_time),
                               std::string(protocol::system_author),
                               protocol::ops::participant_leave{id}};
        if (!protocol::apply(after, s)) return storage::errc::corruption;
        departures.push_back({std::move(s), {}});
    }
    if (departures.empty()) return {};
    if (auto ec = app_.logs.append(session_id, departures, after)) return ec;
    board = std::move(after);
    return {};
}

std::optional<std::string> registry::session_by_join_code(const std::string& canonical_code) const {
    std::lock_guard lock(mutex_);
    auto it = by_join_code_.find(canonical_code);
    if (it == by_join_code_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> registry::session_by_facilitator_token(std::string_view token) const {
    std::lock_guard lock(mutex_);
    // By digest: how long the lookup takes says something about the digest
    // at most, and nothing leads from a digest back to a token.
    auto it = by_token_.find(token_digest(token));
    if (it == by_token_.end()) return std::nullopt;
    return it->second;
}

std::error_code registry::erase(const std::string& session_id) {
    std::shared_ptr<room> r;
    {
        std::lock_guard lock(mutex_);
        if (auto it = rooms_.find(session_id); it != rooms_.end()) {
            r = it->second;
            rooms_.erase(it);
            app_.metrics.sessions_loaded.sub(1);
        }
        std::erase_if(by_join_code_, [&](const auto& kv) { return kv.second == session_id; });
        std::erase_if(by_token_, [&](const auto& kv) { return kv.second == session_id; });
    }
    if (r) {
        r->retire(static_cast<std::uint16_t>(boost::beast::websocket::close_code::normal),
                  "session deleted");
    }
    return app_.logs.log().delete_session(session_id);
}

void registry::shutdown_all() {
    std::lock_guard lock(mutex_);
    for (const auto& [id, r] : rooms_) {
        r->close_all(static_cast<std::uint16_t>(boost::beast::websocket::close_code::going_away),
                     "server shutting down");
    }
}

std::size_t registry::loaded() const {
    std::lock_guard lock(mutex_);
    return rooms_.size();
}

}  // namespace ruche::server

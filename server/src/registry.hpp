#pragma once

// The board sessions this server knows: an index of join codes and facilitator
// tokens built at start-up from the sessions' metadata, and the rooms of the
// sessions in use, loaded lazily from the op log (checkpoint + tail).

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>

#include "ruche/board/board.hpp"
#include "ruche/board/result.hpp"
#include "session_meta.hpp"

namespace ruche::server {

struct app;
class room;

struct session_options {
    protocol::ops::settings_set settings;
    bool private_writing = true;
};

struct created_session {
    std::string session_id;
    std::string join_code;
    std::string facilitator_token;
};

class registry {
  public:
    explicit registry(app& a) : app_(a) {}

    // Reads every session's metadata to know its join code and token.
    std::error_code load_index();

    // Creates a session: its secrets, then its first ops (settings, phase).
    std::error_code create(const session_options& options, created_session& out);

    // Creates a session from another one's log (an export): new id, new
    // secrets, the same ops.
    std::error_code import(const std::vector<protocol::stamped_op>& log, created_session& out);

    // The room of a session, loaded from the op log if needed (blocking: call
    // it off the network threads). Loading one session holds no lock that
    // another session's lookups need.
    std::shared_ptr<room> room_for(const std::string& session_id, std::error_code& ec);
    // The room of a session if it is already in memory.
    std::shared_ptr<room> loaded_room(const std::string& session_id) const;

    std::optional<std::string> session_by_join_code(const std::string& canonical_code) const;
    std::optional<std::string> session_by_facilitator_token(std::string_view token) const;

    // Removes the session and everything of it from the database.
    std::error_code erase(const std::string& session_id);

    // Says goodbye to every connection (graceful shutdown).
    void shutdown_all();

    std::size_t loaded() const;

  private:
    // Reserves a fresh session id and join code, and draws a facilitator
    // token: `meta` keeps its digest, the token itself is returned.
    std::string new_identity(std::string& id, session_meta& meta);
    std::shared_ptr<room> load_room(const std::string& session_id, std::error_code& ec);
    // Logs the departure of everyone the log leaves present.
    std::error_code reconcile_presence(const std::string& session_id, protocol::board& board);
    std::error_code open_room(const std::string& id, protocol::board board,
                              const session_meta& meta);

    app& app_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<room>> rooms_;
    std::map<std::string, std::shared_ptr<std::mutex>> loading_;  // one lock per session being loaded
    std::map<std::string, std::string> by_join_code_;
    std::map<std::string, std::string> by_token_;  // facilitator token digest -> session
};

}  // namespace ruche::server

#pragma once

// One board session in memory. Everything a room does runs on its own strand:
// ops are validated and applied in order, appended to the op log in batches
// (ops that arrive together share one append), acknowledged once durable and
// broadcast to every connection allowed to see them. No lock is held while
// writing to sockets: a broadcast only queues a shared buffer on each
// connection, which writes on its own strand.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ruche/protocol/board.hpp"
#include "ruche/protocol/messages.hpp"
#include "session_meta.hpp"

namespace ruche::server {

struct app;
class ws_session;

// A room's public face, readable from any thread (HTTP join info).
struct room_summary {
    std::string title;
    std::string question;
    protocol::phase phase = protocol::phase::writing;
    std::vector<protocol::profile> profiles;
    std::size_t present = 0;
};

class room : public std::enable_shared_from_this<room> {
  public:
    using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;

    room(app& a, std::string session_id, protocol::board board, session_meta meta);

    const std::string& id() const { return id_; }
    const session_meta& meta_unsafe() const { return meta_; }  // set once at load
    room_summary summary() const;
    // The live board's canonical JSON (facilitator's view), from any thread.
    std::string live_state() const;

    // Thread-safe: each posts its work onto the room's strand.
    void join(std::shared_ptr<ws_session> conn, protocol::hello hello, bool facilitator);
    void submit(std::shared_ptr<ws_session> conn, std::string op_id, protocol::op op);
    void leave(std::shared_ptr<ws_session> conn);
    // Records everyone's departure, then closes every connection with `code`.
    void close_all(std::uint16_t code, std::string reason);
    // The session is being deleted: from now on nothing is appended to its
    // log (an append under way is waited for) and every connection is closed.
    void retire(std::uint16_t code, std::string reason);

  private:
    struct member {
        std::weak_ptr<ws_session> conn;
        const ws_session* key;
        std::string participant;  // "" for a viewer of a closed session
        bool facilitator;
    };
    struct pending_op {
        std::weak_ptr<ws_session> conn;  // empty for server-emitted ops
        std::string by;
        std::string op_id;
        protocol::op op;
    };
    struct past_event {
        protocol::stamped_op op;
        protocol::audience audience;
    };

    void on_join(const std::shared_ptr<ws_session>& conn, const protocol::hello& hello,
                 bool facilitator);
    void on_submit(const std::shared_ptr<ws_session>& conn, std::string op_id, protocol::op op);
    void on_leave(const std::shared_ptr<ws_session>& conn);
    void on_close_all(std::uint16_t code, const std::string& reason, bool record_departures);

    class outbox;

    void enqueue(pending_op op);
    void flush();
    void broadcast(const past_event& e, outbox& out);
    // Server-assigned parts of an op: ids, and a spot for a note given none.
    void stamp(protocol::stamped_op& s) const;
    std::string viewer_welcome() const;
    std::string welcome(const std::string& participant, const std::string& token, bool facilitator,
                        std::optional<std::uint64_t> resume_after) const;
    bool connected(const std::string& participant) const;
    std::int64_t now_ms() const;
    void update_summary();

    app& app_;
    strand_type strand_;
    std::string id_;
    protocol::board board_;
    session_meta meta_;
    std::vector<member> members_;
    std::vector<pending_op> pending_;
    bool flush_posted_ = false;
    std::deque<past_event> recent_;  // the resume window
    std::atomic<bool> retired_{false};
    std::mutex append_mutex_;         // held only around the op log append
    mutable std::mutex board_mutex_;  // held while the strand changes board_, for readers elsewhere
    mutable std::mutex summary_mutex_;
    room_summary summary_;
};

}  // namespace ruche::server

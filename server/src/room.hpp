#pragma once

// One board session in memory: the sequencer of its session. Everything a
// room does runs on its own strand: ops are deduplicated (an index of the
// client op ids in its log, kept in memory), stamped and applied in order;
// ops that arrive together form a batch, handed to the durability stage
// (op_writer) while the strand goes on. Once the batch is durable, its ops
// are acknowledged and broadcast, each event serialised once per view and the
// same buffer handed to every recipient. One batch is in flight at a time:
// what arrives meanwhile forms the next one. People joining are welcomed from
// durable state only; a new seat (its token) is written with the batch that
// carries its join, so a thousand joins cost a few writes, not a thousand.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rate_limit.hpp"
#include "ruche/board/board.hpp"
#include "ruche/wire/messages.hpp"
#include "session_meta.hpp"

namespace ruche::server {

struct app;
class ws_connection;
class outbox;

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

    // `client_ops`: every client op id in the session's log, with its seq.
    room(app& a, std::string session_id, protocol::board board, session_meta meta,
         std::vector<std::pair<std::string, std::uint64_t>> client_ops = {},
         std::unordered_map<std::string, std::string> photos = {});

    const std::string& id() const { return id_; }
    const std::string& join_code() const { return join_code_; }  // never changes
    room_summary summary() const;

    // Thread-safe: each posts its work onto the room's strand.
    void join(std::shared_ptr<ws_connection> conn, protocol::hello hello, bool facilitator);
    void submit(std::shared_ptr<ws_connection> conn, std::string op_id, protocol::op op);
    void leave(std::shared_ptr<ws_connection> conn);
    // The participant a participant token stands for, by the seats the log
    // holds (a seat not yet durable is not one). Blocking: it waits for the
    // room's strand, so call it off the network threads (the HTTP API).
    // nullopt also when the room did not answer within a second.
    std::optional<std::string> participant_by_token(std::string_view token);
    // Whether `viewer` (a participant id, or a facilitator) may see a photo
    // of this session that `uploader` sent (uploader "" for a facilitator).
    // Blocking, as participant_by_token.
    bool may_see_photo(const std::string& viewer, bool facilitator, const std::string& photo,
                       const std::string& uploader);

    // A photo is stored (uploaded by `uploader`, "" for a facilitator): a
    // note of theirs may now hold it. Posted to the strand.
    void photo_added(std::string photo, std::string uploader);

    // Records everyone's departure, then closes every connection with `code`.
    void close_all(std::uint16_t code, std::string reason);
    // The session is being deleted: from now on nothing is appended to its
    // log (a write under way is waited for) and every connection is closed.
    void retire(std::uint16_t code, std::string reason);
    bool retired() const { return retired_.load(); }

  private:
    struct member {
        std::weak_ptr<ws_connection> conn;
        const ws_connection* key;
        std::string participant;  // "" for a viewer of a closed session
        bool facilitator;
    };
    struct pending_op {
        std::weak_ptr<ws_connection> conn;  // empty for server-emitted ops
        std::string by;
        std::string op_id;
        protocol::op op;
    };
    struct past_event {
        protocol::stamped_op op;
        protocol::audience audience;
    };
    // Someone whose hello was accepted, waiting for durable state to be welcomed.
    struct joiner {
        std::shared_ptr<ws_connection> conn;
        std::string participant;  // "" for a viewer of a closed session
        std::string token;
        bool facilitator = false;
        bool returning = false;             // came back with a token (may resume)
        std::optional<std::uint64_t> last_seq;
        bool new_seat = false;              // their token is not durable yet
        bool seat_in_flight = false;        // ... and is in the batch being written
        std::vector<pending_op> early_ops;  // sent before their welcome
    };
    struct batch;  // a batch being made durable

    void on_join(const std::shared_ptr<ws_connection>& conn, const protocol::hello& hello,
                 bool facilitator);
    void on_submit(const std::shared_ptr<ws_connection>& conn, std::string op_id, protocol::op op);
    void on_leave(const std::shared_ptr<ws_connection>& conn);
    void on_close_all(std::uint16_t code, const std::string& reason, bool record_departures);

    void enqueue(pending_op op);
    // Why an op may not attach its photo (not this session's, not its author's).
    std::optional<protocol::rejection> photo_refusal(const pending_op& p) const;
    void flush();
    void on_durable(batch& b, std::error_code ec);
    // Storage failed: everything queued is refused and the board goes back to the log.
    void refuse_everything(batch& b, outbox& out);
    void welcome_ready(outbox& out);
    void broadcast(const past_event& e, outbox& out);
    std::string viewer_welcome() const;
    std::string welcome(const joiner& j) const;
    bool connected(const std::string& participant) const;
    std::int64_t now_ms() const;
    void update_summary();

    app& app_;
    strand_type strand_;
    std::string id_;
    std::string join_code_;
    protocol::board board_;           // durable, plus the batch in flight once applied
    std::uint64_t last_checkpoint_;   // seq of the last checkpoint (or of the load)
    session_meta meta_;               // with the seats not yet durable
    session_meta durable_meta_;       // what the log holds
    std::vector<member> members_;
    std::vector<joiner> joiners_;
    std::vector<pending_op> pending_;
    std::unordered_map<std::string, std::uint64_t> client_ops_;  // "<by>:<op_id>" -> seq
    // The session's photos and who sent each ("" a facilitator): an op may
    // attach one only if its author sent it (or, for a facilitator's, is one).
    std::unordered_map<std::string, std::string> photos_;
    bool flush_posted_ = false;
    bool writing_ = false;            // a batch is in the durability stage
    std::deque<past_event> recent_;  // the resume window
    std::atomic<bool> retired_{false};
    token_bucket join_rate_;  // new participants
    // Ops per participant, whatever number of connections they have open
    // (each connection also has its own limit, in ws_connection).
    std::unordered_map<std::string, token_bucket> op_rates_;
    mutable std::mutex summary_mutex_;
    room_summary summary_;
};

}  // namespace ruche::server

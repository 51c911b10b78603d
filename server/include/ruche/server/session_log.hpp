#pragma once

// Where the board model meets the op log: appends stamped ops of a session
// with a checkpoint of the folded state every `checkpoint_every` ops, and
// loads a session (or its state at an earlier seq) from the newest checkpoint
// at or below it plus the tail of the log.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "ruche/board/board.hpp"
#include "ruche/storage/op_log.hpp"

namespace ruche::server {

struct logged_op {
    protocol::stamped_op op;
    std::string client_op_id;  // empty for server-emitted ops
};

// What one batch writes: its records, and a checkpoint when it crosses one.
struct prepared_append {
    std::vector<storage::record> records;
    std::optional<storage::checkpoint> cp;
};

class session_log {
  public:
    // checkpoint_every == 0 disables checkpoints.
    explicit session_log(storage::op_log& log, std::uint64_t checkpoint_every = 1000)
        : log_(log), checkpoint_every_(checkpoint_every) {}

    // Encodes ops already applied to `after` (the state once the last of them
    // is applied), with a checkpoint of `after` when asked.
    static prepared_append prepare(const std::vector<logged_op>& ops, const protocol::board& after,
                                   bool with_checkpoint);

    // Appends ops already applied to `after`, in one atomic batch, with a
    // checkpoint when the batch crosses a multiple of `checkpoint_every`.
    std::error_code append(std::string_view session, const std::vector<logged_op>& ops,
                           const protocol::board& after);

    // The one reader of a session's log: each op with `from` <= seq <=
    // `up_to` (0: to the end), decoded, handed to `each` in order. An error
    // `each` returns stops the reading and is returned. Loading a state and
    // reading the ops below are this with a fold or a list.
    std::error_code replay(std::string_view session, std::uint64_t from, std::uint64_t up_to,
                           const std::function<std::error_code(protocol::stamped_op&&)>& each) const;

    // The state after applying every op with seq <= at_seq (0: all of them):
    // the newest checkpoint at or below it, then the log folded from there.
    std::error_code load(std::string_view session, protocol::board& out,
                         std::uint64_t at_seq = 0) const;

    // Every op of the session with seq <= up_to (0: all), decoded, in order.
    std::error_code read_ops(std::string_view session, std::vector<protocol::stamped_op>& out,
                             std::uint64_t up_to = 0) const;

    // For a live session: a checkpoint is due once the ops since the last one
    // (at seq `last_checkpoint`) are as many as `after` holds items, and at
    // least `checkpoint_every`. Writing the state then costs the same per op
    // however big the board grows, and a load folds a tail no longer than the
    // state is big.
    bool checkpoint_due(std::uint64_t last_checkpoint, const protocol::board& after) const;

    storage::op_log& log() { return log_; }

  private:
    storage::op_log& log_;
    std::uint64_t checkpoint_every_;
};

}  // namespace ruche::server
